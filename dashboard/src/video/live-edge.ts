// Pure decisions for live video in the browser: which player can show a stream, how to stay at
// the live edge, how much buffer to drop. No DOM, no timers: the players feed numbers in.

/** Past this far behind the buffered end, skip ahead rather than speed up. */
export const JUMP_BEHIND_S = 0.5;
/** Past this far behind, play a little faster to close the gap without a visible jump. Three
 * frames at 25 fps: a live view for an alarm wants the picture now, not a deep buffer. */
export const SPEED_UP_BEHIND_S = 0.12;
/** Where a skip lands: just short of the end, so the decoder has a frame to show. */
export const JUMP_MARGIN_S = 0.1;
export const CATCH_UP_RATE = 1.1;
/** Buffer kept behind the playhead; older media is removed from the SourceBuffer. */
export const KEEP_BEHIND_S = 10;

export type CatchUp = { action: 'seek'; to: number } | { action: 'rate'; rate: number };

/**
 * What to do to stay live, given the end of the buffered range the playhead is in (or the last
 * one) and the playhead. A playhead ahead of the end (nothing buffered yet) changes nothing.
 */
export function catchUpDecision(bufferedEnd: number, currentTime: number): CatchUp {
  const behind = bufferedEnd - currentTime;
  if (!Number.isFinite(behind)) return { action: 'rate', rate: 1 };
  if (behind > JUMP_BEHIND_S) return { action: 'seek', to: Math.max(0, bufferedEnd - JUMP_MARGIN_S) };
  if (behind > SPEED_UP_BEHIND_S) return { action: 'rate', rate: CATCH_UP_RATE };
  return { action: 'rate', rate: 1 };
}

/**
 * The range to remove from a SourceBuffer so that at most KEEP_BEHIND_S stays behind the
 * playhead, or null when nothing needs removing. Removing only in steps of at least a second
 * keeps the SourceBuffer from doing a remove after every fragment.
 */
export function trimRange(bufferedStart: number, currentTime: number, keepBehind = KEEP_BEHIND_S): { start: number; end: number } | null {
  const end = currentTime - keepBehind;
  if (!Number.isFinite(end) || end - bufferedStart < 1) return null;
  return { start: bufferedStart, end };
}

export type StreamFormat = 'fmp4' | 'mpeg1';

/**
 * The MIME type for MediaSource from the init message's `codecs`. The protocol sends a full
 * type (`video/mp4; codecs="avc1.42c01e"`); a bare RFC 6381 list (`avc1.42C01E,mp4a.40.2`) is
 * accepted too and wrapped, so either side of that detail works.
 */
export function mseMimeType(codecs: string): string {
  const c = codecs.trim();
  if (c === '' || c.includes('/')) return c;
  return `video/mp4; codecs="${c}"`;
}
export type PlayerChoice = 'mse' | 'jsmpeg';

/**
 * Which player shows a stream: MSE when the stream is fragmented MP4 in a codec this browser's
 * MediaSource plays (H.264 in Chromium), JSMpeg for MPEG-1 and for anything MSE cannot play
 * (H.265 on most browsers), which the gateway then re-encodes to MPEG-1.
 * `isTypeSupported` is null where the browser has no MediaSource at all (older iPhones).
 */
export function choosePlayer(format: StreamFormat, codecs: string, isTypeSupported: ((mime: string) => boolean) | null): PlayerChoice {
  const mime = mseMimeType(codecs);
  if (format !== 'fmp4' || !isTypeSupported || mime === '') return 'jsmpeg';
  let ok = false;
  try {
    ok = isTypeSupported(mime);
  } catch {
    ok = false;
  }
  return ok ? 'mse' : 'jsmpeg';
}

export type StreamProfile = 'main' | 'sub';
export type ServerStreamState = 'starting' | 'live' | 'reconnecting' | 'stopped';

export type StreamControl =
  | { type: 'init'; codecs: string; format: StreamFormat }
  | { type: 'state'; state: ServerStreamState };

const SERVER_STATES: readonly string[] = ['starting', 'live', 'reconnecting', 'stopped'];

/** Parses a text frame of the stream socket; null for anything else (ignored, not fatal). */
export function parseStreamControl(text: string): StreamControl | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (o.type === 'init' && typeof o.codecs === 'string' && (o.format === 'fmp4' || o.format === 'mpeg1')) {
    return { type: 'init', codecs: o.codecs, format: o.format };
  }
  if (o.type === 'state' && typeof o.state === 'string' && SERVER_STATES.includes(o.state)) {
    return { type: 'state', state: o.state as ServerStreamState };
  }
  return null;
}

/** Close codes the gateway uses to refuse a stream socket; retrying them would not help. */
export const REFUSALS: Readonly<Record<number, StreamRefusal>> = {
  4401: 'unauthorised',
  4403: 'forbidden',
  4404: 'unknown-camera',
};
export type StreamRefusal = 'unauthorised' | 'forbidden' | 'unknown-camera';

export function streamPath(cameraId: string, profile: StreamProfile, format: StreamFormat, audio = false): string {
  return `/api/streams/${encodeURIComponent(cameraId)}?profile=${profile}&format=${format}${audio ? '&audio=1' : ''}`;
}

export function streamUrl(loc: { protocol: string; host: string }, cameraId: string, profile: StreamProfile, format: StreamFormat, audio = false): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}${streamPath(cameraId, profile, format, audio)}`;
}
