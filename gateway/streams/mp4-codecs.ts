// Reading an fMP4 moov: which tracks exist (for keyframe detection) and the RFC 6381 codecs
// string a browser's MediaSource.isTypeSupported / addSourceBuffer needs. Pure, bounds-checked:
// a malformed child box ends the walk instead of throwing.

export interface Box {
  type: string;
  /** The box payload, after its 8- or 16-byte header. */
  body: Buffer;
}

export interface TrackInfo {
  trackId: number;
  /** 'vide', 'soun', ... from hdlr. */
  handler: string;
  timescale: number;
  /** From mvex/trex: used when tfhd/trun carry no override. */
  defaultSampleDuration: number | null;
  defaultSampleFlags: number | null;
}

/** Child boxes of `buf` starting at `start` (8 for a top-level box including its header). */
export function childBoxes(buf: Buffer, start = 0): Box[] {
  const out: Box[] = [];
  let off = start;
  while (off + 8 <= buf.length) {
    let size = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    let header = 8;
    if (size === 1) {
      if (off + 16 > buf.length) break;
      const large = buf.readBigUInt64BE(off + 8);
      if (large > BigInt(buf.length)) break;
      size = Number(large);
      header = 16;
    } else if (size === 0) size = buf.length - off;
    if (size < header || off + size > buf.length) break;
    out.push({ type, body: buf.subarray(off + header, off + size) });
    off += size;
  }
  return out;
}

export function findBox(buf: Buffer, type: string): Box | undefined {
  return childBoxes(buf).find((b) => b.type === type);
}

/** Follows a path of box types from `buf`'s children. */
export function boxAt(buf: Buffer, path: string[]): Box | undefined {
  let cur: Box | undefined = { type: '', body: buf };
  for (const t of path) {
    cur = findBox(cur.body, t);
    if (!cur) return undefined;
  }
  return cur;
}

/** `moov` is the whole box including its header. */
export function tracksFromMoov(moov: Buffer): Map<number, TrackInfo> {
  const body = moov.subarray(8);
  const tracks = new Map<number, TrackInfo>();
  const trex = new Map<number, { duration: number; flags: number }>();
  const mvex = findBox(body, 'mvex');
  for (const b of mvex ? childBoxes(mvex.body) : []) {
    if (b.type === 'trex' && b.body.length >= 24) trex.set(b.body.readUInt32BE(4), { duration: b.body.readUInt32BE(12), flags: b.body.readUInt32BE(20) });
  }
  for (const trak of childBoxes(body).filter((b) => b.type === 'trak')) {
    const tkhd = findBox(trak.body, 'tkhd');
    if (!tkhd || tkhd.body.length < 16) continue;
    const trackId = tkhd.body[0] === 1 ? tkhd.body.readUInt32BE(20) : tkhd.body.readUInt32BE(12);
    const mdhd = boxAt(trak.body, ['mdia', 'mdhd']);
    let timescale = 0;
    if (mdhd && mdhd.body.length >= 24) timescale = mdhd.body[0] === 1 ? mdhd.body.readUInt32BE(20) : mdhd.body.readUInt32BE(12);
    const hdlr = boxAt(trak.body, ['mdia', 'hdlr']);
    const handler = hdlr && hdlr.body.length >= 12 ? hdlr.body.toString('latin1', 8, 12) : '';
    const t = trex.get(trackId);
    tracks.set(trackId, { trackId, handler, timescale, defaultSampleDuration: t?.duration ?? null, defaultSampleFlags: t?.flags ?? null });
  }
  return tracks;
}

/** Comma-separated codecs of every track, video first, e.g. `avc1.42C01E,mp4a.40.2`. */
export function codecsFromMoov(moov: Buffer): string {
  const video: string[] = [];
  const other: string[] = [];
  for (const trak of childBoxes(moov.subarray(8)).filter((b) => b.type === 'trak')) {
    const stsd = boxAt(trak.body, ['mdia', 'minf', 'stbl', 'stsd']);
    if (!stsd || stsd.body.length < 8) continue;
    // stsd: version/flags (4), entry_count (4), then sample entries; the first one describes the track.
    const entry = childBoxes(stsd.body, 8)[0];
    if (!entry) continue;
    const codec = sampleEntryCodec(entry);
    if (!codec) continue;
    (codec.startsWith('mp4a') ? other : video).push(codec);
  }
  return [...video, ...other].join(',');
}

