import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RelayCommands } from '../../../firmware-bridge/serial/relay-commands.ts';
import { EventDedup } from '../../../firmware-bridge/serial/event-dedup.ts';

describe('RelayCommands', () => {
  let sent: Array<{ address: number; seq: number }>;
  let seq: number;
  let relays: RelayCommands;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    seq = 0;
    relays = new RelayCommands({ send: (address, s) => sent.push({ address, seq: s }), nextSeq: () => seq++, random: () => 0.5 });
  });
  afterEach(() => {
    relays.cancelAll(new Error('test over'));
    vi.useRealTimers();
  });

  it('writes at once, before any timer runs', () => {
    relays.command(3, { strobe: true, siren: true }).catch(() => undefined);
    expect(sent).toEqual([{ address: 3, seq: 0 }]);
  });

  it('resolves on the ACK that echoes its SEQ, not on another', async () => {
    const p = relays.command(3, { strobe: true, siren: false });
    expect(relays.onAck(3, 99)).toBe(false);
    expect(relays.onAck(4, 0)).toBe(false);
    expect(relays.onAck(3, 0)).toBe(true);
    await expect(p).resolves.toBeUndefined();
  });

  it('retransmits with the same SEQ and gives up with RELAY_NO_ACK after 5 tries', async () => {
    const p = relays.command(3, { strobe: true, siren: true });
    const verdict = expect(p).rejects.toMatchObject({ code: 'RELAY_NO_ACK' });
    await vi.advanceTimersByTimeAsync(5 * 100);
    await verdict;
    expect(sent).toHaveLength(5);
    expect(new Set(sent.map((s) => s.seq))).toEqual(new Set([0]));
  });

  it('a newer command for the same box supersedes the older one and stops its retries', async () => {
    const first = relays.command(3, { strobe: true, siren: true });
    const verdict = expect(first).rejects.toMatchObject({ code: 'RELAY_SUPERSEDED' });
    const second = relays.command(3, { strobe: false, siren: false });
    await verdict;
    relays.onAck(3, 1);
    await expect(second).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([{ address: 3, seq: 0 }, { address: 3, seq: 1 }]);
  });

  it('a NAK other than BUSY ends the command with RELAY_NAK', async () => {
    const p = relays.command(3, { strobe: true, siren: true });
    relays.onNak(3, 0, 0x02);
    await expect(p).rejects.toMatchObject({ code: 'RELAY_NAK' });
  });
});

describe('EventDedup', () => {
  it('processes a counter once, re-ACKs repeats, ignores repeats while in flight, retries after a failure', () => {
    const d = new EventDedup();
    expect(d.begin(1, 10)).toBe('new');
    expect(d.begin(1, 10)).toBe('in-flight');
    d.failed(1, 10);
    expect(d.begin(1, 10)).toBe('new');
    d.delivered(1, 10);
    expect(d.begin(1, 10)).toBe('duplicate');
    expect(d.begin(2, 10)).toBe('new'); // per box
  });

  it('only the counter delivered last is a repeat: an older one coming back is a box whose counter went back', () => {
    const d = new EventDedup();
    for (const id of [1, 2, 3]) {
      d.begin(1, id);
      d.delivered(1, id);
    }
    expect(d.begin(1, 3)).toBe('duplicate');
    // A spare put in, counting from 1 again: heard.
    expect(d.begin(1, 1)).toBe('new');
  });
});
