// The simulator driven by an independent ONVIF client (node-onvif), not the gateway's own `onvif` package.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCamera } from '../../../simulators/camera/simulated-camera.ts';

const require = createRequire(import.meta.url);

interface NodeOnvifProfile { token: string; name: string; snapshot: string; stream: { rtsp: string }; video: { encoder: { resolution: { width: number; height: number }; encoding: string } } }
interface NodeOnvifReply { data: Record<string, any> }
interface NodeOnvifDevice {
  init(): Promise<{ Manufacturer: string; Model: string; SerialNumber: string }>;
  getProfileList(): NodeOnvifProfile[];
  getCurrentProfile(): NodeOnvifProfile;
  fetchSnapshot(): Promise<{ headers: Record<string, string>; body: Buffer }>;
  ptzMove(p: { speed: { x: number; y: number; z: number }; timeout?: number }): Promise<void>;
  ptzStop(): Promise<void>;
  services: {
    ptz: {
      getPresets(p: { ProfileToken: string }): Promise<NodeOnvifReply>;
      gotoPreset(p: { ProfileToken: string; PresetToken: string }): Promise<NodeOnvifReply>;
      setPreset(p: { ProfileToken: string; PresetName: string }): Promise<NodeOnvifReply>;
      removePreset(p: { ProfileToken: string; PresetToken: string }): Promise<NodeOnvifReply>;
      getStatus(p: { ProfileToken: string }): Promise<NodeOnvifReply>;
      getNodes(): Promise<NodeOnvifReply>;
    };
  };
}
const onvif = require('node-onvif') as { OnvifDevice: new (p: { xaddr: string; user: string; pass: string }) => NodeOnvifDevice };

const until = async (cond: () => boolean | Promise<boolean>, maxMs = 8000): Promise<void> => {
  for (let waited = 0; waited < maxMs; waited += 50) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
};

describe('simulated camera with node-onvif as the client', () => {
  const cam = new SimulatedCamera({ id: 'nodeonvif-1', name: 'North gate dome', model: 'ptz-tour', username: 'operator', password: 'dome-pass-1' });
  let dev: NodeOnvifDevice;

  beforeAll(async () => {
    await cam.start();
    dev = new onvif.OnvifDevice({ xaddr: cam.xaddr, user: 'operator', pass: 'dome-pass-1' });
  });
  afterAll(() => cam.stop());

  it('initialises: device information, both profiles, stream and snapshot URIs', async () => {
    const info = await dev.init();
    expect(info.Manufacturer).toBe('CampusSim');
    expect(info.SerialNumber).toBe('nodeonvif-1');
    const profiles = dev.getProfileList();
    expect(profiles.map((p) => p.token)).toEqual(['main', 'sub']);
    expect(profiles[0]?.video.encoder.resolution).toEqual({ width: 1920, height: 1080 });
    expect(profiles[1]?.video.encoder.resolution).toEqual({ width: 640, height: 360 });
    expect(profiles[0]?.stream.rtsp).toMatch(/^rtsp:\/\/127\.0\.0\.1:\d+\//);
    expect(profiles[0]?.snapshot).toBe(`${cam.baseUrl}/onvif/snapshot/main.jpg`);
  });

  it('fetches a JPEG snapshot through HTTP Digest', async () => {
    const snap = await dev.fetchSnapshot();
    expect(snap.headers['content-type']).toBe('image/jpeg');
    expect(snap.body.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('continuous move pans the head; stop holds it', async () => {
    const before = cam.ptzPosition().pan;
    await dev.ptzMove({ speed: { x: 0.5, y: 0, z: 0 }, timeout: 5 });
    await until(() => cam.ptzPosition().pan > before + 0.01);
    await dev.ptzStop();
    const held = cam.ptzPosition();
    expect(held.moving).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(cam.ptzPosition().pan).toBe(held.pan);
  });

  it('lists, goes to, sets and removes presets', async () => {
    const presets = await dev.services.ptz.getPresets({ ProfileToken: 'main' });
    const list = [presets.data.GetPresetsResponse.Preset].flat() as Array<{ $: { token: string } }>;
    expect(list.map((p) => p.$.token)).toEqual(['1', '2', '3', '4']);

    await dev.services.ptz.gotoPreset({ ProfileToken: 'main', PresetToken: '3' });
    await until(() => !cam.ptzPosition().moving);
    const status = await dev.services.ptz.getStatus({ ProfileToken: 'main' });
    const pt = status.data.GetStatusResponse.PTZStatus.Position.PanTilt.$;
    expect(Number(pt.x)).toBeCloseTo(-0.5, 4);
    expect(status.data.GetStatusResponse.PTZStatus.MoveStatus.PanTilt).toBe('IDLE');

    const set = await dev.services.ptz.setPreset({ ProfileToken: 'main', PresetName: 'Bike shed' });
    const token = String(set.data.SetPresetResponse.PresetToken);
    expect(token).toBe('5');
    await dev.services.ptz.removePreset({ ProfileToken: 'main', PresetToken: token });
    const after = await dev.services.ptz.getPresets({ ProfileToken: 'main' });
    expect([after.data.GetPresetsResponse.Preset].flat()).toHaveLength(4);
  });

  it('reports preset tour support in GetNodes', async () => {
    const nodes = await dev.services.ptz.getNodes();
    expect(nodes.data.GetNodesResponse.PTZNode.Extension.SupportedPresetTour.MaximumNumberOfPresetTours).toBe('8');
  });

  it('refuses a client with the wrong password', async () => {
    const bad = new onvif.OnvifDevice({ xaddr: cam.xaddr, user: 'operator', pass: 'guess' });
    await expect(bad.init()).rejects.toThrow(/NotAuthorized|not authorized/i);
  });
});
