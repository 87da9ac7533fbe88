// The narrow view of a live camera stream that evidence recording needs. The streams component's
// CameraStream satisfies it (or does with a one-line adapter); tests feed it from their own ffmpeg.

/** ftyp+moov, then one moof+mdat pair per message. 'end' is optional: a source that cannot say
 * it stopped is detected by silence instead (see ClipOptions.stallMs). */
export type StreamMessage =
  | { kind: 'init'; codecs: string; data: Buffer }
  | { kind: 'fragment'; data: Buffer; keyframe: boolean }
  | { kind: 'end'; reason: string };

export type Viewer = (msg: StreamMessage) => void;

export interface FragmentSource {
  /** The first message a new viewer gets is the init segment. Returns the unsubscribe. */
  subscribe(viewer: Viewer): () => void;
}
