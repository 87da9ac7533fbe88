// PTZ bodies we send ourselves: GotoPreset is on the alarm's hot path (prebuilt, one round trip),
// and preset tours are not in the onvif package.
import { NS } from './envelope.ts';
import { at, attr, child, children, escapeXml, soapBody, text, type XmlNode } from './xml.ts';

export interface PtzSpeed {
  x?: number;
  y?: number;
  zoom?: number;
}

function speedXml(s: PtzSpeed): string {
  const clamp = (v: number) => Math.max(-1, Math.min(1, v));
  const pt = s.x !== undefined || s.y !== undefined ? `<tt:PanTilt x="${clamp(s.x ?? 0)}" y="${clamp(s.y ?? 0)}"/>` : '';
  const z = s.zoom !== undefined ? `<tt:Zoom x="${clamp(s.zoom)}"/>` : '';
  return `<Speed>${pt}${z}</Speed>`;
}

export function gotoPresetBody(profileToken: string, presetToken: string, speed?: PtzSpeed): { action: string; body: string } {
  return {
    action: `${NS.ptz}/GotoPreset`,
    body: `<GotoPreset xmlns="${NS.ptz}"><ProfileToken>${escapeXml(profileToken)}</ProfileToken><PresetToken>${escapeXml(presetToken)}</PresetToken>${speed ? speedXml(speed) : ''}</GotoPreset>`,
  };
}

export function getPresetToursBody(profileToken: string): { action: string; body: string } {
  return { action: `${NS.ptz}/GetPresetTours`, body: `<GetPresetTours xmlns="${NS.ptz}"><ProfileToken>${escapeXml(profileToken)}</ProfileToken></GetPresetTours>` };
}

export function operatePresetTourBody(profileToken: string, tourToken: string, operation: 'Start' | 'Stop' | 'Pause'): { action: string; body: string } {
  return {
    action: `${NS.ptz}/OperatePresetTour`,
    body: `<OperatePresetTour xmlns="${NS.ptz}"><ProfileToken>${escapeXml(profileToken)}</ProfileToken><PresetTourToken>${escapeXml(tourToken)}</PresetTourToken><Operation>${operation}</Operation></OperatePresetTour>`,
  };
}

export interface PresetTour {
  token: string;
  name: string;
  running: boolean;
}

export function parsePresetTours(doc: XmlNode): PresetTour[] {
  const r = child(soapBody(doc), 'GetPresetToursResponse');
  return children(r, 'PresetTour')
    .slice(0, 64)
    .map((t) => ({ token: attr(t, 'token') ?? '', name: text(child(t, 'Name')) ?? '', running: text(child(child(t, 'Status'), 'State')) === 'Touring' }))
    .filter((t) => t.token !== '');
}

export interface Preset {
  token: string;
  name: string;
}

export function parsePresets(doc: XmlNode): Preset[] {
  const r = child(soapBody(doc), 'GetPresetsResponse');
  return children(r, 'Preset')
    .slice(0, 512)
    .map((p) => ({ token: attr(p, 'token') ?? '', name: text(child(p, 'Name')) ?? '' }))
    .filter((p) => p.token !== '');
}

export interface PtzNodeInfo {
  token: string;
  maxPresets: number;
  maxPresetTours: number;
  homeSupported: boolean;
}

export function parsePtzNodes(doc: XmlNode): PtzNodeInfo[] {
  const r = child(soapBody(doc), 'GetNodesResponse');
  return children(r, 'PTZNode')
    .slice(0, 16)
    .map((n) => ({
      token: attr(n, 'token') ?? '',
      maxPresets: Number(text(child(n, 'MaximumNumberOfPresets')) ?? 0) || 0,
      maxPresetTours: Number(text(at(n, 'Extension', 'SupportedPresetTour', 'MaximumNumberOfPresetTours'))) || 0,
      homeSupported: text(child(n, 'HomeSupported')) === 'true',
    }));
}

export interface PtzStatus {
  pan?: number;
  tilt?: number;
  zoom?: number;
  moving: boolean;
  utcTime?: string;
}

export function parsePtzStatus(doc: XmlNode): PtzStatus {
  const st = child(child(soapBody(doc), 'GetStatusResponse'), 'PTZStatus');
  const pos = child(st, 'Position');
  const num = (v: string | undefined) => (v === undefined || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));
  const pt = child(pos, 'PanTilt');
  const mv = child(st, 'MoveStatus');
  const moving = [text(child(mv, 'PanTilt')), text(child(mv, 'Zoom')), text(mv)].some((s) => s === 'MOVING');
  return { pan: num(attr(pt, 'x')), tilt: num(attr(pt, 'y')), zoom: num(attr(child(pos, 'Zoom'), 'x')), moving, utcTime: text(child(st, 'UtcTime')) || undefined };
}
