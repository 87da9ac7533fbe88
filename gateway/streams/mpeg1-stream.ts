// The JSMpeg fallback for what MSE cannot play (H.265 on most browsers): ffmpeg transcodes to
// MPEG-1 video / MP2 audio in MPEG-TS. It costs a good share of a core per stream (see the field
// notes), so it is only for cameras that need it. Viewers get whole 188-byte TS packets; a new
// viewer starts at the cached GOP (from the last sequence header), like the fMP4 stream.
import { mpeg1Args, uriWithCredentials, type Mpeg1Size, type SourceCredentials } from './ffmpeg-args.ts';
import { LiveStream, type LiveStreamOptions, type StreamMessage } from './live-stream.ts';
import { TsChunker } from './ts-packets.ts';

/** What the socket's JSON init tells the player; there are no init bytes for MPEG-TS. */
export const MPEG1_CODECS = 'mpeg1video,mp2';

export interface Mpeg1StreamOptions extends LiveStreamOptions {
  maxSize?: Mpeg1Size;
}

export class Mpeg1Stream extends LiveStream {
  private chunker = new TsChunker();
  private announced = false;

  constructor(private readonly mpegOpts: Mpeg1StreamOptions) {
    super(mpegOpts);
  }

  protected ffmpegArgs(listingFile: string): string[] {
    return mpeg1Args(listingFile, this.processTag, this.mpegOpts.maxSize);
  }

  protected sourceUri(src: SourceCredentials): string {
    return uriWithCredentials(src);
  }

  protected resetParser(): void {
    this.chunker = new TsChunker();
    this.announced = false;
  }

  protected parse(chunk: Buffer): StreamMessage[] {
    const out: StreamMessage[] = [];
    if (!this.announced) {
      this.announced = true;
      out.push({ kind: 'init', codecs: MPEG1_CODECS, data: Buffer.alloc(0) });
    }
    const ts = this.chunker.push(chunk);
    if (ts) out.push({ kind: 'fragment', data: ts.data, keyframe: ts.keyframe });
    return out;
  }
}
