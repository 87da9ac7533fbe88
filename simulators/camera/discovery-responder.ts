// WS-Discovery (SOAP-over-UDP) responder for the simulated cameras: unicast on 127.0.0.1 only, never multicast.
// Answers Probes from 127.0.0.1 with one ProbeMatch datagram per camera, each capped in size; sends Hello on request.
import { createSocket, type Socket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { createRootLogger, componentLogger, type Logger } from '../../common/logger.ts';
import { child, esc, parseSoap, text, textAt } from './soap-envelope.ts';
import { scopes } from './services/device.ts';
import type { SimulatedCamera } from './simulated-camera.ts';

export const MAX_PROBE_BYTES = 4096;
export const MAX_REPLY_BYTES = 2048;
const MAX_PROBES_PER_SECOND = 50;
const LOOPBACK = '127.0.0.1';

const WSA = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
const WSD = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
const HEAD =
  `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="${WSA}" xmlns:d="${WSD}" ` +
  `xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">`;

export interface ParsedProbe { messageId: string; types: string[]; scopes: string[] }

/** A Probe, or undefined for anything else (including hostile or oversized input). */
export function parseProbe(datagram: Buffer): ParsedProbe | undefined {
  if (datagram.length > MAX_PROBE_BYTES) return undefined;
  try {
    const soap = parseSoap(datagram.toString('utf8'));
    if (soap.action !== 'Probe') return undefined;
    const words = (s: string | undefined): string[] => (s ?? '').split(/\s+/).filter((w) => w.length > 0);
    return { messageId: (textAt(soap.header, 'MessageID') ?? '').slice(0, 256), types: words(text(child(soap.body, 'Types'))), scopes: words(text(child(soap.body, 'Scopes'))) };
  } catch {
    return undefined;
  }
}

/** Only probes from this machine's loopback, and no bigger than a real Probe. */
export function acceptDatagram(fromAddress: string, size: number): boolean {
  return fromAddress === LOOPBACK && size <= MAX_PROBE_BYTES;
}

function wantsCamera(probe: ParsedProbe, cameraScopes: string[]): boolean {
  const typeOk = probe.types.length === 0 || probe.types.some((t) => /(^|:)(NetworkVideoTransmitter|Device)$/.test(t));
  // RFC 3986 prefix matching (the WS-Discovery default rule), segment by segment.
  const scopeOk = probe.scopes.every((want) => cameraScopes.some((have) => have === want || have.startsWith(want.endsWith('/') ? want : `${want}/`)));
  return typeOk && scopeOk;
}

function discoveryScopes(cam: SimulatedCamera): string[] {
  return scopes({ name: cam.name.slice(0, 64), model: cam.model });
}

function endpointXml(cam: SimulatedCamera): string {
  return (
    `<wsa:EndpointReference><wsa:Address>${cam.uuid}</wsa:Address></wsa:EndpointReference><d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>` +
    `<d:Scopes>${discoveryScopes(cam).map(esc).join(' ')}</d:Scopes><d:XAddrs>${esc(cam.xaddr)}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>`
  );
}

export function probeMatchXml(cam: SimulatedCamera, relatesTo: string, messageNumber: number): string {
  return (
    `${HEAD}<env:Header><wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID><wsa:RelatesTo>${esc(relatesTo)}</wsa:RelatesTo>` +
    `<wsa:To>${WSA}/role/anonymous</wsa:To><wsa:Action>${WSD}/ProbeMatches</wsa:Action><d:AppSequence InstanceId="1" MessageNumber="${messageNumber}"/></env:Header>` +
    `<env:Body><d:ProbeMatches><d:ProbeMatch>${endpointXml(cam)}</d:ProbeMatch></d:ProbeMatches></env:Body></env:Envelope>`
  );
}

export function helloXml(cam: SimulatedCamera, messageNumber: number): string {
  return (
    `${HEAD}<env:Header><wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>` +
    `<wsa:Action>${WSD}/Hello</wsa:Action><d:AppSequence InstanceId="1" MessageNumber="${messageNumber}"/></env:Header>` +
    `<env:Body><d:Hello>${endpointXml(cam)}</d:Hello></env:Body></env:Envelope>`
  );
}

export class DiscoveryResponder {
  private readonly cameras: SimulatedCamera[];
  private readonly port: number;
  private readonly log: Logger;
  private socket: Socket | undefined;
  private messageNumber = 0;
  private window = { startMs: 0, count: 0 };

  constructor(opts: { cameras: SimulatedCamera[]; port?: number; logger?: Logger }) {
    this.cameras = opts.cameras;
    this.port = opts.port ?? 0;
    this.log = componentLogger(opts.logger ?? createRootLogger('camera-sim', process.env.LOG_LEVEL ?? 'warn'), 'discovery-responder');
  }

  start(): Promise<number> {
    if (this.socket) return Promise.reject(new Error('discovery responder already started'));
    const socket = createSocket({ type: 'udp4', reuseAddr: false });
    this.socket = socket;
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo.address, rinfo.port));
    socket.on('error', (err) => this.log.warn({ err }, 'discovery socket error'));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: LOOPBACK, port: this.port }, () => {
        socket.off('error', reject);
        resolve(socket.address().port);
      });
    });
  }

  stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  async sendHello(target: { host: '127.0.0.1'; port: number }): Promise<void> {
    if (target.host !== LOOPBACK) throw new Error('Hello goes to 127.0.0.1 only');
    if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) throw new Error(`bad port ${target.port}`);
    for (const cam of this.cameras) {
      if (!cam.reachable) continue;
      await this.send(Buffer.from(helloXml(cam, ++this.messageNumber)), target.port);
    }
  }

  private onMessage(msg: Buffer, from: string, fromPort: number): void {
    if (!acceptDatagram(from, msg.length) || !this.underRateLimit()) return;
    const probe = parseProbe(msg);
    if (!probe) return;
    for (const cam of this.cameras) {
      if (!cam.reachable || !wantsCamera(probe, discoveryScopes(cam))) continue;
      const reply = Buffer.from(probeMatchXml(cam, probe.messageId, ++this.messageNumber));
      if (reply.length > MAX_REPLY_BYTES) {
        this.log.warn({ bytes: reply.length }, 'ProbeMatch too large; not sent');
        continue;
      }
      this.send(reply, fromPort).catch((err: unknown) => this.log.warn({ err }, 'ProbeMatch send failed'));
    }
  }

  private underRateLimit(): boolean {
    const now = Date.now();
    if (now - this.window.startMs >= 1000) this.window = { startMs: now, count: 0 };
    this.window.count += 1;
    return this.window.count <= MAX_PROBES_PER_SECOND;
  }

  private send(buf: Buffer, port: number): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('discovery responder not started'));
    return new Promise((resolve, reject) => socket.send(buf, port, LOOPBACK, (err) => (err ? reject(err) : resolve())));
  }
}