function sampleEntryCodec(entry: Box): string | null {
  switch (entry.type) {
    case 'avc1':
    case 'avc3': {
      // VisualSampleEntry fields take 78 bytes before its child boxes.
      const avcC = childBoxes(entry.body, 78).find((b) => b.type === 'avcC');
      if (!avcC || avcC.body.length < 4) return entry.type;
      return `${entry.type}.${hex2(avcC.body[1] ?? 0)}${hex2(avcC.body[2] ?? 0)}${hex2(avcC.body[3] ?? 0)}`;
    }
    case 'hvc1':
    case 'hev1': {
      const hvcC = childBoxes(entry.body, 78).find((b) => b.type === 'hvcC');
      return hvcC ? hevcCodec(entry.type, hvcC.body) : entry.type;
    }
    case 'mp4a': {
      // AudioSampleEntry fields take 28 bytes before its child boxes.
      const esds = childBoxes(entry.body, 28).find((b) => b.type === 'esds');
      const aot = esds ? audioObjectType(esds.body) : null;
      return aot ? `mp4a.40.${aot}` : 'mp4a.40.2';
    }
    default:
      return entry.type;
  }
}

/** ISO 14496-15 Annex E: hvc1.<space><profile>.<compat reversed>.<tier><level>.<constraints>. */
export function hevcCodec(type: string, c: Buffer): string {
  if (c.length < 13) return type;
  const b1 = c[1] ?? 0;
  const space = ['', 'A', 'B', 'C'][b1 >> 6] ?? '';
  const tier = b1 & 0x20 ? 'H' : 'L';
  const profile = b1 & 0x1f;
  let compat = c.readUInt32BE(2);
  let reversed = 0;
  for (let i = 0; i < 32; i++) {
    reversed = (reversed << 1) | (compat & 1);
    compat >>>= 1;
  }
  const constraints = [...c.subarray(6, 12)];
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const level = c[12] ?? 0;
  const parts = [type, `${space}${profile}`, (reversed >>> 0).toString(16).toUpperCase(), `${tier}${level}`];
  for (const k of constraints) parts.push(k.toString(16).toUpperCase());
  return parts.join('.');
}

/** The audio object type (2 = AAC-LC) from an esds's DecoderSpecificInfo. */
function audioObjectType(esds: Buffer): number | null {
  let p = 4; // version/flags
  const readDescriptor = (): { tag: number; len: number; start: number } | null => {
    if (p + 2 > esds.length) return null;
    const tag = esds[p++] ?? 0;
    let len = 0;
    for (let i = 0; i < 4 && p < esds.length; i++) {
      const b = esds[p++] ?? 0;
      len = (len << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    return { tag, len, start: p };
  };
  const es = readDescriptor();
  if (!es || es.tag !== 0x03) return null;
  const flags = esds[p + 2] ?? 0;
  p += 3;
  if (flags & 0x80) p += 2;
  if (flags & 0x40) p += 1 + (esds[p] ?? 0);
  if (flags & 0x20) p += 2;
  const dc = readDescriptor();
  if (!dc || dc.tag !== 0x04) return null;
  const objectType = esds[p] ?? 0;
  if (objectType !== 0x40) return null;
  p += 13;
  const dsi = readDescriptor();
  if (!dsi || dsi.tag !== 0x05 || p >= esds.length) return 2;
  const aot = (esds[p] ?? 0) >> 3;
  return aot === 31 ? 32 + (((esds[p] ?? 0) & 0x7) << 3) + ((esds[p + 1] ?? 0) >> 5) : aot;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
