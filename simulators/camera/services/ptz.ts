// PTZ service (tptz, ver20): nodes, configurations, presets, home, continuous move, status, preset tours.
import { attr, child, esc, isoTime, parseDuration, text, textAt, type XmlNode } from '../soap-envelope.ts';
import { SoapFault } from '../soap-fault.ts';
import type { PtzAxes } from '../ptz-model.ts';
import { profileOrFault, type CameraContext, type Service, type ServiceCall } from './context.ts';
import { PTZ_CONFIG_TOKEN, PTZ_NODE_TOKEN, ptzConfigurationXml } from './media.ts';

export const MAX_PRESETS = 256;
export const MAX_PRESET_TOURS = 8;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 120_000;
const PT_SPACE = 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace';
const Z_SPACE = 'http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace';

const num = (s: string | undefined, fallback: number): number => {
  const v = s === undefined ? NaN : Number(s);
  return Number.isFinite(v) ? v : fallback;
};

/** A PTZVector (PanTilt x/y, Zoom x) relative to a base for absent axes. */
function vector(node: XmlNode | undefined, base: PtzAxes): PtzAxes {
  const pt = child(node, 'PanTilt');
  const z = child(node, 'Zoom');
  return { pan: num(attr(pt, 'x'), base.pan), tilt: num(attr(pt, 'y'), base.tilt), zoom: num(attr(z, 'x'), base.zoom) };
}

function speedOf(body: XmlNode): Partial<PtzAxes> | undefined {
  const sp = child(body, 'Speed');
  if (!sp) return undefined;
  const v = vector(sp, { pan: NaN, tilt: NaN, zoom: NaN });
  return { pan: v.pan, tilt: v.tilt, zoom: v.zoom };
}

function positionXml(p: PtzAxes): string {
  const f = (v: number): string => String(Math.round(v * 1e6) / 1e6);
  return `<tt:PanTilt x="${f(p.pan)}" y="${f(p.tilt)}" space="${PT_SPACE}"/><tt:Zoom x="${f(p.zoom)}" space="${Z_SPACE}"/>`;
}

function ptzProfile(call: ServiceCall): void {
  if (call.cam.model === 'fixed') throw new SoapFault('NO_PTZ');
  profileOrFault(call.cam, textAt(call.req.body, 'ProfileToken'));
}

function requirePtz(cam: CameraContext): void {
  if (cam.model === 'fixed') throw new SoapFault('NO_PTZ');
}

function requireTours(cam: CameraContext): NonNullable<CameraContext['tour']> {
  if (cam.model !== 'ptz-tour' || !cam.tour) throw new SoapFault('ACTION_NOT_SUPPORTED', 'preset tours');
  return cam.tour;
}

function nodeXml(cam: CameraContext, tag: string): string {
  const tours = cam.model === 'ptz-tour' ? MAX_PRESET_TOURS : 0;
  const range = (uri: string, y: boolean, min: number): string =>
    `<tt:URI>${uri}</tt:URI><tt:XRange><tt:Min>${min}</tt:Min><tt:Max>1</tt:Max></tt:XRange>${y ? `<tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange>` : ''}`;
  return (
    `<${tag} token="${PTZ_NODE_TOKEN}" FixedHomePosition="false" GeoMove="false"><tt:Name>PTZ</tt:Name><tt:SupportedPTZSpaces>` +
    `<tt:AbsolutePanTiltPositionSpace>${range(PT_SPACE, true, -1)}</tt:AbsolutePanTiltPositionSpace>` +
    `<tt:AbsoluteZoomPositionSpace>${range(Z_SPACE, false, 0)}</tt:AbsoluteZoomPositionSpace>` +
    `<tt:RelativePanTiltTranslationSpace>${range('http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace', true, -1)}</tt:RelativePanTiltTranslationSpace>` +
    `<tt:RelativeZoomTranslationSpace>${range('http://www.onvif.org/ver10/tptz/ZoomSpaces/TranslationGenericSpace', false, -1)}</tt:RelativeZoomTranslationSpace>` +
    `<tt:ContinuousPanTiltVelocitySpace>${range('http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace', true, -1)}</tt:ContinuousPanTiltVelocitySpace>` +
    `<tt:ContinuousZoomVelocitySpace>${range('http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace', false, -1)}</tt:ContinuousZoomVelocitySpace>` +
    `<tt:PanTiltSpeedSpace>${range('http://www.onvif.org/ver10/tptz/PanTiltSpaces/GenericSpeedSpace', false, 0)}</tt:PanTiltSpeedSpace>` +
    `<tt:ZoomSpeedSpace>${range('http://www.onvif.org/ver10/tptz/ZoomSpaces/ZoomGenericSpeedSpace', false, 0)}</tt:ZoomSpeedSpace>` +
    `</tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>${MAX_PRESETS}</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported>` +
    `<tt:Extension><tt:SupportedPresetTour><tt:MaximumNumberOfPresetTours>${tours}</tt:MaximumNumberOfPresetTours>` +
    (tours > 0 ? `<tt:PTZPresetTourOperation>Start</tt:PTZPresetTourOperation><tt:PTZPresetTourOperation>Stop</tt:PTZPresetTourOperation><tt:PTZPresetTourOperation>Pause</tt:PTZPresetTourOperation>` : '') +
    `</tt:SupportedPresetTour></tt:Extension></${tag}>`
  );
}

