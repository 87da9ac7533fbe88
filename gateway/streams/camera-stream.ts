// A camera's H.264 live view for browsers: ffmpeg copies the RTSP video (no re-encode, ~1-2 % of
// a core) into fragmented MP4, one fragment per frame; viewers get the init segment, the cached
// GOP from its keyframe, then live fragments (MSE in the browser). Lifecycle: ./live-stream.ts.
import { fmp4Args, uriWithCredentials, type SourceCredentials } from './ffmpeg-args.ts';
import { Fmp4Parser } from './fmp4-boxes.ts';
import { LiveStream, type LiveStreamOptions, type StreamMessage } from './live-stream.ts';

export type CameraStreamOptions = LiveStreamOptions & { audio?: boolean };

export class CameraStream extends LiveStream {
  private parser = new Fmp4Parser();
  private codecsString: string | null = null;

  private readonly audio: boolean;

  constructor(opts: CameraStreamOptions) {
    super(opts);
    this.audio = opts.audio ?? false;
  }

  /** RFC 6381 codecs of the current ffmpeg's output, e.g. `avc1.42C01E` (null before the init). */
  get codecs(): string | null {
    return this.codecsString;
  }

  protected ffmpegArgs(listingFile: string): string[] {
    return fmp4Args(listingFile, this.processTag, this.audio);
  }

  protected sourceUri(src: SourceCredentials): string {
    return uriWithCredentials(src);
  }

  protected resetParser(): void {
    this.parser = new Fmp4Parser();
  }

  protected parse(chunk: Buffer): StreamMessage[] {
    const out: StreamMessage[] = [];
    for (const item of this.parser.push(chunk)) {
      if (item.kind === 'init') {
        this.codecsString = item.codecs;
        out.push({ kind: 'init', codecs: item.codecs, data: item.data });
      } else out.push({ kind: 'fragment', data: item.data, keyframe: item.keyframe });
    }
    return out;
  }
}
