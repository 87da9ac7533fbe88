// MQTT frame lengths, read off the byte stream before any parser buffers a packet. aedes (via
// mqtt-packet) has no size limit of its own: a client announcing a 256 MiB PUBLISH would make it
// buffer that much. Pure: fed chunks, says when a frame announces more than the cap.

export class MqttFrameSizeScanner {
  private phase: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private remaining = 0;

  constructor(private readonly maxRemainingLength: number) {}

  /** Returns null while all frames are within the cap, else why the stream must be cut. */
  push(chunk: Uint8Array): string | null {
    let i = 0;
    while (i < chunk.length) {
      if (this.phase === 'body') {
        const skip = Math.min(this.remaining, chunk.length - i);
        i += skip;
        this.remaining -= skip;
        if (this.remaining === 0) this.phase = 'type';
        continue;
      }
      const byte = chunk[i++]!;
      if (this.phase === 'type') {
        this.phase = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      // Remaining length: 7 bits per byte, least significant first, at most 4 bytes (MQTT 2.2.3).
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (this.length > this.maxRemainingLength) return `frame of more than ${this.maxRemainingLength} bytes`;
      if (byte & 0x80) {
        if (this.lengthBytes >= 4) return 'malformed remaining length';
        continue;
      }
      this.remaining = this.length;
      this.phase = this.remaining === 0 ? 'type' : 'body';
    }
    return null;
  }
}
