// The GOP cache rules, with synthetic fragments: what a joining viewer is given.
import { describe, expect, it } from 'vitest';
import { GopCache } from '../../../gateway/streams/gop-cache.ts';

const frag = (n: number, keyframe: boolean, size = 10): { data: Buffer; keyframe: boolean } => ({ data: Buffer.alloc(size, n), keyframe });
const ids = (c: GopCache): number[] => c.fragments().map((f) => f.data[0] ?? -1);

describe('GOP cache', () => {
  it('holds nothing until the first keyframe (fragments before it cannot be decoded)', () => {
    const c = new GopCache(1000);
    c.push(frag(1, false));
    c.push(frag(2, false));
    expect(c.fragments()).toEqual([]);
    expect(c.bytes).toBe(0);
  });

  it('holds the latest keyframe and everything after it; a new keyframe starts over', () => {
    const c = new GopCache(1000);
    for (const [n, k] of [[1, true], [2, false], [3, false], [4, true], [5, false]] as const) c.push(frag(n, k));
    expect(ids(c)).toEqual([4, 5]);
    expect(c.fragments()[0]?.keyframe).toBe(true);
    expect(c.bytes).toBe(20);
  });

  it('drops a GOP that outgrows the cap whole, and resumes at the next keyframe', () => {
    const c = new GopCache(35);
    c.push(frag(1, true));
    c.push(frag(2, false));
    c.push(frag(3, false));
    expect(ids(c)).toEqual([1, 2, 3]);
    c.push(frag(4, false)); // 40 > 35
    expect(c.fragments()).toEqual([]);
    c.push(frag(5, false));
    expect(c.fragments()).toEqual([]);
    c.push(frag(6, true));
    expect(ids(c)).toEqual([6]);
  });

  it('does not cache a single keyframe bigger than the cap', () => {
    const c = new GopCache(35);
    c.push(frag(1, true, 50));
    expect(c.fragments()).toEqual([]);
    c.push(frag(2, false));
    expect(c.fragments()).toEqual([]);
  });

  it('hands out a copy of its list, so a viewer cannot change the cache', () => {
    const c = new GopCache(1000);
    c.push(frag(1, true));
    (c.fragments() as Array<{ data: Buffer; keyframe: boolean }>).push(frag(9, false));
    expect(ids(c)).toEqual([1]);
  });
});
