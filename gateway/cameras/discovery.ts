// WS-Discovery for ONVIF cameras: a Probe to the configured unicast targets (or, on a real site
// with no targets, to the multicast group with TTL 1 so it stays on the local segment), ProbeMatches
// collected until the deadline. Also an optional listener for cameras announcing themselves (Hello).
import { createSocket, type Socket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { Logger } from '../../common/logger.ts';
import { parseDiscoveryDatagram, probeXml, WSD_MULTICAST, WSD_PORT, type DiscoveredDevice } from './soap/discovery.ts';

export type { DiscoveredDevice } from './soap/discovery.ts';

export interface ProbeOptions {
  /** host:port (or [v6]:port); empty = multicast 239.255.255.250:3702. */
  targets: string[];
  timeoutMs: number;
  logger?: Logger;
  /** Cap on distinct devices kept from one probe. */
  maxDevices?: number;
}

export function parseTarget(t: string): { host: string; port: number } | null {
  const m = /^\[([0-9a-fA-F:]+)\]:(\d+)$/.exec(t) ?? /^([^:]+):(\d+)$/.exec(t);
  if (!m) return null;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: m[1]!, port };
}

function bindSocket(type: 'udp4' | 'udp6', address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type, reuseAddr: false });
    s.once('error', reject);
    s.bind({ address, port: 0 }, () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

const isLoopback = (h: string) => h === 'localhost' || h === '::1' || h.startsWith('127.');

export async function probe(options: ProbeOptions): Promise<DiscoveredDevice[]> {
  const targets = options.targets.map(parseTarget).filter((t): t is { host: string; port: number } => t !== null);
  const multicast = options.targets.length === 0;
  const v6 = targets.length > 0 && targets.every((t) => isIP(t.host) === 6);
  // Probing loopback only: bind to loopback, so nothing listens on the site network.
  const bindTo = !multicast && targets.every((t) => isLoopback(t.host)) ? (v6 ? '::1' : '127.0.0.1') : v6 ? '::' : '0.0.0.0';
  const socket = await bindSocket(v6 ? 'udp6' : 'udp4', bindTo);
  const messageId = `urn:uuid:${randomUUID()}`;
  const found = new Map<string, DiscoveredDevice>();
  const max = options.maxDevices ?? 512;
  socket.on('error', (err) => options.logger?.warn({ err: err.message }, 'discovery socket error'));
  socket.on('message', (msg) => {
    const parsed = parseDiscoveryDatagram(msg);
    if (!parsed || parsed.kind !== 'probe-matches' || parsed.relatesTo !== messageId) return;
    for (const d of parsed.devices) if (!found.has(d.endpoint) && found.size < max) found.set(d.endpoint, d);
  });
  try {
    const datagram = Buffer.from(probeXml(messageId), 'utf8');
    if (multicast) {
      socket.setMulticastTTL(1);
      socket.send(datagram, WSD_PORT, WSD_MULTICAST);
    } else {
      for (const t of targets) socket.send(datagram, t.port, t.host === 'localhost' ? '127.0.0.1' : t.host);
    }
    await new Promise((r) => setTimeout(r, options.timeoutMs));
  } finally {
    socket.close();
  }
  return [...found.values()];
}

export interface HelloListener {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens for Hello on a UDP port (unicast; a multicast join is the caller's site-specific choice). */
export async function listenForHello(opts: { port: number; address?: string; onHello: (d: DiscoveredDevice) => void; logger?: Logger }): Promise<HelloListener> {
  const address = opts.address ?? '127.0.0.1';
  const socket = createSocket({ type: isIP(address) === 6 ? 'udp6' : 'udp4', reuseAddr: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port: opts.port }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', (err) => opts.logger?.warn({ err: err.message }, 'hello socket error'));
  socket.on('message', (msg) => {
    const parsed = parseDiscoveryDatagram(msg);
    if (parsed?.kind === 'hello') for (const d of parsed.devices) opts.onHello(d);
  });
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
