// The small part of @cycjimmy/jsmpeg-player (JSMpeg 0.2 inside) the fallback player uses.
// The package ships no types.
declare module '@cycjimmy/jsmpeg-player' {
  /** What JSMpeg calls a source: it pushes MPEG-TS bytes into `destination.write`. */
  export interface JSMpegSource {
    streaming: boolean;
    established: boolean;
    completed: boolean;
    progress: number;
    connect(destination: { write(data: ArrayBuffer): void }): void;
    start(): void;
    resume(headroom: number): void;
    destroy(): void;
  }

  export interface JSMpegPlayerOptions {
    canvas?: HTMLCanvasElement;
    source?: new (url: string, options: JSMpegPlayerOptions) => JSMpegSource;
    audio?: boolean;
    video?: boolean;
    autoplay?: boolean;
    loop?: boolean;
    pauseWhenHidden?: boolean;
    disableGl?: boolean;
    disableWebAssembly?: boolean;
    preserveDrawingBuffer?: boolean;
    videoBufferSize?: number;
    decodeFirstFrame?: boolean;
    onVideoDecode?: (decoder: unknown, time: number) => void;
  }

  export interface JSMpegPlayer {
    play(): void;
    pause(): void;
    destroy(): void;
  }

  const JSMpeg: {
    Player: new (url: string, options: JSMpegPlayerOptions, hooks?: Record<string, () => void>) => JSMpegPlayer;
  };
  export default JSMpeg;
}
