// Command lines: copy for MSE, transcode only for the fallback; passwords never in argv.
import { describe, expect, it } from 'vitest';
import { fmp4Args, mpeg1Args, redactUri, sourceListing, uriWithCredentials } from '../../../gateway/streams/ffmpeg-args.ts';

const argAfter = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('stream ffmpeg command lines', () => {
  it('is picture-only by default: no audio track to hold MSE back', () => {
    const args = fmp4Args('/run/x.ffconcat', 'gwstream-x');
    expect(args).toContain('-an');
    expect(args).not.toContain('0:a?');
    expect(argAfter(args, '-c:v')).toBe('copy');
  });

  it('copies the video (no re-encode) into per-frame fragmented MP4 with AAC audio when asked', () => {
    const args = fmp4Args('/run/x.ffconcat', 'gwstream-x', true);
    expect(argAfter(args, '-c:v')).toBe('copy');
    expect(argAfter(args, '-c:a')).toBe('aac');
    expect(args).toContain('0:a?');
    expect(argAfter(args, '-i')).toBe('/run/x.ffconcat');
    expect(argAfter(args, '-f')).toBe('concat');
    expect(argAfter(args, '-movflags')).toBe('frag_keyframe+empty_moov+default_base_moof+frag_every_frame');
    expect(argAfter(args, '-metadata')).toBe('title=gwstream-x');
    expect(args.at(-1)).toBe('pipe:1');
  });

  it('transcodes the fallback to MPEG-1/MP2 in MPEG-TS, ≤ 960x540 keeping the aspect, I-frame every second', () => {
    const args = mpeg1Args('/run/x.ffconcat', 'tag');
    expect(argAfter(args, '-c:v')).toBe('mpeg1video');
    expect(argAfter(args, '-c:a')).toBe('mp2');
    expect(argAfter(args, '-g')).toBe('25');
    expect(argAfter(args, '-r')).toBe('25');
    expect(argAfter(args, '-bf')).toBe('0');
    expect(args[args.lastIndexOf('-f') + 1]).toBe('mpegts');
    expect(argAfter(args, '-vf')).toContain("min(960,iw)");
    expect(argAfter(args, '-vf')).toContain('force_original_aspect_ratio=decrease');
  });

  it('puts percent-encoded credentials in the URI and redacts any userinfo for logs', () => {
    const uri = uriWithCredentials({ uri: 'rtsp://127.0.0.1:8554/main', username: 'op@site', password: 'p:w/d@1' });
    expect(uri).toBe('rtsp://op%40site:p%3Aw%2Fd%401@127.0.0.1:8554/main');
    expect(redactUri(uri)).toBe('rtsp://***@127.0.0.1:8554/main');
    expect(redactUri(`[rtsp @ 0x1] method DESCRIBE failed: 401 ${uri}`)).not.toContain('p%3A');
    expect(uriWithCredentials({ uri: 'rtsp://h/x', username: '', password: '' })).toBe('rtsp://h/x');
  });

  it('names the camera in an ffconcat listing, quotes and all, with TCP and no buffering', () => {
    const uri = uriWithCredentials({ uri: 'rtsp://127.0.0.1:8554/main', username: 'op', password: "it's" });
    const text = sourceListing(uri);
    expect(text.split('\n')[0]).toBe('ffconcat version 1.0');
    // A quote closes the string, is escaped, and opens it again.
    expect(text).toContain("file 'rtsp://op:it'\\''s@127.0.0.1:8554/main'");
    expect(text).toContain('option rtsp_transport tcp');
    expect(text).toContain('option fflags nobuffer');
    expect(() => sourceListing('rtsp://a/b\nfile x')).toThrow();
  });
});
