// Media answers (Media1 and Media2 shapes), parsed from the raw SOAP so we do not depend on the
// onvif package's loosely typed objects.
import { at, attr, child, children, soapBody, text, type XmlNode } from './xml.ts';

export interface MediaProfile {
  token: string;
  name: string;
  /** The profile carries a PTZ configuration: PTZ calls use this profile. */
  ptz: boolean;
  encoding?: string;
  width?: number;
  height?: number;
}

export function parseProfiles(doc: XmlNode): MediaProfile[] {
  const r = child(soapBody(doc), 'GetProfilesResponse');
  return children(r, 'Profiles')
    .slice(0, 64)
    .map((p) => {
      // Media1 puts configurations on the profile, Media2 under Configurations.
      const conf = child(p, 'Configurations') ?? p;
      const enc = child(conf, 'VideoEncoderConfiguration') ?? child(conf, 'VideoEncoder');
      const num = (v: string | undefined) => (v && Number.isFinite(Number(v)) ? Number(v) : undefined);
      return {
        token: attr(p, 'token') ?? '',
        name: text(child(p, 'Name')) ?? '',
        ptz: child(conf, 'PTZConfiguration') !== undefined || child(conf, 'PTZ') !== undefined,
        encoding: text(child(enc, 'Encoding')) || attr(enc, 'Encoding') || undefined,
        width: num(text(at(enc, 'Resolution', 'Width'))),
        height: num(text(at(enc, 'Resolution', 'Height'))),
      };
    })
    .filter((p) => p.token !== '');
}

/** GetStreamUri / GetSnapshotUri, Media1 (MediaUri/Uri) or Media2 (Uri). */
export function parseMediaUri(doc: XmlNode): string | null {
  const body = soapBody(doc);
  for (const name of ['GetStreamUriResponse', 'GetSnapshotUriResponse']) {
    const r = child(body, name);
    if (r === undefined) continue;
    const uri = text(at(r, 'MediaUri', 'Uri')) || text(child(r, 'Uri'));
    if (uri && uri.length <= 2048 && /^(rtsp|rtsps|http|https):\/\//i.test(uri)) return uri;
  }
  return null;
}
