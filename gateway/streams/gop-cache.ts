// The current group of pictures: every fragment since the latest keyframe, so a new viewer can
// start decoding at once instead of waiting up to a keyframe interval. Pure. Bounded: a GOP
// that outgrows the cap is dropped whole (a partial GOP without its keyframe is useless) and
// caching resumes at the next keyframe.

export interface CachedFragment {
  data: Buffer;
  keyframe: boolean;
}

export class GopCache {
  private frags: CachedFragment[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  push(frag: CachedFragment): void {
    if (frag.keyframe) {
      this.frags = [];
      this.size = 0;
    } else if (this.frags.length === 0) {
      return; // no keyframe yet: nothing decodable to keep
    }
    if (this.size + frag.data.length > this.maxBytes) {
      this.clear();
      return;
    }
    this.frags.push(frag);
    this.size += frag.data.length;
  }

  /** Keyframe first, in order; empty when no decodable GOP is held. */
  fragments(): readonly CachedFragment[] {
    return this.frags.slice();
  }

  get bytes(): number {
    return this.size;
  }

  clear(): void {
    this.frags = [];
    this.size = 0;
  }
}