function tourXml(cam: CameraContext, tag: string, token: string): string {
  const tour = requireTours(cam).tours.get(token);
  if (!tour) throw new SoapFault('NO_TOKEN', `tour ${token}`);
  const spots = tour.spots
    .map((s) => `<tt:TourSpot><tt:PresetDetail><tt:PresetToken>${esc(s.presetToken)}</tt:PresetToken></tt:PresetDetail><tt:StayTime>PT${s.stayMs / 1000}S</tt:StayTime></tt:TourSpot>`)
    .join('');
  return (
    `<${tag} token="${esc(tour.token)}"><tt:Name>${esc(tour.name)}</tt:Name><tt:Status><tt:State>${tour.state}</tt:State></tt:Status><tt:AutoStart>false</tt:AutoStart>` +
    `<tt:StartingCondition RandomPresetOrder="false"><tt:RecurringTime>0</tt:RecurringTime></tt:StartingCondition>${spots}</${tag}>`
  );
}

/** Manual control ends a running tour, as on real domes. */
function manual(cam: CameraContext): void {
  cam.tour?.stopAll();
}

export function gotoPresetNow(cam: CameraContext, token: string, speed?: Partial<PtzAxes>): number {
  const preset = cam.presets.get(token);
  if (!preset) throw new SoapFault('NO_TOKEN', `preset ${token}`);
  if (cam.refusedPresets.has(token)) throw new SoapFault('PRESET_REFUSED', token);
  const now = cam.realNowMs();
  cam.ptz.goto(preset.position, now, speed);
  return cam.ptz.arrivalMs(now) - now;
}

