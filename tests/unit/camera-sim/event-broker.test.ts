import { describe, expect, it } from 'vitest';
import { EventBroker, type EventMessage } from '../../../simulators/camera/event-broker.ts';
import { SoapFault } from '../../../simulators/camera/soap-fault.ts';

const msg = (v: string): EventMessage => ({ topic: 't', utcMs: 0, operation: 'Changed', source: [], data: [['IsMotion', v]] });

describe('EventBroker (pull-point subscriptions)', () => {
  it('delivers queued messages at once and wakes a waiting pull on publish', async () => {
    let now = 1000;
    const b = new EventBroker({}, () => now);
    const { id } = b.create(60_000, [msg('init')]);
    expect(await b.pull(id, 5000, 10)).toHaveLength(1);
    const waiting = b.pull(id, 5000, 10);
    b.publish(msg('true'));
    expect((await waiting).map((m) => m.data[0]?.[1])).toEqual(['true']);
    b.stop();
  });

  it('expires a subscription at its termination time unless renewed', () => {
    let now = 0;
    const b = new EventBroker({}, () => now);
    const { id } = b.create(10_000, []);
    now = 9_000;
    b.renew(id, 10_000);
    now = 15_000;
    expect(b.terminationOf(id)).toBe(19_000);
    now = 19_001;
    expect(() => b.terminationOf(id)).toThrow(SoapFault);
    b.stop();
  });

  it('bounds queues and the number of subscriptions, and forgets all on drop', () => {
    const b = new EventBroker({ maxQueue: 5, maxSubscriptions: 2 }, () => 0);
    const a = b.create(60_000, []);
    b.create(60_000, []);
    expect(() => b.create(60_000, [])).toThrow(SoapFault);
    for (let i = 0; i < 20; i++) b.publish(msg(String(i)));
    return b.pull(a.id, 0, 100).then((got) => {
      expect(got.map((m) => m.data[0]?.[1])).toEqual(['15', '16', '17', '18', '19']);
      b.dropAll();
      expect(() => b.pull(a.id, 0, 1)).toThrow(SoapFault);
      b.stop();
    });
  });

  it('a long poll ends empty after its (bounded) timeout', async () => {
    const b = new EventBroker({ maxPullMs: 50 }, () => 0);
    const { id } = b.create(60_000, []);
    expect(await b.pull(id, 60_000, 10)).toEqual([]);
    b.stop();
  });
});
