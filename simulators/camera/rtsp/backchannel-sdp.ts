// The audio sections of the simulated camera's SDP (pure): its microphone (PCMU toward the
// client) and, when a DESCRIBE carries `Require: www.onvif.org/ver20/backchannel`, the ONVIF
// audio backchannel toward its speaker. ONVIF marks directions from the client's point of view:
// tracks the client receives are `a=recvonly`, the backchannel it sends on is `a=sendonly`.

export const BACKCHANNEL_REQUIRE = 'www.onvif.org/ver20/backchannel';
/** Control names relative to the Content-Base, after the video's trackID=0. */
export const AUDIO_CONTROL = 'trackID=1';
export const BACKCHANNEL_CONTROL = 'trackID=2';

export interface AudioSections {
  /** The camera has a microphone track. */
  audio: boolean;
  /** The client asked for the backchannel and the camera has one. */
  backchannel: boolean;
}

/** True when a Require header value names the ONVIF backchannel. */
export function requiresBackchannel(require: string | undefined): boolean {
  return (require ?? '').split(',').some((s) => s.trim() === BACKCHANNEL_REQUIRE);
}

/**
 * Appends the audio sections to a video-only SDP whose last section is the video. In backchannel
 * mode the video (and microphone) get `a=recvonly`, as ONVIF clients look for direction lines.
 */
export function withAudioSections(videoSdp: string, o: AudioSections): string {
  const lines: string[] = [];
  if (o.backchannel) lines.push('a=recvonly');
  if (o.audio) {
    lines.push('m=audio 0 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000');
    if (o.backchannel) lines.push('a=recvonly');
    lines.push(`a=control:${AUDIO_CONTROL}`);
  }
  if (o.backchannel) lines.push('m=audio 0 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendonly', `a=control:${BACKCHANNEL_CONTROL}`);
  if (lines.length === 0) return videoSdp;
  const base = videoSdp.endsWith('\r\n') ? videoSdp : `${videoSdp}\r\n`;
  return `${base}${lines.join('\r\n')}\r\n`;
}
