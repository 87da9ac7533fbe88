// PTZ over raw SOAP: motion over time at a realistic speed, preset faults, tours by model, relays, faults on demand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCamera } from '../../../simulators/camera/simulated-camera.ts';
import { attr, child, children, textAt } from '../../../simulators/camera/soap-envelope.ts';
import { callWsse, replyAction, type SoapReply } from './raw-onvif.ts';

const creds = { username: 'admin', password: 'Ptz-Pass-7' };
const ptzUrl = (cam: SimulatedCamera) => `${cam.baseUrl}/onvif/ptz_service`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(cam: SimulatedCamera): Promise<{ pan: number; tilt: number; zoom: number; move: string }> {
  const r = await callWsse(ptzUrl(cam), '<tptz:GetStatus><tptz:ProfileToken>main</tptz:ProfileToken></tptz:GetStatus>', creds);
  const st = child(r.soap?.body, 'PTZStatus');
  const pos = child(st, 'Position');
  return { pan: Number(attr(child(pos, 'PanTilt'), 'x')), tilt: Number(attr(child(pos, 'PanTilt'), 'y')), zoom: Number(attr(child(pos, 'Zoom'), 'x')), move: textAt(st, 'MoveStatus', 'PanTilt') ?? '' };
}

const gotoPreset = (cam: SimulatedCamera, token: string): Promise<SoapReply> =>
  callWsse(ptzUrl(cam), `<tptz:GotoPreset><tptz:ProfileToken>main</tptz:ProfileToken><tptz:PresetToken>${token}</tptz:PresetToken></tptz:GotoPreset>`, creds);

async function untilIdle(cam: SimulatedCamera, maxMs = 10_000): Promise<void> {
  for (let waited = 0; waited < maxMs; waited += 50) {
    if (!cam.ptzPosition().moving) return;
    await sleep(50);
  }
  throw new Error('head still moving');
}

