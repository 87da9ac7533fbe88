import { describe, expect, it } from 'vitest';
import { classify, EventChangeFilter, parseCreatePullPoint, parsePullMessages, stripTopic } from '../../../gateway/cameras/soap/events.ts';
import { parseXml, soapFault, isAuthFault, XmlRejected } from '../../../gateway/cameras/soap/xml.ts';

const env = (body: string) =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tev="http://www.onvif.org/ver10/events/wsdl"><s:Body>${body}</s:Body></s:Envelope>`;

const note = (topic: string, data: string, source = '<tt:SimpleItem Name="VideoSourceConfigurationToken" Value="vsc-1"/>', utc = '2026-01-01T08:00:00Z', op = 'Changed') =>
  `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${topic}</wsnt:Topic>` +
  `<wsnt:Message><tt:Message UtcTime="${utc}" PropertyOperation="${op}"><tt:Source>${source}</tt:Source><tt:Data>${data}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`;

const pull = (...notes: string[]) =>
  env(`<tev:PullMessagesResponse><tev:CurrentTime>2026-01-01T08:00:00Z</tev:CurrentTime><tev:TerminationTime>2026-01-01T08:01:00Z</tev:TerminationTime>${notes.join('')}</tev:PullMessagesResponse>`);

describe('ONVIF event parsing', () => {
  it('reads motion from CellMotionDetector IsMotion and from VideoSource/MotionAlarm State', () => {
    const { ttlMs, messages } = parsePullMessages(
      parseXml(pull(note('tns1:RuleEngine/CellMotionDetector/Motion', '<tt:SimpleItem Name="IsMotion" Value="true"/>'), note('tns1:VideoSource/MotionAlarm', '<tt:SimpleItem Name="State" Value="false"/>', '<tt:SimpleItem Name="Source" Value="vs-2"/>'))),
    );
    expect(ttlMs).toBe(60000);
    const events = messages.map((m) => classify(m, 0, 0));
    expect(events.map((e) => [e?.topic, e?.active, e?.source])).toEqual([
      ['motion', true, 'vsc-1'],
      ['motion', false, 'vs-2'],
    ]);
  });

  it('reads tamper from GlobalSceneChange, VideoSource/Tamper and Device/Trigger/Tampering', () => {
    const { messages } = parsePullMessages(
      parseXml(
        pull(
          note('tns1:VideoSource/GlobalSceneChange/ImagingService', '<tt:SimpleItem Name="State" Value="true"/>'),
          note('tns1:VideoSource/Tamper', '<tt:SimpleItem Name="State" Value="true"/>'),
          note('tns1:Device/Trigger/Tampering', '<tt:SimpleItem Name="State" Value="false"/>'),
          note('tns1:Device/Trigger/DigitalInput', '<tt:SimpleItem Name="LogicalState" Value="true"/>'),
        ),
      ),
    );
    expect(messages.map((m) => classify(m, 0, 0)?.topic)).toEqual(['tamper', 'tamper', 'tamper', 'other']);
  });

  it('puts event times on the gateway clock using the measured camera offset', () => {
    const { messages } = parsePullMessages(parseXml(pull(note('tns1:RuleEngine/CellMotionDetector/Motion', '<tt:SimpleItem Name="IsMotion" Value="true"/>', '', '2026-01-01T08:01:30Z'))));
    expect(classify(messages[0]!, 90_000, 0)?.at).toBe('2026-01-01T08:00:00.000Z');
  });

  it('strips any namespace prefix from every topic segment', () => {
    expect(stripTopic('tns1:RuleEngine/tnsvendor:CellMotionDetector/Motion')).toBe('RuleEngine/CellMotionDetector/Motion');
  });

  it('passes only changes, starting from inactive', () => {
    const f = new EventChangeFilter();
    const e = (active: boolean) => ({ topic: 'motion' as const, active, at: '', onvifTopic: 'RuleEngine/CellMotionDetector/Motion', source: 'a' });
    expect([f.accept(e(false)), f.accept(e(true)), f.accept(e(true)), f.accept(e(false))]).toEqual([false, true, false, true]);
  });

  it('reads the pull point address and its Axis-style SubscriptionId', () => {
    const sub = parseCreatePullPoint(
      parseXml(
        env(
          `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address xmlns:wsa="http://www.w3.org/2005/08/addressing">http://127.0.0.1:8000/sub/1?a=1&amp;b=2</wsa:Address><wsa:ReferenceParameters xmlns:wsa="http://www.w3.org/2005/08/addressing"><dom0:SubscriptionId xmlns:dom0="http://www.axis.com/2009/event">7</dom0:SubscriptionId></wsa:ReferenceParameters></tev:SubscriptionReference><wsnt:CurrentTime>2026-01-01T08:00:00Z</wsnt:CurrentTime><wsnt:TerminationTime>2026-01-01T08:00:10Z</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`,
        ),
      ),
    );
    expect(sub).toEqual({ address: 'http://127.0.0.1:8000/sub/1?a=1&b=2', subscriptionId: '7', ttlMs: 10000 });
  });

  it('refuses a non-HTTP subscription address', () => {
    expect(parseCreatePullPoint(parseXml(env('<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><Address>file:///etc/passwd</Address></tev:SubscriptionReference></tev:CreatePullPointSubscriptionResponse>')))).toBeNull();
  });
});

describe('hostile XML', () => {
  it('refuses DOCTYPE and entity declarations (billion laughs, external entities)', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><s:Envelope xmlns:s="x"><s:Body>&lol2;</s:Body></s:Envelope>`;
    expect(() => parseXml(laughs)).toThrow(XmlRejected);
    expect(() => parseXml(`<!doctype x SYSTEM "file:///etc/passwd"><x/>`)).toThrow(XmlRejected);
  });

  it('refuses oversized and too deeply nested documents', () => {
    expect(() => parseXml(`<a>${'x'.repeat(2_000_000)}</a>`)).toThrow(XmlRejected);
    expect(() => parseXml('<a>'.repeat(500) + '</a>'.repeat(500))).toThrow(XmlRejected);
  });

  it('does not expand undeclared entities and decodes only predefined ones', () => {
    const { messages } = parsePullMessages(parseXml(pull(note('tns1:Foo&amp;Bar&ext;', '<tt:SimpleItem Name="State" Value="&lt;true&gt;"/>'))));
    expect(messages[0]!.topic).toBe('tns1:Foo&Bar&ext;');
    expect(messages[0]!.data.State).toBe('<true>');
    expect(classify(messages[0]!, 0, 0)).toBeNull();
  });

  it('survives unexpected shapes without throwing', () => {
    for (const doc of ['<x/>', env(''), env('<tev:PullMessagesResponse>text</tev:PullMessagesResponse>'), env('<tev:PullMessagesResponse><wsnt:NotificationMessage/></tev:PullMessagesResponse>')]) {
      expect(() => parsePullMessages(parseXml(doc))).not.toThrow();
    }
  });

  it('caps the number of messages taken from one answer', () => {
    const many = Array.from({ length: 1000 }, () => note('tns1:RuleEngine/CellMotionDetector/Motion', '<tt:SimpleItem Name="IsMotion" Value="true"/>')).join('');
    expect(parsePullMessages(parseXml(pull(many))).messages.length).toBeLessThanOrEqual(128);
  });

  it('recognises an authentication fault', () => {
    const f = soapFault(parseXml(env('<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">Sender not Authorized</s:Text></s:Reason></s:Fault>')));
    expect(f?.subcodes).toEqual(['ter:NotAuthorized']);
    expect(isAuthFault(f!)).toBe(true);
  });
});
