// ffmpeg command lines for live viewing, and URI handling that keeps passwords out of logs and
// out of argv. Pure. The video is copied (never re-encoded) for MSE; only the MPEG-1 fallback
// transcodes.
import { streamError } from './errors.ts';

export interface SourceCredentials {
  uri: string;
  username: string;
  password: string;
}

/** The RTSP URI with credentials in its userinfo: for the private source listing only, never for a log. */
export function uriWithCredentials(src: SourceCredentials): string {
  const u = new URL(src.uri);
  if (src.username) {
    // The URL setters percent-encode what userinfo cannot hold; ffmpeg decodes it again.
    u.username = src.username;
    u.password = src.password;
  }
  return u.toString();
}

/** The URI fit for a log line: any userinfo replaced. */
export function redactUri(uri: string): string {
  return uri.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
}

/**
 * The camera's URI, credentials included, as an ffconcat listing of one entry. It goes into a
 * private file that ffmpeg reads, never into ffmpeg's argv: any local user can read a process's
 * argv in /proc. In ffconcat a single-quoted string cannot hold a quote, so a quote closes the
 * string, is escaped, and opens it again. The options apply to opening the camera itself.
 */
export function sourceListing(uriWithCreds: string): string {
  if (/[\r\n]/.test(uriWithCreds)) throw streamError('STREAM_SOURCE_UNAVAILABLE', { reason: 'line break in the source URI' });
  const quoted = `'${uriWithCreds.replace(/'/g, "'\\''")}'`;
  return `ffconcat version 1.0\nfile ${quoted}\noption rtsp_transport tcp\noption fflags nobuffer\n`;
}

// nobuffer/low_delay: hand each packet on as it arrives instead of buffering for analysis. The
// input is the private listing file (sourceListing) naming the camera.
const INPUT = (listingFile: string): string[] => [
  '-hide_banner', '-nostdin', '-loglevel', 'warning',
  '-fflags', 'nobuffer', '-flags', 'low_delay',
  '-f', 'concat', '-safe', '0', '-protocol_whitelist', 'file,rtsp,rtp,tcp,udp',
  '-i', listingFile,
];

/** Copy-remux to fragmented MP4, one fragment per frame (about 0.2 s behind live, see field notes). */
/**
 * audio: the camera's sound as AAC (browsers' MSE do not play G.711). Off by default: MSE plays
 * only where audio and video are both buffered, and the camera's audio arriving in bursts held
 * the picture back to ~1 frame/s and ~600 ms behind (measured); the alarm view is video only and
 * an operator who wants to listen opens the audio stream.
 */
export function fmp4Args(listingFile: string, processTag: string, audio = false): string[] {
  return [
    ...INPUT(listingFile),
    '-map', '0:v:0',
    ...(audio ? ['-map', '0:a?'] : []),
    '-c:v', 'copy',
    ...(audio ? ['-c:a', 'aac', '-b:a', '64k', '-ar', '16000', '-ac', '1'] : ['-an']),
    '-metadata', `title=${processTag}`,
    '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof+frag_every_frame',
    '-flush_packets', '1', 'pipe:1',
  ];
}

export interface Mpeg1Size {
  maxWidth: number;
  maxHeight: number;
}

/** The JSMpeg fallback: MPEG-1 video / MP2 audio in MPEG-TS, at most 960x540 keeping the aspect. */
export function mpeg1Args(listingFile: string, processTag: string, size: Mpeg1Size = { maxWidth: 960, maxHeight: 540 }): string[] {
  const scale = `scale=w='min(${size.maxWidth},iw)':h='min(${size.maxHeight},ih)':force_original_aspect_ratio=decrease:force_divisible_by=2`;
  return [
    ...INPUT(listingFile),
    '-map', '0:v:0', '-map', '0:a?',
    '-vf', scale,
    // -g 25 at 25 fps: a joining viewer (JSMpeg waits for an I-frame) sees a picture within 1 s.
    '-c:v', 'mpeg1video', '-b:v', '1000k', '-bf', '0', '-r', '25', '-g', '25',
    '-c:a', 'mp2', '-b:a', '64k', '-ar', '44100',
    '-metadata', `title=${processTag}`,
    '-f', 'mpegts', '-flush_packets', '1', 'pipe:1',
  ];
}
