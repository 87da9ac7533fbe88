// WS-Discovery on loopback only (unicast Probe to the responder's port), with 16 cameras each on its own port.
import { createSocket, type Socket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscoveryResponder } from '../../../simulators/camera/discovery-responder.ts';
import { SimulatedCamera } from '../../../simulators/camera/simulated-camera.ts';
import { child, parseSoap, text, textAt } from '../../../simulators/camera/soap-envelope.ts';
import { callNoAuth } from './raw-onvif.ts';

const N = 16;

function probeXml(messageId: string, types = '<d:Types>dn:NetworkVideoTransmitter</d:Types>', padding = ''): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" ` +
      `xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><e:Header><w:MessageID>${messageId}</w:MessageID>` +
      `<w:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To><w:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header>` +
      `<e:Body><d:Probe>${types}</d:Probe>${padding}</e:Body></e:Envelope>`,
  );
}

interface Received { msg: Buffer; from: string }

/** A client socket on 127.0.0.1 that collects datagrams for a while (bounded). */
async function withClient<T>(fn: (socket: Socket, received: Received[]) => Promise<T>): Promise<T> {
  const socket = createSocket('udp4');
  const received: Received[] = [];
  socket.on('message', (msg, rinfo) => received.push({ msg, from: rinfo.address }));
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
  try {
    return await fn(socket, received);
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

const send = (socket: Socket, buf: Buffer, port: number) => new Promise<void>((resolve, reject) => socket.send(buf, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));

async function collect(received: Received[], count: number, maxMs = 3000): Promise<void> {
  for (let waited = 0; waited < maxMs && received.length < count; waited += 20) await new Promise((r) => setTimeout(r, 20));
}

describe('WS-Discovery responder', () => {
  const cameras = Array.from({ length: N }, (_, i) => new SimulatedCamera({ id: `disc-${i}`, name: `Camera ${i}`, model: i % 3 === 0 ? 'fixed' : 'ptz', username: 'admin', password: `pw-${i}` }));
  const responder = new DiscoveryResponder({ cameras });
  let port = 0;

  beforeAll(async () => {
    await Promise.all(cameras.map((c) => c.start()));
    port = await responder.start();
  });
  afterAll(async () => {
    await responder.stop();
    await Promise.all(cameras.map((c) => c.stop()));
  });

  it('runs 16 cameras at once, each on its own port, each answering', async () => {
    const ports = new Set(cameras.map((c) => new URL(c.xaddr).port));
    expect(ports.size).toBe(N);
    const replies = await Promise.all(cameras.map((c) => callNoAuth(c.xaddr, '<tds:GetSystemDateAndTime/>')));
    expect(replies.every((r) => r.status === 200)).toBe(true);
  });

  it('answers a unicast Probe with one ProbeMatch per camera, related to the probe, with XAddrs and scopes', async () => {
    const id = `urn:uuid:${randomUUID()}`;
    const matches = await withClient(async (socket, received) => {
      await send(socket, probeXml(id), port);
      await collect(received, N);
      await new Promise((r) => setTimeout(r, 100)); // nothing beyond one per camera
      return received;
    });
    expect(matches).toHaveLength(N);
    const xaddrs = new Set<string>();
    for (const { msg, from } of matches) {
      expect(from).toBe('127.0.0.1');
      expect(msg.length).toBeLessThanOrEqual(2048);
      const soap = parseSoap(msg.toString('utf8'));
      expect(soap.action).toBe('ProbeMatches');
      expect(textAt(soap.header, 'RelatesTo')).toBe(id);
      const match = child(soap.body, 'ProbeMatch');
      const scopes = text(child(match, 'Scopes')) ?? '';
      expect(scopes).toContain('onvif://www.onvif.org/type/video_encoder');
      expect(scopes).toMatch(/onvif:\/\/www\.onvif\.org\/name\/Camera%20\d+/);
      expect(scopes).toContain('onvif://www.onvif.org/hardware/');
      xaddrs.add(textAt(match, 'XAddrs') ?? '');
    }
    expect(xaddrs).toEqual(new Set(cameras.map((c) => c.xaddr)));
  });

  it('answers a Probe with no Types too, but not one for other device types', async () => {
    const [untyped, other] = await withClient(async (socket, received) => {
      await send(socket, probeXml('urn:uuid:untyped', ''), port);
      await collect(received, N);
      const n = received.length;
      await send(socket, probeXml('urn:uuid:printer', '<d:Types>p:Printer</d:Types>'), port);
      await new Promise((r) => setTimeout(r, 300));
      return [n, received.length - n];
    });
    expect(untyped).toBe(N);
    expect(other).toBe(0);
  });

  it('ignores oversized probes and hostile XML', async () => {
    const got = await withClient(async (socket, received) => {
      await send(socket, probeXml('urn:uuid:big', undefined, `<x>${'A'.repeat(5000)}</x>`), port);
      await send(socket, Buffer.from(`<!DOCTYPE x [<!ENTITY a "b">]>${probeXml('urn:uuid:dtd').toString()}`), port);
      await new Promise((r) => setTimeout(r, 300));
      return received.length;
    });
    expect(got).toBe(0);
  });

  it('leaves out a camera that is offline', async () => {
    const cam = cameras[0]!;
    cam.setOffline(true);
    await cam.settled();
    try {
      const got = await withClient(async (socket, received) => {
        await send(socket, probeXml('urn:uuid:offline'), port);
        await collect(received, N - 1);
        await new Promise((r) => setTimeout(r, 100));
        return received;
      });
      expect(got).toHaveLength(N - 1);
      expect(got.some(({ msg }) => msg.toString().includes(cam.uuid))).toBe(false);
    } finally {
      cam.setOffline(false);
      await cam.settled();
    }
  });

  it('sends a Hello for each camera to a loopback target, and refuses any other host', async () => {
    const hellos = await withClient(async (socket, received) => {
      const target = socket.address().port;
      await responder.sendHello({ host: '127.0.0.1', port: target });
      await collect(received, N);
      return received;
    });
    expect(hellos).toHaveLength(N);
    const uuids = new Set(hellos.map(({ msg }) => textAt(child(parseSoap(msg.toString()).body, 'EndpointReference'), 'Address')));
    expect(uuids).toEqual(new Set(cameras.map((c) => c.uuid)));
    await expect(responder.sendHello({ host: '10.0.0.1' as '127.0.0.1', port: 3702 })).rejects.toThrow();
  });
});
