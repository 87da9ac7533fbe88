import { describe, expect, it } from 'vitest';
import {
  CATCH_UP_RATE,
  catchUpDecision,
  choosePlayer,
  mseMimeType,
  parseStreamControl,
  streamUrl,
  trimRange,
} from '../../../dashboard/src/video/live-edge.ts';
import { overlayMessage } from '../../../dashboard/src/video/video-tile.ts';

describe('staying at the live edge', () => {
  it('plays at normal speed when within 0.12 s of the buffered end', () => {
    expect(catchUpDecision(10.0, 9.9)).toEqual({ action: 'rate', rate: 1 });
    expect(catchUpDecision(10.0, 9.89)).toEqual({ action: 'rate', rate: 1 });
    expect(catchUpDecision(10.0, 10.0)).toEqual({ action: 'rate', rate: 1 });
  });

  it('plays a little faster between 0.12 and 0.5 s behind', () => {
    expect(catchUpDecision(10.0, 9.85)).toEqual({ action: 'rate', rate: CATCH_UP_RATE });
    expect(catchUpDecision(10.0, 9.7)).toEqual({ action: 'rate', rate: CATCH_UP_RATE });
    expect(catchUpDecision(10.0, 9.5)).toEqual({ action: 'rate', rate: CATCH_UP_RATE });
  });

  it('skips to just short of the end when more than 0.5 s behind', () => {
    expect(catchUpDecision(10.0, 9.4)).toEqual({ action: 'seek', to: 9.9 });
    // A fast start: the server sent the last GOP at once and the playhead is still at 0.
    expect(catchUpDecision(2.0, 0)).toEqual({ action: 'seek', to: 1.9 });
    // A stream whose timeline starts late (long-running encoder).
    const d = catchUpDecision(86400.5, 0);
    expect(d.action).toBe('seek');
    expect(d.action === 'seek' && d.to).toBeCloseTo(86400.4, 6);
  });

  it('leaves a playhead ahead of the buffer alone and survives NaN', () => {
    expect(catchUpDecision(5, 6)).toEqual({ action: 'rate', rate: 1 });
    expect(catchUpDecision(Number.NaN, 0)).toEqual({ action: 'rate', rate: 1 });
  });

  it('trims the SourceBuffer to about 10 s behind the playhead, in steps of at least a second', () => {
    expect(trimRange(0, 5)).toBeNull();
    expect(trimRange(0, 10.5)).toBeNull();
    expect(trimRange(0, 12)).toEqual({ start: 0, end: 2 });
    expect(trimRange(100, 120)).toEqual({ start: 100, end: 110 });
    expect(trimRange(0, 3, 1)).toEqual({ start: 0, end: 2 });
  });
});

describe('choosing a player', () => {
  const chromium = (mime: string): boolean => mime.includes('avc1');

  it('plays H.264 fMP4 with MSE', () => {
    expect(choosePlayer('fmp4', 'video/mp4; codecs="avc1.42c01e,mp4a.40.2"', chromium)).toBe('mse');
  });

  it('falls back to JSMpeg for H.265, for MPEG-1, without MediaSource, and for an empty codec string', () => {
    expect(choosePlayer('fmp4', 'video/mp4; codecs="hvc1.1.6.L93.B0"', chromium)).toBe('jsmpeg');
    expect(choosePlayer('mpeg1', '', chromium)).toBe('jsmpeg');
    expect(choosePlayer('fmp4', 'video/mp4; codecs="avc1.42c01e"', null)).toBe('jsmpeg');
    expect(choosePlayer('fmp4', '  ', chromium)).toBe('jsmpeg');
  });

  it('accepts a bare RFC 6381 codecs list as well as a full MIME type', () => {
    expect(mseMimeType('avc1.42C01E,mp4a.40.2')).toBe('video/mp4; codecs="avc1.42C01E,mp4a.40.2"');
    expect(mseMimeType('video/mp4; codecs="avc1.64001f"')).toBe('video/mp4; codecs="avc1.64001f"');
    expect(choosePlayer('fmp4', 'avc1.42C01E', chromium)).toBe('mse');
    expect(choosePlayer('fmp4', 'hvc1.1.6.L93.B0', chromium)).toBe('jsmpeg');
  });

  it('treats a throwing isTypeSupported as unsupported', () => {
    expect(
      choosePlayer('fmp4', 'video/mp4; codecs="avc1.42c01e"', () => {
        throw new Error('boom');
      }),
    ).toBe('jsmpeg');
  });
});

describe('stream socket protocol', () => {
  it('parses init and state text frames and ignores anything else', () => {
    expect(parseStreamControl('{"type":"init","codecs":"video/mp4; codecs=\\"avc1.42c01e\\"","format":"fmp4"}')).toEqual({
      type: 'init',
      codecs: 'video/mp4; codecs="avc1.42c01e"',
      format: 'fmp4',
    });
    expect(parseStreamControl('{"type":"init","codecs":"","format":"mpeg1"}')).toEqual({ type: 'init', codecs: '', format: 'mpeg1' });
    expect(parseStreamControl('{"type":"state","state":"reconnecting"}')).toEqual({ type: 'state', state: 'reconnecting' });
    expect(parseStreamControl('{"type":"state","state":"exploded"}')).toBeNull();
    expect(parseStreamControl('{"type":"init","codecs":"x","format":"hls"}')).toBeNull();
    expect(parseStreamControl('not json')).toBeNull();
    expect(parseStreamControl('null')).toBeNull();
  });

  it('builds same-origin stream URLs, wss on https, with the camera id escaped', () => {
    expect(streamUrl({ protocol: 'http:', host: 'gw:8080' }, 'cam-1', 'main', 'fmp4')).toBe('ws://gw:8080/api/streams/cam-1?profile=main&format=fmp4');
    expect(streamUrl({ protocol: 'https:', host: 'gw' }, 'a/b', 'sub', 'mpeg1')).toBe('wss://gw/api/streams/a%2Fb?profile=sub&format=mpeg1');
  });
});

describe('video tile overlay', () => {
  const base = { player: 'live', server: null, refused: null, hasPicture: true } as const;

  it('says why there is no picture, and nothing once it plays', () => {
    expect(overlayMessage({ ...base, player: 'connecting', hasPicture: false })).toBe('video.connecting');
    expect(overlayMessage(base)).toBeNull();
    expect(overlayMessage({ ...base, player: 'reconnecting' })).toBe('video.reconnecting');
    expect(overlayMessage({ ...base, server: 'reconnecting' })).toBe('video.cameraReconnecting');
    expect(overlayMessage({ ...base, server: 'stopped' })).toBe('video.stopped');
    expect(overlayMessage({ ...base, player: 'stopped', refused: 'forbidden' })).toBe('video.refused.forbidden');
  });
});
