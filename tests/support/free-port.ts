import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

/** A port the kernel just gave us on loopback (free a moment ago). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A UDP port on loopback that was free a moment ago, below the ephemeral range. */
export async function freeUdpPort(): Promise<number> {
  for (let tries = 0; tries < 1000; tries++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const sock = createSocket('udp4');
    const ok = await new Promise<boolean>((resolve) => {
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((r) => sock.close(() => r()));
    if (ok) return port;
  }
  throw new Error('no free UDP port');
}

/**
 * n distinct loopback TCP ports, chosen below the kernel's ephemeral range (32768+), so no
 * outgoing connection of a parallel test can take one between our check and its use. Each is
 * held open until all are chosen, so none repeats.
 */
export async function freePorts(n: number): Promise<number[]> {
  const held: import('node:net').Server[] = [];
  const ports: number[] = [];
  for (let tries = 0; ports.length < n && tries < 1000; tries++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (ports.includes(port)) continue;
    const srv = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      held.push(srv);
      ports.push(port);
    }
  }
  await Promise.all(held.map((s) => new Promise<void>((r) => s.close(() => r()))));
  if (ports.length < n) throw new Error(`could not find ${n} free ports`);
  return ports;
}
