import { describe, expect, it } from 'vitest';
import { burnableName, encoderArgs, overlayLayout, pictureGraph, snapshotArgs, timecodeLayout, timecodeLumaExpr } from '../../../simulators/camera/rtsp/ffmpeg-args.ts';

const picture = { cameraName: 'gate cam 1', width: 640, height: 360, fps: 15, localMidnightMs: 1_700_000_000_000, fontFile: '/f.ttf' };
const argAfter = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('ffmpeg command lines', () => {
  it('encodes H.264 baseline with a GOP of fps x keyframeIntervalS, no B-frames, headers on every keyframe', () => {
    const args = encoderArgs({ ...picture, keyframeIntervalS: 2, bitrateKbps: 400, publishUrl: 'rtsp://127.0.0.1:1/p', processTag: 'camsim-x-1' });
    expect(argAfter(args, '-c:v')).toBe('libx264');
    expect(argAfter(args, '-g')).toBe('30');
    expect(argAfter(args, '-keyint_min')).toBe('30');
    expect(argAfter(args, '-bf')).toBe('0');
    expect(argAfter(args, '-profile:v')).toBe('baseline');
    expect(argAfter(args, '-tune')).toBe('zerolatency');
    expect(argAfter(args, '-x264-params')).toBe('repeat-headers=1');
    expect(argAfter(args, '-metadata')).toBe('title=camsim-x-1');
    expect(args.slice(-5)).toEqual(['-f', 'rtsp', '-rtsp_transport', 'tcp', 'rtsp://127.0.0.1:1/p']);
  });

  it('burns the name and the wall-clock time of day with milliseconds into the picture', () => {
    const graph = pictureGraph(picture);
    expect(graph).toContain('testsrc2=size=640x360:rate=15');
    expect(graph).toContain('realtime');
    expect(graph).toContain(`setpts=RTCTIME-${1_700_000_000_000_000}`);
    expect(graph).toContain("text='gate cam 1'");
    expect(graph).toContain("text='%{pts\\:hms}'");
    expect(graph).toContain('fontfile=/f.ttf:');
    expect(graph.endsWith('settb=1/15,setpts=N')).toBe(true);
  });

  it('makes one JPEG on stdout for a snapshot', () => {
    const args = snapshotArgs({ ...picture, processTag: 't' });
    expect(argAfter(args, '-frames:v')).toBe('1');
    expect(argAfter(args, '-c:v')).toBe('mjpeg');
    expect(args.at(-1)).toBe('pipe:1');
  });

  it('keeps only characters that need no filtergraph escaping in the burned-in name', () => {
    expect(burnableName("gate:cam's,1\\%")).toBe('gate_cam_s_1__');
  });

  it('lays the text out large, on even pixels', () => {
    const l = overlayLayout(640, 360);
    for (const v of [l.name.x, l.name.y, l.time.x, l.time.y, l.time.fontSize]) expect(v % 2).toBe(0);
    expect(l.time.fontSize).toBeGreaterThanOrEqual(360 / 8);
    expect(l.time.y).toBeGreaterThan(l.name.y + l.name.fontSize);
    expect(l.time.y + l.time.fontSize).toBeLessThan(360);
  });

  it('puts a timecode strip of 16x16 blocks (27 Gray-coded bits + parity) bottom left, on the macroblock grid, below the clock', () => {
    for (const [w, h] of [[640, 360], [960, 540]] as const) {
      const tc = timecodeLayout(w, h);
      expect(tc).toMatchObject({ x: 0, blockW: 16, blockH: 16, bits: 28 });
      expect(tc.y % 16).toBe(0);
      expect(tc.y + tc.blockH).toBeLessThanOrEqual(h);
      const time = overlayLayout(w, h).time;
      expect(tc.y).toBeGreaterThan(time.y + time.fontSize + 6);
    }
    const tc = timecodeLayout(640, 360);
    const graph = pictureGraph(picture);
    // Cut from the frame itself, so the strip carries exactly the frame's timestamp.
    expect(graph).toContain('split[pic][tc];[tc]crop=448:16:0:336,');
    expect(graph).toContain(`geq=lum='${timecodeLumaExpr(tc)}':cb=128:cr=128[strip];[pic][strip]overlay=x=0:y=336,`);
    expect(timecodeLumaExpr(tc)).toContain('floor(T*1000)');
  });
});
