// DeviceIO service (tmd): the camera's own relay outputs (a strobe or siren wired to the dome).
import { esc, textAt, type XmlNode } from '../soap-envelope.ts';
import { SoapFault } from '../soap-fault.ts';
import type { CameraContext, Service } from './context.ts';

export function relayOutputsXml(cam: CameraContext, prefix: 'tds' | 'tmd'): string {
  return [...cam.relays.values()]
    .map(
      (r) =>
        `<${prefix}:RelayOutputs token="${esc(r.token)}"><tt:Properties><tt:Mode>Bistable</tt:Mode><tt:DelayTime>PT0S</tt:DelayTime>` +
        `<tt:IdleState>open</tt:IdleState></tt:Properties></${prefix}:RelayOutputs>`,
    )
    .join('');
}

export function setRelayState(cam: CameraContext, body: XmlNode): void {
  const token = textAt(body, 'RelayOutputToken') ?? '';
  const state = textAt(body, 'LogicalState');
  const relay = cam.relays.get(token);
  if (!relay) throw new SoapFault('NO_TOKEN', `relay ${token}`);
  if (state !== 'active' && state !== 'inactive') throw new SoapFault('INVALID_ARG', `LogicalState ${state ?? ''}`);
  relay.state = state;
  cam.emit('relay', token, state);
}

export const deviceIoService: Service = {
  GetRelayOutputs: ({ cam }) => `<tmd:GetRelayOutputsResponse>${relayOutputsXml(cam, 'tmd')}</tmd:GetRelayOutputsResponse>`,
  SetRelayOutputState: ({ cam, req }) => {
    setRelayState(cam, req.body);
    return `<tmd:SetRelayOutputStateResponse/>`;
  },
  GetVideoSources: () => `<tmd:GetVideoSourcesResponse><tmd:Token>vs-1</tmd:Token></tmd:GetVideoSourcesResponse>`,
  GetServiceCapabilities: ({ cam }) =>
    `<tmd:GetServiceCapabilitiesResponse><tmd:Capabilities VideoSources="1" VideoOutputs="0" AudioSources="0" AudioOutputs="0" RelayOutputs="${cam.relays.size}" SerialPorts="0" DigitalInputs="0"/></tmd:GetServiceCapabilitiesResponse>`,
};
