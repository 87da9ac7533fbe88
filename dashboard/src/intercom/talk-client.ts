// Push-to-talk from the operator's browser to a camera's speaker: microphone (echo cancellation
// and noise suppression on) → AudioContext → ScriptProcessorNode → 16 kHz PCM16 in 20 ms binary
// messages over a same-origin WebSocket (the session cookie authenticates it). The gateway side
// is gateway/intercom/ws-talk.ts; its protocol: {"type":"start","sampleRate":16000}, binary
// audio, {"type":"stop"}; it answers {"type":"ready"} or {"type":"error","code":...}.
//
// Why ScriptProcessorNode, deprecated as it is: an AudioWorklet needs its own module URL, and
// the page's CSP (`script-src 'self'`, no blob:) would need a separate built file for it. The
// processor runs on the main thread, which is fine for 16 kHz mono.
import { Chunker, Downsampler } from './downsample.ts';

export type TalkState = 'idle' | 'starting' | 'talking' | 'error';

export interface TalkClientOptions {
  /** WebSocket URL or same-origin path (e.g. `/api/cameras/gate-1/talk`). */
  url: string;
  onState?: (state: TalkState, detail?: string) => void;
  /** Chunk length, 20-40 ms; default 20. */
  chunkMs?: number;
}

const TARGET_RATE = 16000;
/** A socket that cannot keep up gets no more queued than this; newer audio is dropped. */
const MAX_BUFFERED_BYTES = 64 * 1024;
/** Chunks held while the socket is still opening (about a second). */
const MAX_EARLY_CHUNKS = 50;

interface Press {
  ws: WebSocket;
  stream: MediaStream | null;
  ctx: AudioContext | null;
  nodes: AudioNode[];
  early: ArrayBuffer[];
}

export class TalkClient {
  private press: Press | null = null;
  private state: TalkState = 'idle';

  constructor(private readonly o: TalkClientOptions) {}

  current(): TalkState {
    return this.state;
  }

  /** Press: opens the socket and the microphone. Rejects (and tears down) if either fails. */
  async start(): Promise<void> {
    if (this.press) return;
    const press: Press = { ws: new WebSocket(wsUrl(this.o.url)), stream: null, ctx: null, nodes: [], early: [] };
    press.ws.binaryType = 'arraybuffer';
    this.press = press;
    this.setState('starting');
    press.ws.onopen = () => {
      press.ws.send(JSON.stringify({ type: 'start', sampleRate: TARGET_RATE }));
      for (const chunk of press.early.splice(0)) press.ws.send(chunk);
    };
    press.ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data !== 'string') return;
      const msg = parseServerMessage(ev.data);
      if (msg?.type === 'ready' && this.press === press) this.setState('talking');
      else if (msg?.type === 'error') this.fail(press, msg.code);
    };
    press.ws.onclose = () => {
      if (this.press === press) this.fail(press, 'socket closed');
    };
    try {
      press.stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, channelCount: 1 } });
      // stop() may have run while the permission prompt was up.
      if (this.press !== press) return void teardown(press);
      this.wire(press, press.stream);
    } catch (err) {
      this.fail(press, err instanceof Error ? err.name : 'microphone unavailable');
      throw err;
    }
  }

  /** Release: tells the gateway to finish (it plays what it has), then frees everything. */
  stop(): void {
    const press = this.press;
    if (!press) return;
    this.press = null;
    if (press.ws.readyState === WebSocket.OPEN) press.ws.send(JSON.stringify({ type: 'stop' }));
    teardown(press);
    this.setState('idle');
  }

  private wire(press: Press, stream: MediaStream): void {
    const ctx = new AudioContext();
    press.ctx = ctx;
    const source = ctx.createMediaStreamSource(stream);
    // 1024 frames is about 21 ms at 48 kHz: short enough for talk, long enough for the main thread.
    const processor = ctx.createScriptProcessor(1024, 1, 1);
    const silent = ctx.createGain();
    silent.gain.value = 0;
    const down = new Downsampler(ctx.sampleRate, TARGET_RATE);
    const chunkMs = Math.min(40, Math.max(20, this.o.chunkMs ?? 20));
    const chunker = new Chunker((TARGET_RATE * chunkMs) / 1000);
    processor.onaudioprocess = (ev: AudioProcessingEvent) => {
      for (const chunk of chunker.push(down.push(ev.inputBuffer.getChannelData(0)))) this.send(press, chunk);
    };
    // A processor only runs while connected to the destination; the zero gain keeps it silent.
    source.connect(processor);
    processor.connect(silent);
    silent.connect(ctx.destination);
    press.nodes.push(source, processor, silent);
    void ctx.resume();
  }

  private send(press: Press, chunk: Int16Array): void {
    const bytes = littleEndian(chunk);
    if (press.ws.readyState === WebSocket.CONNECTING) {
      if (press.early.length < MAX_EARLY_CHUNKS) press.early.push(bytes);
      return;
    }
    if (press.ws.readyState !== WebSocket.OPEN || press.ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
    press.ws.send(bytes);
  }

  private fail(press: Press, detail: string): void {
    if (this.press === press) this.press = null;
    teardown(press);
    this.setState('error', detail);
  }

  private setState(state: TalkState, detail?: string): void {
    this.state = state;
    this.o.onState?.(state, detail);
  }
}

function teardown(press: Press): void {
  for (const node of press.nodes) node.disconnect();
  press.nodes = [];
  for (const track of press.stream?.getTracks() ?? []) track.stop();
  press.stream = null;
  if (press.ctx && press.ctx.state !== 'closed') void press.ctx.close();
  press.ctx = null;
  press.early = [];
  press.ws.onclose = null;
  if (press.ws.readyState === WebSocket.OPEN || press.ws.readyState === WebSocket.CONNECTING) press.ws.close(1000, 'released');
}

/** Same-origin http(s) path → ws(s) URL. */
function wsUrl(url: string): string {
  const u = new URL(url, location.href);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  return u.toString();
}

/** The wire format is little-endian; every browser platform is too, but say so explicitly. */
function littleEndian(pcm: Int16Array): ArrayBuffer {
  const buf = new ArrayBuffer(pcm.length * 2);
  const view = new DataView(buf);
  for (let i = 0; i < pcm.length; i++) view.setInt16(2 * i, pcm[i] ?? 0, true);
  return buf;
}

function parseServerMessage(text: string): { type: 'ready' } | { type: 'error'; code: string } | null {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return null;
    const o = v as Record<string, unknown>;
    if (o['type'] === 'ready') return { type: 'ready' };
    if (o['type'] === 'error') return { type: 'error', code: typeof o['code'] === 'string' ? o['code'].slice(0, 64) : 'error' };
  } catch {
    // Not JSON: ignore, as for any message we do not know.
  }
  return null;
}
