// The interlock lives in its own process: freezing or killing the gateway (web, storage) must not
// stop a press from switching strobe and siren on; what happened meanwhile reaches the gateway later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteHarness } from '../../support/site-harness.ts';
import { until } from '../../support/until.ts';

interface Incident {
  boxId: string;
  kind: string;
}

describe('interlock independence', () => {
  const site = new SiteHarness();

  beforeAll(async () => {
    await site.start();
    await site.allOnline();
  }, 90000);
  afterAll(() => site.stop(), 30000);

  it('switches the relays while the gateway process is frozen (SIGSTOP)', async () => {
    const gw = site.pid('gateway');
    process.kill(gw, 'SIGSTOP');
    try {
      for (const boxId of ['box-gate', 'box-dorm', 'box-playground']) {
        const sim = site.sims.box(boxId);
        sim.press(boxId);
        await until(() => sim.outputs(boxId).strobe && sim.outputs(boxId).siren, 5000, `${boxId} relays on with the gateway frozen`);
      }
    } finally {
      process.kill(gw, 'SIGCONT');
    }
    // Once it thaws, the gateway catches up from the bridge's outbox.
    await until(async () => {
      const r = await site.api<Incident[]>('GET', '/api/incidents?open=true');
      return ['box-gate', 'box-dorm', 'box-playground'].every((b) => r.body.some((i) => i.boxId === b && i.kind === 'panic'));
    }, 15000, 'incidents after thaw');
  });

  it('switches the relays while the gateway process is dead (kill -9), and the alarm is there after restart', async () => {
    const gw = site.pid('gateway');
    process.kill(gw, 'SIGKILL');
    await until(() => site.supervisor.pid('gateway') !== gw, 5000, 'gateway gone');
    const sim = site.sims.box('box-teaching-2f');
    sim.press('box-teaching-2f');
    await until(() => sim.outputs('box-teaching-2f').strobe, 5000, 'relays on with the gateway dead');
    expect(sim.outputs('box-teaching-2f').siren).toBe(true);
    site.supervisor.respawn('gateway');
    await until(async () => {
      const r = await site.api<Incident[]>('GET', '/api/incidents?open=true').catch(() => null);
      return !!r && r.status === 200 && r.body.some((i) => i.boxId === 'box-teaching-2f' && i.kind === 'panic');
    }, 30000, 'incident after gateway restart');
  });

  it('after the bridge itself is killed, latched relays are driven on again and stay latched', async () => {
    const sim = site.sims.box('box-gate');
    const bridge = site.pid('bridge');
    process.kill(bridge, 'SIGKILL');
    site.supervisor.respawn('bridge');
    await until(() => site.supervisor.pid('bridge') !== undefined && site.supervisor.pid('bridge') !== bridge, 10000, 'bridge back');
    await until(async () => {
      const d = await site.api<Array<{ boxId: string; latched: boolean; online: boolean }>>('GET', '/api/devices');
      return d.body.some((x) => x.boxId === 'box-gate' && x.latched && x.online);
    }, 20000, 'box-gate latched after bridge restart');
    expect(sim.outputs('box-gate')).toEqual({ strobe: true, siren: true });
  });
});
