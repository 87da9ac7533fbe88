// The audio side of one RTSP session on the simulated camera: which interleaved channels the
// client chose for the microphone track (trackID=1) and the backchannel (trackID=2), the tone
// subscription while playing, and the backchannel's incoming RTP. The RTSP server keeps one per
// session and calls in at SETUP, PLAY, stop (PAUSE/TEARDOWN/disconnect) and for `$` frames.
import type { BackchannelRecorder } from './backchannel-recorder.ts';
import { AUDIO_CONTROL, BACKCHANNEL_CONTROL } from './backchannel-sdp.ts';
import type { MicrophoneTone } from './backchannel-tone.ts';

export interface TwoWayAudio {
  /** Null: the camera has no microphone track. */
  tone: MicrophoneTone | null;
  /** Null: no backchannel (a DESCRIBE that requires it is answered 551). */
  recorder: BackchannelRecorder | null;
}

export type AudioTrack = 'audio' | 'backchannel';

/** The audio track a SETUP path segment names, if this camera has it. */
export function audioTrackOf(control: string | undefined, audio: TwoWayAudio | undefined): AudioTrack | null {
  if (control === AUDIO_CONTROL && audio?.tone) return 'audio';
  if (control === BACKCHANNEL_CONTROL && audio?.recorder) return 'backchannel';
  return null;
}

export class SessionAudio {
  private audioChannels: [number, number] | null = null;
  private backChannels: [number, number] | null = null;
  private unsubscribe: (() => void) | null = null;
  private receiving = false;

  constructor(private readonly audio: TwoWayAudio) {}

  /** Channels a client left out of its Transport header: after the video's 0-1. */
  static defaultChannels(track: AudioTrack): [number, number] {
    return track === 'audio' ? [2, 3] : [4, 5];
  }

  setup(track: AudioTrack, channels: [number, number]): void {
    if (track === 'audio') this.audioChannels = channels;
    else this.backChannels = channels;
  }

  hasTracks(): boolean {
    return this.audioChannels !== null || this.backChannels !== null;
  }

  play(send: (channel: number, pkt: Buffer) => void): void {
    const channels = this.audioChannels;
    if (channels && this.audio.tone && !this.unsubscribe) this.unsubscribe = this.audio.tone.subscribe((pkt) => send(channels[0], pkt));
    if (this.backChannels && this.audio.recorder && !this.receiving) {
      this.receiving = true;
      this.audio.recorder.sessionStarted();
    }
  }

  /** PAUSE, TEARDOWN or the connection went away. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.receiving) this.audio.recorder?.sessionEnded();
    this.receiving = false;
  }

  /** A `$` frame from the client: backchannel RTP is recorded; anything else (RTCP) ignored. */
  onInterleaved(channel: number, payload: Buffer): void {
    if (this.receiving && this.backChannels && channel === this.backChannels[0]) this.audio.recorder?.record(payload);
  }
}
