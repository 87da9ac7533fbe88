// The per-box view the dashboard draws: folded from device events and, when the bridge sends
// one, replaced by its authoritative BoxState. Pure.
import type { BoxState, DeviceEvent } from '../../firmware-bridge/link/messages.ts';
import type { SiteConfig } from '../../config/schema.ts';

export interface DeviceView {
  boxId: string;
  online: boolean;
  /** In alarm: the interlock latched it; only a reset by hand clears it. */
  latched: boolean;
  pressed: boolean;
  tamper: boolean;
  faults: string[];
  /** What the box reported its outputs are doing, or what was commanded if it never reported. */
  outputs: { strobe: boolean; siren: boolean };
  lastSeen: string | null;
}

export function initialDeviceView(boxId: string): DeviceView {
  return { boxId, online: false, latched: false, pressed: false, tamper: false, faults: [], outputs: { strobe: false, siren: false }, lastSeen: null };
}

export function initialDeviceViews(site: SiteConfig): Map<string, DeviceView> {
  return new Map(site.alarmBoxes.map((b) => [b.id, initialDeviceView(b.id)]));
}

export function viewFromBoxState(state: BoxState): DeviceView {
  return {
    boxId: state.boxId,
    online: state.online,
    latched: state.latched,
    pressed: state.pressed,
    tamper: state.tamper,
    faults: [...state.faults],
    outputs: { ...(state.reported ?? state.commanded) },
    lastSeen: state.lastSeen,
  };
}

/** Events that prove the box itself spoke (not the bridge speaking about it). */
const HEARD_FROM_BOX = new Set<DeviceEvent['kind']>(['button-pressed', 'button-released', 'tamper-open', 'tamper-closed', 'fault', 'fault-cleared', 'online', 'outputs']);

export function foldDeviceEvent(view: DeviceView, event: DeviceEvent): DeviceView {
  const next: DeviceView = { ...view, faults: [...view.faults], outputs: { ...view.outputs } };
  if (HEARD_FROM_BOX.has(event.kind)) {
    next.lastSeen = event.at;
    next.online = true;
  }
  const code = typeof event.detail.code === 'string' ? event.detail.code : event.kind;
  switch (event.kind) {
    case 'offline':
      next.online = false;
      break;
    case 'button-pressed':
      next.pressed = true;
      break;
    case 'button-released':
      next.pressed = false;
      break;
    case 'latched':
      next.latched = true;
      break;
    case 'reset':
      next.latched = false;
      break;
    case 'tamper-open':
      next.tamper = true;
      break;
    case 'tamper-closed':
      next.tamper = false;
      break;
    case 'fault':
    case 'output-failed':
      if (!next.faults.includes(code)) next.faults.push(code);
      break;
    case 'fault-cleared':
      next.faults = next.faults.filter((f) => f !== code);
      break;
    case 'outputs':
      if (typeof event.detail.strobe === 'boolean') next.outputs.strobe = event.detail.strobe;
      if (typeof event.detail.siren === 'boolean') next.outputs.siren = event.detail.siren;
      break;
    default:
      break;
  }
  return next;
}