describe('PTZ dome (model ptz-tour)', () => {
  const cam = new SimulatedCamera({
    id: 'ptz-1',
    name: 'Playground dome',
    model: 'ptz-tour',
    ...creds,
    tourStayMs: 100,
    presets: [
      { token: '1', name: 'Gate', pan: 0, tilt: 0, zoom: 0 },
      { token: '2', name: 'Far fence', pan: 1, tilt: 0, zoom: 0 }, // 180 degrees away: 1.8 s at 100 deg/s
    ],
  });
  beforeAll(() => cam.start());
  afterAll(() => cam.stop());

  it('GotoPreset moves the head over time at about 100 deg/s, reporting MOVING then IDLE', async () => {
    const events: Array<[string, bigint]> = [];
    cam.on('goto-preset', (token: string, atNs: bigint) => events.push([token, atNs]));
    const t0 = performance.now();
    const r = await gotoPreset(cam, '2');
    expect(r.status).toBe(200);
    expect(events[0]?.[0]).toBe('2');
    expect(typeof events[0]?.[1]).toBe('bigint');
    const s1 = await status(cam);
    expect(s1.move).toBe('MOVING');
    expect(s1.pan).toBeGreaterThan(0);
    expect(s1.pan).toBeLessThan(1);
    await untilIdle(cam);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThan(1500); // 180 degrees cannot take much less than 1.8 s
    const s2 = await status(cam);
    expect(s2).toEqual({ pan: 1, tilt: 0, zoom: 0, move: 'IDLE' });
  });

  it('a refused preset answers with a SOAP fault and the head stays put', async () => {
    cam.refusePreset('1', true);
    const before = cam.ptzPosition();
    const r = await gotoPreset(cam, '1');
    expect(r.status).toBe(500);
    expect(r.text).toContain('ter:GotoPresetFailed');
    expect(cam.ptzPosition().pan).toBe(before.pan);
    cam.refusePreset('1', false);
    expect((await gotoPreset(cam, '1')).status).toBe(200);
    expect((await gotoPreset(cam, 'nope')).text).toContain('ter:NoToken');
  });

  it('GotoHomePosition and Stop emit their events', async () => {
    const seen: string[] = [];
    cam.on('goto-home', () => seen.push('home'));
    cam.on('stop', () => seen.push('stop'));
    expect((await callWsse(ptzUrl(cam), '<tptz:GotoHomePosition><tptz:ProfileToken>main</tptz:ProfileToken></tptz:GotoHomePosition>', creds)).status).toBe(200);
    expect((await callWsse(ptzUrl(cam), '<tptz:Stop><tptz:ProfileToken>main</tptz:ProfileToken></tptz:Stop>', creds)).status).toBe(200);
    expect(seen).toEqual(['home', 'stop']);
  });

  it('reports MaximumNumberOfPresetTours > 0 and runs a preset tour until stopped', async () => {
    const nodes = await callWsse(ptzUrl(cam), '<tptz:GetNodes/>', creds);
    expect(Number(textAt(child(nodes.soap?.body, 'PTZNode'), 'Extension', 'SupportedPresetTour', 'MaximumNumberOfPresetTours'))).toBeGreaterThan(0);
    const tours = await callWsse(ptzUrl(cam), '<tptz:GetPresetTours><tptz:ProfileToken>main</tptz:ProfileToken></tptz:GetPresetTours>', creds);
    const tour = children(tours.soap?.body, 'PresetTour')[0];
    const token = attr(tour, 'token') ?? '';
    expect(token).not.toBe('');
    const ops: string[] = [];
    cam.on('tour', (t: string, op: string) => ops.push(`${t}:${op}`));
    const op = (o: string) => callWsse(ptzUrl(cam), `<tptz:OperatePresetTour><tptz:ProfileToken>main</tptz:ProfileToken><tptz:PresetTourToken>${token}</tptz:PresetTourToken><tptz:Operation>${o}</tptz:Operation></tptz:OperatePresetTour>`, creds);
    expect((await op('Start')).status).toBe(200);
    await untilIdle(cam);
    // The tour visits the second preset after the first.
    for (let waited = 0; waited < 10_000 && cam.ptzPosition().pan < 0.99; waited += 50) await sleep(50);
    expect(cam.ptzPosition().pan).toBeGreaterThan(0.99);
    const touring = await callWsse(ptzUrl(cam), '<tptz:GetPresetTours><tptz:ProfileToken>main</tptz:ProfileToken></tptz:GetPresetTours>', creds);
    expect(textAt(children(touring.soap?.body, 'PresetTour')[0], 'Status', 'State')).toBe('Touring');
    expect((await op('Stop')).status).toBe(200);
    expect(ops).toEqual([`${token}:Start`, `${token}:Stop`]);
  });

  it('switches its relay outputs through DeviceIO and the device service', async () => {
    const relays: Array<[string, string]> = [];
    cam.on('relay', (t: string, s: string) => relays.push([t, s]));
    const list = await callWsse(`${cam.baseUrl}/onvif/deviceio_service`, '<tmd:GetRelayOutputs/>', creds);
    const tokens = children(list.soap?.body, 'RelayOutputs').map((n) => attr(n, 'token'));
    expect(tokens).toEqual(Object.keys(cam.relayStates()));
    const set = (url: string, ns: string, state: string) =>
      callWsse(url, `<${ns}:SetRelayOutputState><${ns}:RelayOutputToken>${tokens[0]}</${ns}:RelayOutputToken><${ns}:LogicalState>${state}</${ns}:LogicalState></${ns}:SetRelayOutputState>`, creds);
    expect((await set(`${cam.baseUrl}/onvif/deviceio_service`, 'tmd', 'active')).status).toBe(200);
    expect(cam.relayStates()[tokens[0] ?? '']).toBe('active');
    expect((await set(cam.xaddr, 'tds', 'inactive')).status).toBe(200);
    expect(cam.relayStates()[tokens[0] ?? '']).toBe('inactive');
    expect(relays).toEqual([[tokens[0], 'active'], [tokens[0], 'inactive']]);
  });

  it('goes offline (connection refused) and comes back on the same address', async () => {
    const xaddr = cam.xaddr;
    cam.setOffline(true);
    await cam.settled();
    await expect(callWsse(xaddr, '<tds:GetDeviceInformation/>', creds)).rejects.toThrow();
    cam.setOffline(false);
    await cam.settled();
    expect(cam.xaddr).toBe(xaddr);
    expect((await callWsse(xaddr, '<tds:GetDeviceInformation/>', creds)).status).toBe(200);
  });

  it('answers late when slow', async () => {
    cam.setSlow(400);
    const t0 = performance.now();
    expect((await callWsse(cam.xaddr, '<tds:GetDeviceInformation/>', creds)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
    cam.setSlow(0);
  });
});

describe('PTZ by model', () => {
  const ptz = new SimulatedCamera({ id: 'ptz-plain', name: 'Hall dome', model: 'ptz', ...creds });
  const fixed = new SimulatedCamera({ id: 'bullet-1', name: 'Fence bullet', model: 'fixed', ...creds });
  beforeAll(() => Promise.all([ptz.start(), fixed.start()]));
  afterAll(() => Promise.all([ptz.stop(), fixed.stop()]));

  it("model 'ptz' has presets but reports no preset tours and refuses tour operations", async () => {
    const nodes = await callWsse(ptzUrl(ptz), '<tptz:GetNodes/>', creds);
    expect(textAt(child(nodes.soap?.body, 'PTZNode'), 'Extension', 'SupportedPresetTour', 'MaximumNumberOfPresetTours')).toBe('0');
    const presets = await callWsse(ptzUrl(ptz), '<tptz:GetPresets><tptz:ProfileToken>main</tptz:ProfileToken></tptz:GetPresets>', creds);
    expect(children(presets.soap?.body, 'Preset').map((p) => attr(p, 'token'))).toEqual(['1', '2', '3', '4']);
    const tours = await callWsse(ptzUrl(ptz), '<tptz:GetPresetTours><tptz:ProfileToken>main</tptz:ProfileToken></tptz:GetPresetTours>', creds);
    expect(replyAction(tours)).toBe('Fault');
    expect(tours.text).toContain('ter:ActionNotSupported');
  });

  it("model 'fixed' has no PTZ service in its capabilities and faults PTZ calls", async () => {
    const caps = await callWsse(fixed.xaddr, '<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>', creds);
    const c = child(caps.soap?.body, 'Capabilities');
    expect(child(c, 'PTZ')).toBeUndefined();
    expect(textAt(c, 'Media', 'XAddr')).toBe(`${fixed.baseUrl}/onvif/media_service`);
    const r = await callWsse(ptzUrl(fixed), '<tptz:GetNodes/>', creds);
    expect(replyAction(r)).toBe('Fault');
  });
});
