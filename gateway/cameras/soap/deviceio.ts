// DeviceIO relays: a camera's own relay can drive a strobe or siren next to it.
import { NS } from './envelope.ts';
import { attr, child, children, escapeXml, soapBody, text, type XmlNode } from './xml.ts';

export interface RelayOutput {
  token: string;
  mode: string;
  idleState: string;
}

export const GET_RELAY_OUTPUTS = { action: `${NS.deviceIO}/GetRelayOutputs`, body: `<GetRelayOutputs xmlns="${NS.deviceIO}"/>` };
/** Older cameras only offer relays on the device service. */
export const GET_RELAY_OUTPUTS_DEVICE = { action: `${NS.device}/GetRelayOutputs`, body: `<GetRelayOutputs xmlns="${NS.device}"/>` };

export function setRelayBody(token: string, active: boolean, ns: string = NS.deviceIO): { action: string; body: string } {
  return {
    action: `${ns}/SetRelayOutputState`,
    body: `<SetRelayOutputState xmlns="${ns}"><RelayOutputToken>${escapeXml(token)}</RelayOutputToken><LogicalState>${active ? 'active' : 'inactive'}</LogicalState></SetRelayOutputState>`,
  };
}

export function parseRelayOutputs(doc: XmlNode): RelayOutput[] {
  const r = child(soapBody(doc), 'GetRelayOutputsResponse');
  return children(r, 'RelayOutputs')
    .slice(0, 64)
    .map((o) => {
      const p = child(o, 'Properties');
      return { token: attr(o, 'token') ?? '', mode: text(child(p, 'Mode')) ?? '', idleState: text(child(p, 'IdleState')) ?? '' };
    })
    .filter((o) => o.token !== '');
}
