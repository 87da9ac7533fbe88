// Newline-delimited JSON over a byte stream, with a cap on line length so a confused or hostile
// peer cannot make us buffer without end.
import type { Socket } from 'node:net';

export class LineTooLongError extends Error {
  readonly code = 'LINE_TOO_LONG';
}

export function onJsonLines(socket: Socket, maxLineBytes: number, handler: (value: unknown) => void, onError: (err: Error) => void): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  socket.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, nl);
      const line = pending.length ? Buffer.concat([...pending, part]) : part;
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
      if (line.length > maxLineBytes) {
        onError(new LineTooLongError(`line of ${line.length} bytes exceeds ${maxLineBytes}`));
        continue;
      }
      if (line.length === 0) continue;
      let value: unknown;
      try {
        value = JSON.parse(line.toString('utf8'));
      } catch (err) {
        onError(err as Error);
        continue;
      }
      handler(value);
    }
    if (start < chunk.length) {
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) {
        onError(new LineTooLongError(`unterminated line exceeds ${maxLineBytes} bytes`));
        socket.destroy();
        return;
      }
      pending.push(chunk.subarray(start));
    }
  });
}

export function writeJsonLine(socket: Socket, value: unknown): boolean {
  return socket.write(`${JSON.stringify(value)}\n`);
}
