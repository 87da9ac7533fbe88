// A camera's HTTP agent gives up on an answer larger than its cap, on a real loopback socket,
// and counts each keep-alive answer on its own.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CappedAgent } from '../../../gateway/cameras/capped-agent.ts';

const CAP = 256 * 1024;
const CHUNK = Buffer.alloc(16 * 1024, 'x');

let server: http.Server;
let port = 0;
/** Bytes the server managed to write for the endless answer before the client hung up. */
let endlessWritten = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/endless') {
      res.writeHead(200, { 'content-type': 'application/soap+xml' });
      const pump = (): void => {
        // Bounded: 64 MiB at most, far past the cap.
        while (endlessWritten < 64 * 1024 * 1024) {
          endlessWritten += CHUNK.length;
          if (!res.write(CHUNK)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => undefined);
      pump();
      return;
    }
    // An answer just under the cap.
    res.writeHead(200, { 'content-type': 'application/soap+xml' });
    res.end(Buffer.alloc(CAP - 4096, 'y'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function get(agent: http.Agent, path: string): Promise<{ bytes: number; socketPort: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ bytes, socketPort: req.socket?.localPort ?? 0 }));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('aborted')));
    });
    req.on('error', reject);
  });
}

describe('CappedAgent', () => {
  it('abandons an endless answer soon after the cap, with a camera error code', async () => {
    const agent = new CappedAgent({ keepAlive: true }, CAP);
    const err = await get(agent, '/endless').then(
      () => null,
      (e: unknown) => e as { code?: string; message?: string },
    );
    agent.destroy();
    expect(err).not.toBeNull();
    // The client hung up long before the server's 64 MiB: socket buffers only, not the body.
    await new Promise((r) => setTimeout(r, 200));
    expect(endlessWritten).toBeLessThan(32 * 1024 * 1024);
  });

  it('counts each keep-alive answer on its own: many answers under the cap pass on one socket', async () => {
    const agent = new CappedAgent({ keepAlive: true, maxSockets: 1 }, CAP);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await get(agent, '/ok'));
    agent.destroy();
    expect(results.every((r) => r.bytes === CAP - 4096)).toBe(true);
    // All on the same socket: five answers together are far over the cap.
    expect(new Set(results.map((r) => r.socketPort)).size).toBe(1);
  });
});
