// The ffmpeg command lines of the simulated camera, built as argument arrays (no shell, so no
// shell quoting). Pure: the wall clock comes in as a value.
//
// The picture: testsrc2 paced to real time by the `realtime` filter; each frame's pts is then set
// to the wall clock (RTCTIME, microseconds) minus local midnight, so drawtext's `%{pts\:hms}`
// prints the local time of day with milliseconds at the moment the frame was made. The pts is put
// back to N/fps before encoding. A process that runs past midnight shows 24:xx (hms counts on).
//
// A machine-readable timecode strip sits at the bottom left (timecodeLayout): a row of square
// blocks, black = 0 and white = 1, painted by `geq` from the same frame time. Blocks 0..26 hold
// the Gray code of floor(ms since local midnight), least significant bit first (27 bits reach
// 37 h); the last block is a parity bit (even parity over the data blocks, which for a Gray code
// is the lowest bit of the binary value). The strip is cut from the frame itself (split + crop),
// so it carries exactly the frame's own timestamp. tests/support/timecode.ts decodes it.
import { existsSync } from 'node:fs';

export interface PictureOptions {
  cameraName: string;
  width: number;
  height: number;
  fps: number;
  /** Local midnight of the day the process starts, ms since the epoch. */
  localMidnightMs: number;
  fontFile: string | null;
}

export interface EncoderOptions extends PictureOptions {
  keyframeIntervalS: number;
  bitrateKbps: number;
  /** Where ffmpeg publishes (ANNOUNCE/RECORD over TCP): our internal ingest listener. */
  publishUrl: string;
  /** Put into the command line so tests (and people) can find the process: `-metadata title=<tag>`. */
  processTag: string;
}

export interface SnapshotOptions extends PictureOptions {
  processTag: string;
}

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];

/** A monospaced TTF that exists here; null lets drawtext use fontconfig's default. */
export function findFontFile(candidates: readonly string[] = FONT_CANDIDATES): string | null {
  return candidates.find((f) => existsSync(f)) ?? null;
}

export interface TextBox {
  x: number;
  y: number;
  fontSize: number;
}

/** Where the two lines of text sit; a reader (glass-to-glass test, OCR) crops the time box. */
export function overlayLayout(width: number, height: number): { name: TextBox; time: TextBox } {
  // Even numbers, so a reader can crop a 4:2:0 picture exactly at the text.
  const even = (n: number): number => 2 * Math.round(n / 2);
  const x = even(width * 0.04);
  return {
    name: { x, y: even(height * 0.55), fontSize: even(Math.max(12, height / 12)) },
    time: { x, y: even(height * 0.72), fontSize: even(Math.max(16, height / 7)) },
  };
}

export interface TimecodeLayout {
  x: number;
  y: number;
  blockW: number;
  blockH: number;
  /** Data bits plus one parity bit. */
  bits: number;
}

/** Gray-coded data bits of ms since local midnight; one parity block follows them. */
export const TIMECODE_DATA_BITS = 27;

/**
 * Where the timecode strip sits: bottom left, on the 16-pixel macroblock grid where the picture
 * is big enough (blocks aligned with macroblocks survive compression best).
 */
export function timecodeLayout(width: number, height: number): TimecodeLayout {
  const bits = TIMECODE_DATA_BITS + 1;
  const block = Math.max(2, Math.min(16, 2 * Math.floor(width / bits / 2), 2 * Math.floor(height / 8 / 2)));
  const y = Math.max(0, block * Math.floor((height - block) / block));
  return { x: 0, y, blockW: block, blockH: block, bits };
}

/** The `geq` luma expression of the strip: block k = bit k of the Gray code, the last = parity. */
export function timecodeLumaExpr(layout: TimecodeLayout): string {
  const ms = 'floor(T*1000)';
  const k = `floor(X/${layout.blockW})`;
  const gray = `mod(floor(${ms}/pow(2,${k}))+floor(${ms}/pow(2,${k}+1)),2)`;
  return `255*if(lt(X,${layout.blockW * TIMECODE_DATA_BITS}),${gray},mod(${ms},2))`;
}

/** Letters, digits and a few signs survive; everything else would need filtergraph escaping. */
export function burnableName(name: string): string {
  return name.replace(/[^A-Za-z0-9 _.#-]/g, '_').slice(0, 40);
}

function drawtext(text: string, box: TextBox, fontFile: string | null): string {
  const font = fontFile ? `fontfile=${fontFile}:` : '';
  return `drawtext=${font}text='${text}':x=${box.x}:y=${box.y}:fontsize=${box.fontSize}:fontcolor=white:box=1:boxcolor=black@0.75:boxborderw=6`;
}

/** The lavfi source graph with the name and the wall-clock time burned in. */
export function pictureGraph(o: PictureOptions): string {
  const layout = overlayLayout(o.width, o.height);
  const tc = timecodeLayout(o.width, o.height);
  const stripW = tc.blockW * tc.bits;
  const midnightUs = Math.round(o.localMidnightMs * 1000);
  return [
    `testsrc2=size=${o.width}x${o.height}:rate=${o.fps}`,
    // Opaque planar YUV from the start: with testsrc2's default yuva the overlaid strip vanished.
    'format=yuv420p',
    'realtime',
    'settb=1/1000000',
    `setpts=RTCTIME-${midnightUs}`,
    drawtext(burnableName(o.cameraName), layout.name, o.fontFile),
    drawtext('%{pts\\:hms}', layout.time, o.fontFile),
    'split[pic][tc]',
  ].join(',') + [
    `;[tc]crop=${stripW}:${tc.blockH}:${tc.x}:${tc.y}`,
    `geq=lum='${timecodeLumaExpr(tc)}':cb=128:cr=128[strip]`,
  ].join(',') + [
    `;[pic][strip]overlay=x=${tc.x}:y=${tc.y}`,
    `settb=1/${o.fps}`,
    'setpts=N',
  ].join(',');
}

export function encoderArgs(o: EncoderOptions): string[] {
  const gop = Math.max(1, Math.round(o.fps * o.keyframeIntervalS));
  const kbps = Math.max(50, Math.round(o.bitrateKbps));
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel', 'warning',
    '-f', 'lavfi',
    '-i', pictureGraph(o),
    '-an',
    '-c:v', 'libx264',
    '-preset', 'ultrafast',
    '-tune', 'zerolatency',
    '-profile:v', 'baseline',
    '-pix_fmt', 'yuv420p',
    '-threads', '2',
    '-g', String(gop),
    '-keyint_min', String(gop),
    '-sc_threshold', '0',
    '-bf', '0',
    '-b:v', `${kbps}k`,
    '-maxrate', `${kbps}k`,
    '-bufsize', `${kbps}k`,
    '-x264-params', 'repeat-headers=1',
    '-metadata', `title=${o.processTag}`,
    // Like a camera's hardware encoder: every packet goes out at once, no muxing delay.
    '-flush_packets', '1',
    '-muxdelay', '0',
    '-f', 'rtsp',
    '-rtsp_transport', 'tcp',
    o.publishUrl,
  ];
}

export function snapshotArgs(o: SnapshotOptions): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel', 'error',
    '-f', 'lavfi',
    '-i', pictureGraph(o),
    '-frames:v', '1',
    '-an',
    '-c:v', 'mjpeg',
    '-q:v', '3',
    '-pix_fmt', 'yuvj420p',
    '-metadata', `title=${o.processTag}`,
    '-f', 'image2pipe',
    'pipe:1',
  ];
}

/** Local midnight of the day `nowMs` falls in. */
export function localMidnight(nowMs: number): number {
  const d = new Date(nowMs);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}
