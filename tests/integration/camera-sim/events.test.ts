// Pull-point events over raw SOAP: motion and tamper delivery, long poll, Renew, Unsubscribe, expiry, dropped subscriptions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCamera } from '../../../simulators/camera/simulated-camera.ts';
import { attr, child, children, text, textAt, type XmlNode } from '../../../simulators/camera/soap-envelope.ts';
import { callWsse, replyAction, type SoapReply } from './raw-onvif.ts';

const creds = { username: 'guard', password: 'Events-Pass-3' };

interface Note { topic: string; operation: string; data: Record<string, string>; source: Record<string, string> }

function notes(r: SoapReply): Note[] {
  return children(r.soap?.body, 'NotificationMessage').map((n) => {
    const m = child(child(n, 'Message'), 'Message');
    const items = (x: XmlNode | undefined) => Object.fromEntries(children(x, 'SimpleItem').map((i) => [attr(i, 'Name') ?? '', attr(i, 'Value') ?? '']));
    return { topic: text(child(n, 'Topic')) ?? '', operation: attr(m, 'PropertyOperation') ?? '', data: items(child(m, 'Data')), source: items(child(m, 'Source')) };
  });
}

describe('pull-point events', () => {
  const cam = new SimulatedCamera({ id: 'events-1', name: 'Stairwell', model: 'ptz', ...creds });
  const eventsUrl = () => `${cam.baseUrl}/onvif/events_service`;
  const subscribe = async (termination = 'PT60S'): Promise<string> => {
    const r = await callWsse(eventsUrl(), `<tev:CreatePullPointSubscription><tev:InitialTerminationTime>${termination}</tev:InitialTerminationTime></tev:CreatePullPointSubscription>`, creds);
    expect(r.status).toBe(200);
    return textAt(r.soap?.body, 'SubscriptionReference', 'Address') ?? '';
  };
  const pull = (address: string, timeout = 'PT2S') =>
    callWsse(address, `<tev:PullMessages><tev:Timeout>${timeout}</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>`, creds);

  beforeAll(() => cam.start());
  afterAll(() => cam.stop());

  it('describes its topics in GetEventProperties', async () => {
    const r = await callWsse(eventsUrl(), '<tev:GetEventProperties/>', creds);
    expect(r.text).toContain('CellMotionDetector');
    expect(r.text).toContain('GlobalSceneChange');
  });

  it('gives each subscription its own address and starts with the current property state', async () => {
    const a = await subscribe();
    const b = await subscribe();
    expect(a).not.toBe(b);
    expect(a.startsWith(`${cam.baseUrl}/`)).toBe(true);
    const first = notes(await pull(a, 'PT0S'));
    expect(first.map((n) => [n.topic, n.operation])).toEqual([
      ['tns1:RuleEngine/CellMotionDetector/Motion', 'Initialized'],
      ['tns1:VideoSource/GlobalSceneChange/ImagingService', 'Initialized'],
    ]);
    expect(first[0]?.data).toEqual({ IsMotion: 'false' });
  });

  it('delivers motion to a waiting long poll, with Source and Data SimpleItems', async () => {
    const addr = await subscribe();
    await pull(addr, 'PT0S'); // drain Initialized
    const waiting = pull(addr, 'PT10S');
    setTimeout(() => cam.triggerMotion(true), 100);
    const got = notes(await waiting);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ topic: 'tns1:RuleEngine/CellMotionDetector/Motion', operation: 'Changed', data: { IsMotion: 'true' } });
    expect(got[0]?.source.VideoSourceConfigurationToken).toBeTruthy();
    cam.triggerTamper(true);
    cam.triggerMotion(false);
    const more = notes(await pull(addr, 'PT0S'));
    expect(more.map((n) => Object.values(n.data)[0])).toEqual(['true', 'false']);
    expect(more[0]?.topic).toBe('tns1:VideoSource/GlobalSceneChange/ImagingService');
    expect(more[0]?.data).toEqual({ State: 'true' });
    cam.triggerTamper(false);
  });

  it('an empty long poll returns after its timeout', async () => {
    const addr = await subscribe();
    await pull(addr, 'PT0S');
    const r = await pull(addr, 'PT0.3S');
    expect(r.status).toBe(200);
    expect(notes(r)).toEqual([]);
  });

  it('Renew extends the termination time; an unrenewed subscription expires', async () => {
    const short = await subscribe('PT1S');
    const renewed = await subscribe('PT1S');
    const r = await callWsse(renewed, '<wsnt:Renew><wsnt:TerminationTime>PT60S</wsnt:TerminationTime></wsnt:Renew>', creds);
    expect(r.status).toBe(200);
    const termination = Date.parse(textAt(r.soap?.body, 'TerminationTime') ?? '');
    expect(termination - Date.now()).toBeGreaterThan(30_000);
    await new Promise((res) => setTimeout(res, 1300));
    expect(replyAction(await pull(short, 'PT0S'))).toBe('Fault');
    expect(replyAction(await pull(renewed, 'PT0S'))).toBe('PullMessagesResponse');
  });

  it('Unsubscribe ends a subscription', async () => {
    const addr = await subscribe();
    expect((await callWsse(addr, '<wsnt:Unsubscribe/>', creds)).status).toBe(200);
    expect(replyAction(await pull(addr, 'PT0S'))).toBe('Fault');
  });

  it('after dropSubscriptions, PullMessages faults as an unknown subscription', async () => {
    const addr = await subscribe();
    cam.dropSubscriptions();
    const r = await pull(addr, 'PT0S');
    expect(r.status).toBe(400);
    expect(r.text).toContain('ResourceUnknownFault');
    // A fresh subscription works again.
    expect(notes(await pull(await subscribe(), 'PT0S'))).toHaveLength(2);
  });
});