export const ptzService: Service = {
  GetServiceCapabilities: ({ cam }) => {
    requirePtz(cam);
    return `<tptz:GetServiceCapabilitiesResponse><tptz:Capabilities EFlip="false" Reverse="false" GetCompatibleConfigurations="false" MoveStatus="true" StatusPosition="true"/></tptz:GetServiceCapabilitiesResponse>`;
  },
  GetNodes: ({ cam }) => {
    requirePtz(cam);
    return `<tptz:GetNodesResponse>${nodeXml(cam, 'tptz:PTZNode')}</tptz:GetNodesResponse>`;
  },
  GetNode: ({ cam, req }) => {
    requirePtz(cam);
    if (textAt(req.body, 'NodeToken') !== PTZ_NODE_TOKEN) throw new SoapFault('NO_TOKEN', 'node');
    return `<tptz:GetNodeResponse>${nodeXml(cam, 'tptz:PTZNode')}</tptz:GetNodeResponse>`;
  },
  GetConfigurations: ({ cam }) => {
    requirePtz(cam);
    return `<tptz:GetConfigurationsResponse>${ptzConfigurationXml('tptz:PTZConfiguration')}</tptz:GetConfigurationsResponse>`;
  },
  GetConfiguration: ({ cam, req }) => {
    requirePtz(cam);
    if (textAt(req.body, 'PTZConfigurationToken') !== PTZ_CONFIG_TOKEN) throw new SoapFault('NO_TOKEN', 'configuration');
    return `<tptz:GetConfigurationResponse>${ptzConfigurationXml('tptz:PTZConfiguration')}</tptz:GetConfigurationResponse>`;
  },

  GetPresets: (call) => {
    ptzProfile(call);
    const items = [...call.cam.presets.values()]
      .map((p) => `<tptz:Preset token="${esc(p.token)}"><tt:Name>${esc(p.name)}</tt:Name><tt:PTZPosition>${positionXml(p.position)}</tt:PTZPosition></tptz:Preset>`)
      .join('');
    return `<tptz:GetPresetsResponse>${items}</tptz:GetPresetsResponse>`;
  },

  SetPreset: (call) => {
    ptzProfile(call);
    const { cam, req } = call;
    const s = cam.ptz.statusAt(cam.realNowMs());
    let token = textAt(req.body, 'PresetToken');
    if (token !== undefined && token !== '' && !cam.presets.has(token)) throw new SoapFault('NO_TOKEN', `preset ${token}`);
    if (!token) {
      if (cam.presets.size >= MAX_PRESETS) throw new SoapFault('TOO_MANY_PRESETS');
      let n = cam.presets.size + 1;
      while (cam.presets.has(String(n)) && n < MAX_PRESETS * 4) n += 1;
      token = String(n);
    }
    const name = textAt(req.body, 'PresetName') || cam.presets.get(token)?.name || `Preset ${token}`;
    cam.presets.set(token, { token, name, position: { pan: s.pan, tilt: s.tilt, zoom: s.zoom } });
    return `<tptz:SetPresetResponse><tptz:PresetToken>${esc(token)}</tptz:PresetToken></tptz:SetPresetResponse>`;
  },

  RemovePreset: (call) => {
    ptzProfile(call);
    const token = textAt(call.req.body, 'PresetToken') ?? '';
    if (!call.cam.presets.delete(token)) throw new SoapFault('NO_TOKEN', `preset ${token}`);
    return `<tptz:RemovePresetResponse/>`;
  },

  GotoPreset: (call) => {
    ptzProfile(call);
    const { cam, req, atNs } = call;
    const token = textAt(req.body, 'PresetToken') ?? '';
    manual(cam);
    gotoPresetNow(cam, token, speedOf(req.body));
    cam.emit('goto-preset', token, atNs);
    return `<tptz:GotoPresetResponse/>`;
  },

  GotoHomePosition: (call) => {
    ptzProfile(call);
    const { cam, req, atNs } = call;
    manual(cam);
    cam.ptz.goto(cam.home, cam.realNowMs(), speedOf(req.body));
    cam.emit('goto-home', atNs);
    return `<tptz:GotoHomePositionResponse/>`;
  },

  SetHomePosition: (call) => {
    ptzProfile(call);
    const s = call.cam.ptz.statusAt(call.cam.realNowMs());
    call.cam.home = { pan: s.pan, tilt: s.tilt, zoom: s.zoom };
    return `<tptz:SetHomePositionResponse/>`;
  },

  ContinuousMove: (call) => {
    ptzProfile(call);
    const { cam, req, atNs } = call;
    const v = vector(child(req.body, 'Velocity'), { pan: 0, tilt: 0, zoom: 0 });
    const timeout = Math.min(MAX_TIMEOUT_MS, parseDuration(textAt(req.body, 'Timeout')) ?? DEFAULT_TIMEOUT_MS);
    manual(cam);
    cam.ptz.move(v, cam.realNowMs(), timeout);
    cam.emit('continuous-move', { x: v.pan, y: v.tilt, zoom: v.zoom }, atNs);
    return `<tptz:ContinuousMoveResponse/>`;
  },

  AbsoluteMove: (call) => {
    ptzProfile(call);
    const { cam, req } = call;
    const now = cam.realNowMs();
    const cur = cam.ptz.statusAt(now);
    manual(cam);
    cam.ptz.goto(vector(child(req.body, 'Position'), cur), now, speedOf(req.body));
    return `<tptz:AbsoluteMoveResponse/>`;
  },

  RelativeMove: (call) => {
    ptzProfile(call);
    const { cam, req } = call;
    const now = cam.realNowMs();
    const cur = cam.ptz.statusAt(now);
    const d = vector(child(req.body, 'Translation'), { pan: 0, tilt: 0, zoom: 0 });
    manual(cam);
    cam.ptz.goto({ pan: cur.pan + d.pan, tilt: cur.tilt + d.tilt, zoom: cur.zoom + d.zoom }, now, speedOf(req.body));
    return `<tptz:RelativeMoveResponse/>`;
  },

  Stop: (call) => {
    ptzProfile(call);
    const { cam, atNs } = call;
    manual(cam);
    cam.ptz.stop(cam.realNowMs());
    cam.emit('stop', atNs);
    return `<tptz:StopResponse/>`;
  },

  GetStatus: (call) => {
    ptzProfile(call);
    const { cam } = call;
    const s = cam.ptz.statusAt(cam.realNowMs());
    const mv = s.moving ? 'MOVING' : 'IDLE';
    return (
      `<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>${positionXml(s)}</tt:Position>` +
      `<tt:MoveStatus><tt:PanTilt>${mv}</tt:PanTilt><tt:Zoom>${mv}</tt:Zoom></tt:MoveStatus><tt:UtcTime>${isoTime(cam.cameraNowMs())}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`
    );
  },

  GetPresetTours: (call) => {
    ptzProfile(call);
    const runner = requireTours(call.cam);
    return `<tptz:GetPresetToursResponse>${[...runner.tours.keys()].map((t) => tourXml(call.cam, 'tptz:PresetTour', t)).join('')}</tptz:GetPresetToursResponse>`;
  },

  GetPresetTour: (call) => {
    ptzProfile(call);
    return `<tptz:GetPresetTourResponse>${tourXml(call.cam, 'tptz:PresetTour', textAt(call.req.body, 'PresetTourToken') ?? '')}</tptz:GetPresetTourResponse>`;
  },

  OperatePresetTour: (call) => {
    ptzProfile(call);
    const { cam, req, atNs } = call;
    const runner = requireTours(cam);
    const token = textAt(req.body, 'PresetTourToken') ?? '';
    const op = text(child(req.body, 'Operation')) ?? '';
    if (!runner.tours.has(token)) throw new SoapFault('NO_TOKEN', `tour ${token}`);
    if (op === 'Start') runner.start(token);
    else if (op === 'Stop') runner.stop(token);
    else if (op === 'Pause') runner.pause(token);
    else throw new SoapFault('INVALID_ARG', `Operation ${op}`);
    cam.emit('tour', token, op, atNs);
    return `<tptz:OperatePresetTourResponse/>`;
  },
};
