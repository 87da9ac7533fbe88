// The fallback for streams MSE cannot play (H.265 cameras, browsers without MediaSource): the
// gateway re-encodes to MPEG-1 in MPEG-TS (format=mpeg1) and JSMpeg decodes it onto a canvas.
// JSMpeg would open its own WebSocket and choke on our JSON text frames, so it gets a source
// adapter fed from our StreamSocket, which has already taken the text frames out.
// WebAssembly is turned off: the JavaScript decoder needs no CSP change ('wasm-unsafe-eval'),
// and at the sub-stream sizes this fallback is for it keeps up.
import JSMpeg, { type JSMpegPlayer, type JSMpegSource } from '@cycjimmy/jsmpeg-player';
import { streamUrl, type StreamProfile } from './live-edge.ts';
import type { LivePlayer, PlayerEvents, PlayerStats, PlayerStatus } from './player.ts';
import { StreamSocket } from './stream-socket.ts';

export interface JsmpegPlayerOptions extends PlayerEvents {
  cameraId: string;
  profile?: StreamProfile;
  url?: string;
  createSocket?: (url: string) => WebSocket;
  random?: () => number;
}

type Sink = { write(data: ArrayBuffer): void };

/** JSMpeg's side of the adapter: bytes go in through `push`; the socket is ours. */
class PushSource implements JSMpegSource {
  streaming = true;
  established = false;
  completed = false;
  progress = 0;
  private destination: Sink | null = null;

  connect(destination: Sink): void {
    this.destination = destination;
  }
  start(): void {
    this.progress = 0.5;
  }
  resume(): void {
    // Live: nothing to ask for.
  }
  destroy(): void {
    this.destination = null;
  }
  push(data: ArrayBuffer): void {
    this.established = true;
    this.progress = 1;
    this.destination?.write(data);
  }
}

export class JsmpegPlayer implements LivePlayer {
  readonly kind = 'jsmpeg' as const;
  readonly firstFrame: Promise<number>;
  private resolveFirstFrame: (t: number) => void = () => {};
  private readonly socket: StreamSocket;
  private decoder: { player: JSMpegPlayer; source: PushSource } | null = null;
  private canvasEl: HTMLCanvasElement;
  private currentStatus: PlayerStatus = 'connecting';
  private destroyed = false;
  private bytes = 0;
  private fragments = 0;
  private frames = 0;
  private reconnects = 0;

  /** Draws into a canvas it owns inside `host` (replaced on each reconnect, see onInit). */
  constructor(
    private readonly host: HTMLElement,
    private readonly opts: JsmpegPlayerOptions,
  ) {
    this.canvasEl = this.newCanvas();
    host.append(this.canvasEl);
    this.firstFrame = new Promise<number>((resolve) => {
      let done = false;
      this.resolveFirstFrame = (t) => {
        if (done) return;
        done = true;
        resolve(t);
      };
    });
    const url = opts.url ?? streamUrl(location, opts.cameraId, opts.profile ?? 'sub', 'mpeg1');
    this.socket = new StreamSocket(
      { url, ...(opts.createSocket ? { createSocket: opts.createSocket } : {}), ...(opts.random ? { random: opts.random } : {}) },
      {
        onInit: (init) => {
          if (init.format !== 'mpeg1') {
            // Asked for MPEG-1 and got something else: nothing here can decode it.
            this.destroy();
            return;
          }
          this.newDecoder();
        },
        onMedia: (data) => {
          if (!this.decoder) return;
          this.bytes += data.byteLength;
          this.fragments++;
          this.socket.markHealthy();
          this.setStatus('live');
          this.decoder.source.push(data);
        },
        onServerState: (s) => opts.onServerState?.(s),
        onDrop: () => {
          this.reconnects++;
          this.setStatus('reconnecting');
        },
        onRefused: (reason) => {
          this.setStatus('stopped');
          opts.onRefused?.(reason);
        },
      },
    );
  }

  get canvas(): HTMLCanvasElement {
    return this.canvasEl;
  }

  get status(): PlayerStatus {
    return this.currentStatus;
  }

  get stats(): PlayerStats {
    return {
      bytes: this.bytes,
      fragments: this.fragments,
      framesDecoded: this.frames,
      droppedFrames: 0,
      latencyToBufferEnd: null,
      reconnects: this.reconnects,
    };
  }

  start(): void {
    if (!this.destroyed) this.socket.start();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.socket.stop();
    this.dropDecoder();
    this.canvasEl.remove();
    this.setStatus('stopped');
  }

  private setStatus(s: PlayerStatus): void {
    if (this.currentStatus === s) return;
    this.currentStatus = s;
    this.opts.onStatus?.(s);
  }

  private newCanvas(): HTMLCanvasElement {
    const c = document.createElement('canvas');
    c.className = 'video-canvas';
    return c;
  }

  /**
   * A fresh decoder per connection: the demuxer and decoder keep partial packets and
   * timestamps from the old stream. The old picture stays up until the new canvas replaces it.
   */
  private newDecoder(): void {
    const hadDecoder = this.decoder !== null;
    this.dropDecoder();
    if (hadDecoder) {
      const fresh = this.newCanvas();
      this.canvasEl.replaceWith(fresh);
      this.canvasEl = fresh;
    }
    const source = new PushSource();
    const player = new JSMpeg.Player('', {
      canvas: this.canvasEl,
      source: class {
        constructor() {
          return source;
        }
      } as unknown as new () => JSMpegSource,
      audio: false,
      autoplay: true,
      pauseWhenHidden: false,
      disableWebAssembly: true,
      // Lets tests and snapshots read the canvas back.
      preserveDrawingBuffer: true,
      onVideoDecode: () => {
        this.frames++;
        if (this.frames === 1) this.resolveFirstFrame(performance.now());
      },
    });
    this.decoder = { player, source };
  }

  private dropDecoder(): void {
    const d = this.decoder;
    this.decoder = null;
    d?.player.destroy();
  }
}
