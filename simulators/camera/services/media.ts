// Media service (trt, ver10): profiles, stream and snapshot URIs, video sources.
import { esc, textAt } from '../soap-envelope.ts';
import { SNAPSHOT_PATH, profileOrFault, type CameraContext, type Service, type SimProfile } from './context.ts';

export const VIDEO_SOURCE_TOKEN = 'vs-1';
export const VIDEO_SOURCE_CONFIG_TOKEN = 'vsc-1';
export const PTZ_NODE_TOKEN = 'ptz-node-1';
export const PTZ_CONFIG_TOKEN = 'ptz-cfg-1';

function sourceSize(cam: CameraContext): { width: number; height: number } {
  return cam.profiles.reduce((m, p) => (p.width * p.height > m.width * m.height ? { width: p.width, height: p.height } : m), { width: 0, height: 0 });
}

export function ptzConfigurationXml(tag: string): string {
  return (
    `<${tag} token="${PTZ_CONFIG_TOKEN}"><tt:Name>PTZ</tt:Name><tt:UseCount>1</tt:UseCount><tt:NodeToken>${PTZ_NODE_TOKEN}</tt:NodeToken>` +
    `<tt:DefaultAbsolutePantTiltPositionSpace>http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace</tt:DefaultAbsolutePantTiltPositionSpace>` +
    `<tt:DefaultAbsoluteZoomPositionSpace>http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace</tt:DefaultAbsoluteZoomPositionSpace>` +
    `<tt:DefaultContinuousPanTiltVelocitySpace>http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace</tt:DefaultContinuousPanTiltVelocitySpace>` +
    `<tt:DefaultContinuousZoomVelocitySpace>http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace</tt:DefaultContinuousZoomVelocitySpace>` +
    `<tt:DefaultPTZSpeed><tt:PanTilt x="1" y="1" space="http://www.onvif.org/ver10/tptz/PanTiltSpaces/GenericSpeedSpace"/><tt:Zoom x="1" space="http://www.onvif.org/ver10/tptz/ZoomSpaces/ZoomGenericSpeedSpace"/></tt:DefaultPTZSpeed>` +
    `<tt:DefaultPTZTimeout>PT10S</tt:DefaultPTZTimeout>` +
    `<tt:PanTiltLimits><tt:Range><tt:URI>http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:Range></tt:PanTiltLimits>` +
    `<tt:ZoomLimits><tt:Range><tt:URI>http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace</tt:URI><tt:XRange><tt:Min>0</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:Range></tt:ZoomLimits>` +
    `</${tag}>`
  );
}

function profileXml(cam: CameraContext, p: SimProfile, tag: string): string {
  const src = sourceSize(cam);
  const bitrate = Math.round((p.width * p.height) / 500);
  return (
    `<${tag} token="${esc(p.token)}" fixed="true"><tt:Name>${esc(p.name)}</tt:Name>` +
    `<tt:VideoSourceConfiguration token="${VIDEO_SOURCE_CONFIG_TOKEN}"><tt:Name>VideoSource</tt:Name><tt:UseCount>${cam.profiles.length}</tt:UseCount>` +
    `<tt:SourceToken>${VIDEO_SOURCE_TOKEN}</tt:SourceToken><tt:Bounds x="0" y="0" width="${src.width}" height="${src.height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="enc-${esc(p.token)}"><tt:Name>${esc(p.name)}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>${p.encoding}</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution><tt:Quality>4</tt:Quality>` +
    `<tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${bitrate}</tt:BitrateLimit></tt:RateControl>` +
    (p.encoding === 'H264' ? `<tt:H264><tt:GovLength>25</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>` : '') +
    `<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port><tt:TTL>0</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>` +
    `<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>` +
    (cam.model === 'fixed' ? '' : ptzConfigurationXml('tt:PTZConfiguration')) +
    `</${tag}>`
  );
}

function mediaUri(uri: string, tag: string): string {
  return `<${tag}><tt:Uri>${esc(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></${tag}>`;
}

export const mediaService: Service = {
  GetProfiles: ({ cam }) => `<trt:GetProfilesResponse>${cam.profiles.map((p) => profileXml(cam, p, 'trt:Profiles')).join('')}</trt:GetProfilesResponse>`,

  GetProfile: ({ cam, req }) => {
    const p = profileOrFault(cam, textAt(req.body, 'ProfileToken'));
    return `<trt:GetProfileResponse>${profileXml(cam, p, 'trt:Profile')}</trt:GetProfileResponse>`;
  },

  GetVideoSources: ({ cam }) => {
    const src = sourceSize(cam);
    return (
      `<trt:GetVideoSourcesResponse><trt:VideoSources token="${VIDEO_SOURCE_TOKEN}"><tt:Framerate>25</tt:Framerate>` +
      `<tt:Resolution><tt:Width>${src.width}</tt:Width><tt:Height>${src.height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`
    );
  },

  // Every transport asked for (RTSP, UDP, HTTP) gets the RTSP URL, as most cameras do.
  GetStreamUri: ({ cam, req }) => {
    const p = profileOrFault(cam, textAt(req.body, 'ProfileToken'));
    return `<trt:GetStreamUriResponse>${mediaUri(cam.rtspUrl(p.token), 'trt:MediaUri')}</trt:GetStreamUriResponse>`;
  },

  GetSnapshotUri: ({ cam, req }) => {
    const p = profileOrFault(cam, textAt(req.body, 'ProfileToken'));
    return `<trt:GetSnapshotUriResponse>${mediaUri(`${cam.baseUrl()}${SNAPSHOT_PATH}${encodeURIComponent(p.token)}.jpg`, 'trt:MediaUri')}</trt:GetSnapshotUriResponse>`;
  },

  GetServiceCapabilities: ({ cam }) =>
    `<trt:GetServiceCapabilitiesResponse><trt:Capabilities SnapshotUri="true" Rotation="false" VideoSourceMode="false" OSD="false">` +
    `<trt:ProfileCapabilities MaximumNumberOfProfiles="${cam.profiles.length}"/><trt:StreamingCapabilities RTPMulticast="false" RTP_TCP="true" RTP_RTSP_TCP="true"/></trt:Capabilities></trt:GetServiceCapabilitiesResponse>`,
};
