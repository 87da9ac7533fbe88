import { describe, expect, it } from 'vitest';
import { HealthMachine } from '../../../gateway/cameras/health.ts';
import { parseTarget } from '../../../gateway/cameras/discovery.ts';
import { MAX_DATAGRAM_BYTES, parseDiscoveryDatagram, probeXml } from '../../../gateway/cameras/soap/discovery.ts';
import { parseXml, text, at } from '../../../gateway/cameras/soap/xml.ts';

const match = (relatesTo: string, inner: string) =>
  Buffer.from(
    `<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><env:Header><wsa:RelatesTo>${relatesTo}</wsa:RelatesTo></env:Header><env:Body><d:ProbeMatches>${inner}</d:ProbeMatches></env:Body></env:Envelope>`,
  );
const pm = (uuid: string, xaddrs: string, scopes = 'onvif://www.onvif.org/name/Gate%20Dome onvif://www.onvif.org/hardware/SIM-1') =>
  `<d:ProbeMatch><wsa:EndpointReference><wsa:Address>${uuid}</wsa:Address></wsa:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>${scopes}</d:Scopes><d:XAddrs>${xaddrs}</d:XAddrs></d:ProbeMatch>`;

describe('WS-Discovery messages', () => {
  it('builds a Probe for NetworkVideoTransmitter with the given MessageID', () => {
    const doc = parseXml(probeXml('urn:uuid:1234'));
    expect(text(at(doc, 'Envelope', 'Header', 'MessageID'))).toBe('urn:uuid:1234');
    expect(text(at(doc, 'Envelope', 'Body', 'Probe', 'Types'))).toBe('dn:NetworkVideoTransmitter');
  });

  it('parses ProbeMatches: endpoint, XAddrs, scopes, name and hardware', () => {
    const m = parseDiscoveryDatagram(match('urn:uuid:1', pm('urn:uuid:cam-a', 'http://127.0.0.1:8000/onvif/device_service http://[::1]:8000/onvif/device_service')));
    expect(m?.relatesTo).toBe('urn:uuid:1');
    expect(m?.devices).toEqual([
      {
        endpoint: 'urn:uuid:cam-a',
        xaddrs: ['http://127.0.0.1:8000/onvif/device_service', 'http://[::1]:8000/onvif/device_service'],
        scopes: ['onvif://www.onvif.org/name/Gate%20Dome', 'onvif://www.onvif.org/hardware/SIM-1'],
        types: ['dn:NetworkVideoTransmitter'],
        name: 'Gate Dome',
        hardware: 'SIM-1',
      },
    ]);
  });

  it('drops matches without a usable address, and hostile or oversized datagrams', () => {
    expect(parseDiscoveryDatagram(match('x', pm('urn:uuid:a', 'javascript:alert(1)')))?.devices).toEqual([]);
    expect(parseDiscoveryDatagram(match('x', pm('urn:uuid:a', 'http://h/%ZZ', 'onvif://www.onvif.org/name/%E0%A4%A')))?.devices[0]?.name).toBe('%E0%A4%A');
    expect(parseDiscoveryDatagram(Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'))).toBeNull();
    expect(parseDiscoveryDatagram(Buffer.alloc(MAX_DATAGRAM_BYTES + 1, 0x20))).toBeNull();
    expect(parseDiscoveryDatagram(Buffer.from('not xml at all <<<'))).toBeNull();
    expect(parseDiscoveryDatagram(Buffer.from('<a><b/></a>'))).toBeNull();
  });

  it('reads host:port targets, IPv6 in brackets', () => {
    expect(parseTarget('127.0.0.1:3702')).toEqual({ host: '127.0.0.1', port: 3702 });
    expect(parseTarget('[::1]:3702')).toEqual({ host: '::1', port: 3702 });
    expect(parseTarget('127.0.0.1:0')).toBeNull();
    expect(parseTarget('nonsense')).toBeNull();
  });
});

describe('camera health', () => {
  const T = Date.UTC(2026, 0, 1);
  it('connecting -> online -> offline after two failed probes -> online on reconnect', () => {
    const h = new HealthMachine(T, 2);
    expect(h.value.state).toBe('connecting');
    expect(h.apply({ kind: 'connected' }, T + 1)?.state).toBe('online');
    expect(h.apply({ kind: 'probe-failed', reason: 'timeout' }, T + 2)).toBeNull();
    expect(h.apply({ kind: 'probe-ok' }, T + 3)).toBeNull();
    expect(h.apply({ kind: 'probe-failed', reason: 'timeout' }, T + 4)).toBeNull();
    const off = h.apply({ kind: 'probe-failed', reason: 'ECONNREFUSED' }, T + 5);
    expect(off).toEqual({ state: 'offline', since: new Date(T + 5).toISOString(), reason: 'ECONNREFUSED' });
    expect(h.apply({ kind: 'connect-failed', reason: 'again', auth: false }, T + 6)).toBeNull();
    expect(h.apply({ kind: 'connected' }, T + 7)?.state).toBe('online');
  });

  it('refused credentials are auth-failed, not offline', () => {
    const h = new HealthMachine(T);
    expect(h.apply({ kind: 'connect-failed', reason: 'NotAuthorized', auth: true }, T)?.state).toBe('auth-failed');
    expect(h.apply({ kind: 'connect-failed', reason: 'NotAuthorized', auth: true }, T + 1)).toBeNull();
    expect(h.apply({ kind: 'connected' }, T + 2)?.state).toBe('online');
  });
});
