// Finding the ONVIF audio backchannel in a camera's DESCRIBE answer (pure). ONVIF marks
// directions from the client's side: the track the client sends on is `a=sendonly`. We speak
// G.711 µ-law only (PCMU/8000, static payload type 0), the codec nearly every camera accepts.

export interface BackchannelTrack {
  /** Absolute URL to SETUP. */
  controlUrl: string;
  payloadType: number;
  /** Index of the media section; interleaved channels are chosen as 2·index, 2·index+1. */
  index: number;
}

interface MediaSection {
  media: string;
  formats: string[];
  attrs: string[];
}

function sections(sdp: string): { session: string[]; media: MediaSection[] } {
  const session: string[] = [];
  const media: MediaSection[] = [];
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      const [kind = '', , , ...formats] = line.slice(2).split(/\s+/);
      media.push({ media: kind, formats, attrs: [] });
    } else if (line.startsWith('a=')) (media.at(-1)?.attrs ?? session).push(line.slice(2));
  }
  return { session, media };
}

/** Resolves an SDP control attribute against the base URL (Content-Base, else the request URL). */
export function resolveControl(control: string, base: string): string {
  if (control === '*' || control === '') return base;
  if (/^rtsps?:\/\//i.test(control)) return control;
  return base.endsWith('/') ? `${base}${control}` : `${base}/${control}`;
}

/** The sendonly PCMU audio section, or null when the camera offers no backchannel we can use. */
export function findBackchannelTrack(sdp: string, baseUrl: string): BackchannelTrack | null {
  const { media } = sections(sdp);
  for (const [index, m] of media.entries()) {
    if (m.media !== 'audio' || !m.attrs.includes('sendonly')) continue;
    const rtpmaps = new Map<string, string>();
    for (const a of m.attrs) {
      const r = /^rtpmap:(\d{1,3})\s+([^/\s]+)\/(\d+)/i.exec(a);
      if (r) rtpmaps.set(r[1] ?? '', `${(r[2] ?? '').toUpperCase()}/${r[3]}`);
    }
    // Payload type 0 is PCMU/8000 by definition (RFC 3551) even without an rtpmap line.
    const pt = m.formats.find((f) => rtpmaps.get(f) === 'PCMU/8000' || (f === '0' && !rtpmaps.has(f)));
    if (pt === undefined) continue;
    const control = m.attrs.find((a) => a.startsWith('control:'))?.slice('control:'.length).trim() ?? '';
    return { controlUrl: resolveControl(control, baseUrl), payloadType: Number(pt), index };
  }
  return null;
}
