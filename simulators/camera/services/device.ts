// Device management service (tds): time, identity, services/capabilities, scopes, relays.
import { NS, esc, textAt } from '../soap-envelope.ts';
import { SERVICE_PATHS, type CameraContext, type Service } from './context.ts';
import { relayOutputsXml, setRelayState } from './deviceio.ts';

export function scopes(cam: { name: string; model: CameraContext['model'] }): string[] {
  const hw = cam.model === 'fixed' ? 'CampusSim-Bullet' : 'CampusSim-PTZ';
  return [
    'onvif://www.onvif.org/type/video_encoder',
    'onvif://www.onvif.org/Profile/Streaming',
    ...(cam.model === 'fixed' ? [] : ['onvif://www.onvif.org/type/ptz']),
    `onvif://www.onvif.org/name/${encodeURIComponent(cam.name)}`,
    `onvif://www.onvif.org/hardware/${hw}`,
    'onvif://www.onvif.org/location/campus',
  ];
}

function dateTimeXml(ms: number): string {
  const d = new Date(ms);
  return (
    `<tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date>`
  );
}

function xaddr(cam: CameraContext, service: keyof typeof SERVICE_PATHS): string {
  return `${cam.baseUrl()}${SERVICE_PATHS[service]}`;
}

function serviceList(cam: CameraContext): Array<{ ns: string; service: keyof typeof SERVICE_PATHS; major: number; minor: number }> {
  return [
    { ns: NS.tds, service: 'device', major: 2, minor: 60 },
    { ns: NS.trt, service: 'media', major: 2, minor: 60 },
    ...(cam.model === 'fixed' ? [] : [{ ns: NS.tptz, service: 'ptz' as const, major: 2, minor: 60 }]),
    { ns: NS.tev, service: 'events', major: 2, minor: 60 },
    { ns: NS.tmd, service: 'deviceio', major: 2, minor: 60 },
  ];
}

export const deviceService: Service = {
  GetSystemDateAndTime: ({ cam }) =>
    `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
    `<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime>${dateTimeXml(cam.cameraNowMs())}</tt:UTCDateTime>` +
    `<tt:LocalDateTime>${dateTimeXml(cam.cameraNowMs())}</tt:LocalDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`,

  GetDeviceInformation: ({ cam }) =>
    `<tds:GetDeviceInformationResponse><tds:Manufacturer>CampusSim</tds:Manufacturer><tds:Model>${cam.model === 'fixed' ? 'SIM-BULLET-2MP' : cam.model === 'ptz' ? 'SIM-PTZ-2MP' : 'SIM-PTZ-TOUR-2MP'}</tds:Model>` +
    `<tds:FirmwareVersion>1.0.0-sim</tds:FirmwareVersion><tds:SerialNumber>${esc(cam.id)}</tds:SerialNumber><tds:HardwareId>${cam.model}</tds:HardwareId></tds:GetDeviceInformationResponse>`,

  GetServices: ({ cam, req }) => {
    const withCaps = textAt(req.body, 'IncludeCapability') === 'true';
    const items = serviceList(cam)
      .map(
        (s) =>
          `<tds:Service><tds:Namespace>${s.ns}</tds:Namespace><tds:XAddr>${xaddr(cam, s.service)}</tds:XAddr>` +
          (withCaps ? `<tds:Capabilities/>` : '') +
          `<tds:Version><tt:Major>${s.major}</tt:Major><tt:Minor>${s.minor}</tt:Minor></tds:Version></tds:Service>`,
      )
      .join('');
    return `<tds:GetServicesResponse>${items}</tds:GetServicesResponse>`;
  },

  GetCapabilities: ({ cam }) => {
    const ptz = cam.model === 'fixed' ? '' : `<tt:PTZ><tt:XAddr>${xaddr(cam, 'ptz')}</tt:XAddr></tt:PTZ>`;
    return (
      `<tds:GetCapabilitiesResponse><tds:Capabilities>` +
      `<tt:Device><tt:XAddr>${xaddr(cam, 'device')}</tt:XAddr><tt:Network><tt:IPFilter>false</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration><tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>` +
      `<tt:System><tt:DiscoveryResolve>true</tt:DiscoveryResolve><tt:DiscoveryBye>true</tt:DiscoveryBye><tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup><tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>` +
      `<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tt:SupportedVersions></tt:System>` +
      `<tt:IO><tt:InputConnectors>0</tt:InputConnectors><tt:RelayOutputs>${cam.relays.size}</tt:RelayOutputs></tt:IO>` +
      `<tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2><tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration><tt:AccessPolicyConfig>false</tt:AccessPolicyConfig><tt:X.509Token>false</tt:X.509Token><tt:SAMLToken>false</tt:SAMLToken><tt:KerberosToken>false</tt:KerberosToken><tt:RELToken>false</tt:RELToken></tt:Security></tt:Device>` +
      `<tt:Events><tt:XAddr>${xaddr(cam, 'events')}</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport><tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>` +
      `<tt:Media><tt:XAddr>${xaddr(cam, 'media')}</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>` +
      ptz +
      `<tt:Extension><tt:DeviceIO><tt:XAddr>${xaddr(cam, 'deviceio')}</tt:XAddr><tt:VideoSources>1</tt:VideoSources><tt:VideoOutputs>0</tt:VideoOutputs><tt:AudioSources>0</tt:AudioSources><tt:AudioOutputs>0</tt:AudioOutputs><tt:RelayOutputs>${cam.relays.size}</tt:RelayOutputs></tt:DeviceIO></tt:Extension>` +
      `</tds:Capabilities></tds:GetCapabilitiesResponse>`
    );
  },

  GetScopes: ({ cam }) =>
    `<tds:GetScopesResponse>${scopes(cam)
      .map((s) => `<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>${esc(s)}</tt:ScopeItem></tds:Scopes>`)
      .join('')}</tds:GetScopesResponse>`,

  GetHostname: ({ cam }) =>
    `<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP><tt:Name>${esc(cam.id)}</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>`,

  GetRelayOutputs: ({ cam }) => `<tds:GetRelayOutputsResponse>${relayOutputsXml(cam, 'tds')}</tds:GetRelayOutputsResponse>`,

  SetRelayOutputState: ({ cam, req }) => {
    setRelayState(cam, req.body);
    return `<tds:SetRelayOutputStateResponse/>`;
  },
};
