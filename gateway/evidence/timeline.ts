// Places each fragment on the camera's own timeline. The media decode time (tfdt / timescale) is
// preferred over arrival time: it is what a player shows, it has no network jitter, and it lets
// tests replay minutes of video in milliseconds. Arrival time is the fallback for a stream
// without tfdt.
import { fragmentInfo, fragmentTrackId, videoTrack, type FragmentInfo } from './fmp4.ts';

export interface TimedFragment {
  data: Buffer;
  keyframe: boolean;
  /** Start on the camera's timeline, in ms (media time, or arrival time as a fallback). */
  atMs: number;
  /** How long the fragment plays, in ms (0 when unknown). */
  durationMs: number;
  /** Raw tfdt ticks: the recorder uses them to skip repeats and to start its clip at zero. */
  decodeTime: bigint | null;
  /** Not the video track (the camera's audio): carried along, never used for timing. */
  companion?: boolean;
}

const NO_INFO: FragmentInfo = { decodeTime: null, durationTicks: null, keyframe: null };

export class FragmentTimeline {
  private timescale: number | null = null;
  private videoTrackId: number | null = null;

  constructor(private readonly arrivalMs: () => number = Date.now) {}

  setInit(init: Buffer): void {
    try {
      const track = videoTrack(init);
      this.timescale = track?.timescale ?? null;
      this.videoTrackId = track?.id ?? null;
    } catch {
      this.timescale = null;
      this.videoTrackId = null;
    }
  }

  stamp(data: Buffer, keyframe: boolean): TimedFragment {
    if (this.videoTrackId !== null) {
      let track: number | null = null;
      try {
        track = fragmentTrackId(data);
      } catch {
        track = null;
      }
      if (track !== null && track !== this.videoTrackId) return { data, keyframe: false, atMs: NaN, durationMs: 0, decodeTime: null, companion: true };
    }
    let info = NO_INFO;
    try {
      info = fragmentInfo(data);
    } catch {
      // A fragment we cannot read is still video the source vouched for; it gets arrival time.
    }
    const ts = this.timescale;
    if (ts === null || ts <= 0 || info.decodeTime === null) {
      return { data, keyframe, atMs: this.arrivalMs(), durationMs: 0, decodeTime: null };
    }
    return {
      data,
      keyframe,
      atMs: (Number(info.decodeTime) * 1000) / ts,
      durationMs: info.durationTicks === null ? 0 : (info.durationTicks * 1000) / ts,
      decodeTime: info.decodeTime,
    };
  }
}
