import { describe, expect, it } from 'vitest';
import { parseDuration, parseSoap, textAt } from '../../../simulators/camera/soap-envelope.ts';
import { parseProbe } from '../../../simulators/camera/discovery-responder.ts';
import { SoapFault } from '../../../simulators/camera/soap-fault.ts';

describe('SOAP envelope parsing', () => {
  it('dispatches on the local name whatever the prefixes', () => {
    const xml = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"><SOAP-ENV:Body><q:GotoPreset xmlns:q="http://www.onvif.org/ver20/ptz/wsdl"><q:ProfileToken>main</q:ProfileToken><q:PresetToken>2</q:PresetToken></q:GotoPreset></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
    const r = parseSoap(xml);
    expect(r.action).toBe('GotoPreset');
    expect(r.actionNs).toBe('http://www.onvif.org/ver20/ptz/wsdl');
    expect(textAt(r.body, 'PresetToken')).toBe('2');
  });
  it('handles default namespaces and no prefixes', () => {
    const r = parseSoap(`<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Body><GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/></Body></Envelope>`);
    expect(r.action).toBe('GetProfiles');
    expect(r.actionNs).toBe('http://www.onvif.org/ver10/media/wsdl');
  });
  it('refuses DTDs and entity declarations (billion laughs)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><s:Envelope xmlns:s="x"><s:Body><a>&lol2;</a></s:Body></s:Envelope>`;
    expect(() => parseSoap(bomb)).toThrow(SoapFault);
  });
  it('refuses things that are not SOAP', () => {
    expect(() => parseSoap('<a><b/></a>')).toThrow(SoapFault);
    expect(() => parseSoap('not xml at all <<<')).toThrow(SoapFault);
  });
  it('parses xs:duration', () => {
    expect(parseDuration('PT60S')).toBe(60_000);
    expect(parseDuration('PT1M30S')).toBe(90_000);
    expect(parseDuration('PT0.5S')).toBe(500);
    expect(parseDuration('P1DT1H')).toBe(25 * 3_600_000);
    expect(parseDuration('2025-01-01T00:00:00Z')).toBeUndefined();
    expect(parseDuration('PT')).toBeUndefined();
  });
});

describe('WS-Discovery probe parsing', () => {
  const probe = (types: string) =>
    Buffer.from(
      `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><e:Header><w:MessageID>uuid:1234</w:MessageID></e:Header><e:Body><d:Probe>${types}</d:Probe></e:Body></e:Envelope>`,
    );
  it('reads MessageID and Types', () => {
    expect(parseProbe(probe('<d:Types>dn:NetworkVideoTransmitter</d:Types>'))).toEqual({ messageId: 'uuid:1234', types: ['dn:NetworkVideoTransmitter'], scopes: [] });
  });
  it('ignores oversized datagrams and non-probes', () => {
    expect(parseProbe(Buffer.concat([probe(''), Buffer.alloc(5000, 32)]))).toBeUndefined();
    expect(parseProbe(Buffer.from('<x/>'))).toBeUndefined();
  });
});

describe('WS-Discovery datagram filter', () => {
  it('answers only loopback 127.0.0.1 and only probe-sized datagrams', async () => {
    const { acceptDatagram } = await import('../../../simulators/camera/discovery-responder.ts');
    expect(acceptDatagram('127.0.0.1', 900)).toBe(true);
    expect(acceptDatagram('10.0.0.7', 900)).toBe(false);
    expect(acceptDatagram('127.0.0.2', 900)).toBe(false);
    expect(acceptDatagram('::ffff:127.0.0.1', 900)).toBe(false);
    expect(acceptDatagram('127.0.0.1', 4097)).toBe(false);
  });
});
