// Finding the backchannel in SDPs, including the one our own camera simulator answers.
import { describe, expect, it } from 'vitest';
import { findBackchannelTrack, resolveControl } from '../../../gateway/intercom/backchannel-sdp.ts';
import { requiresBackchannel, withAudioSections } from '../../../simulators/camera/rtsp/backchannel-sdp.ts';

const VIDEO = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=cam', 't=0 0', 'a=control:*', 'm=video 0 RTP/AVP 96', 'a=rtpmap:96 H264/90000', 'a=control:trackID=0'].join('\r\n') + '\r\n';

describe('backchannel in the SDP (gateway side)', () => {
  it('finds the sendonly PCMU section and resolves its control against the Content-Base', () => {
    const sdp = withAudioSections(VIDEO, { audio: true, backchannel: true });
    expect(findBackchannelTrack(sdp, 'rtsp://127.0.0.1:8554/main/')).toEqual({ controlUrl: 'rtsp://127.0.0.1:8554/main/trackID=2', payloadType: 0, index: 2 });
  });

  it('ignores the camera microphone track and an SDP without a backchannel', () => {
    expect(findBackchannelTrack(withAudioSections(VIDEO, { audio: true, backchannel: false }), 'rtsp://h/s/')).toBeNull();
    expect(findBackchannelTrack(VIDEO, 'rtsp://h/s/')).toBeNull();
  });

  it('takes payload type 0 without an rtpmap, and skips a sendonly track of another codec', () => {
    const pcma = VIDEO + 'm=audio 0 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendonly\r\na=control:back\r\n';
    expect(findBackchannelTrack(pcma, 'rtsp://h/s')).toBeNull();
    const bare = VIDEO + 'm=audio 0 RTP/AVP 0\na=sendonly\na=control:rtsp://other/back\n';
    expect(findBackchannelTrack(bare, 'rtsp://h/s')).toEqual({ controlUrl: 'rtsp://other/back', payloadType: 0, index: 1 });
  });

  it('resolves controls: absolute, relative with or without a slash, and *', () => {
    expect(resolveControl('rtsp://x/y', 'rtsp://h/s/')).toBe('rtsp://x/y');
    expect(resolveControl('t1', 'rtsp://h/s/')).toBe('rtsp://h/s/t1');
    expect(resolveControl('t1', 'rtsp://h/s')).toBe('rtsp://h/s/t1');
    expect(resolveControl('*', 'rtsp://h/s')).toBe('rtsp://h/s');
  });
});

describe('audio sections of the simulated camera', () => {
  it('adds the microphone track always and the backchannel only when required', () => {
    const normal = withAudioSections(VIDEO, { audio: true, backchannel: false });
    expect(normal).toContain('m=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=control:trackID=1\r\n');
    expect(normal).not.toContain('sendonly');
    expect(normal).not.toContain('recvonly');
    const back = withAudioSections(VIDEO, { audio: true, backchannel: true });
    expect(back.split('m=')).toHaveLength(4);
    expect(back).toContain('a=control:trackID=0\r\na=recvonly\r\n');
    expect(back.endsWith('m=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendonly\r\na=control:trackID=2\r\n')).toBe(true);
    expect(withAudioSections(VIDEO, { audio: false, backchannel: false })).toBe(VIDEO);
  });

  it('recognises the ONVIF Require tag among others', () => {
    expect(requiresBackchannel('www.onvif.org/ver20/backchannel')).toBe(true);
    expect(requiresBackchannel('x-foo, www.onvif.org/ver20/backchannel')).toBe(true);
    expect(requiresBackchannel('www.onvif.org/ver20/backchannelx')).toBe(false);
    expect(requiresBackchannel(undefined)).toBe(false);
  });
});
