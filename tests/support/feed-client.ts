// A WebSocket client of the gateway feed that keeps every message with its arrival time.
import WebSocket from 'ws';

export interface FeedMessage {
  type: string;
  [k: string]: unknown;
}

export class FeedClient {
  readonly messages: Array<{ msg: FeedMessage; atNs: bigint }> = [];
  private ws: WebSocket | null = null;
  private listeners: Array<(m: FeedMessage, atNs: bigint) => void> = [];

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  open(): Promise<void> {
    const ws = new WebSocket(this.url, { headers: { authorization: `Bearer ${this.token}` } });
    this.ws = ws;
    ws.on('message', (data) => {
      const atNs = process.hrtime.bigint();
      const msg = JSON.parse(data.toString()) as FeedMessage;
      this.messages.push({ msg, atNs });
      for (const l of this.listeners) l(msg, atNs);
    });
    // Resolves on the first message, which is the snapshot.
    return new Promise((res, rej) => {
      ws.once('message', () => res());
      ws.once('error', rej);
      ws.once('unexpected-response', (_req, resp) => rej(new Error(`feed refused: HTTP ${resp.statusCode}`)));
    });
  }

  onMessage(l: (m: FeedMessage, atNs: bigint) => void): void {
    this.listeners.push(l);
  }

  close(): void {
    this.ws?.close();
    this.ws = null;
  }
}
