import { describe, expect, it } from 'vitest';
import { foldDeviceEvent, initialDeviceView, viewFromBoxState } from '../../../gateway/domain/device-state.ts';
import { deviceEvent } from './fixtures.ts';

describe('device state', () => {
  it('folds press, latch, release and reset: the alarm stays latched until reset by hand', () => {
    let v = initialDeviceView('box-gate');
    v = foldDeviceEvent(v, deviceEvent('button-pressed', 'box-gate', '2026-11-23T02:00:00.000Z'));
    v = foldDeviceEvent(v, deviceEvent('latched', 'box-gate'));
    v = foldDeviceEvent(v, deviceEvent('button-released', 'box-gate'));
    expect(v).toMatchObject({ online: true, pressed: false, latched: true, lastSeen: '2026-11-23T02:00:00.000Z' });
    v = foldDeviceEvent(v, deviceEvent('reset', 'box-gate'));
    expect(v.latched).toBe(false);
  });

  it('tracks offline, tamper, faults and outputs', () => {
    let v = initialDeviceView('box-dorm');
    v = foldDeviceEvent(v, deviceEvent('online', 'box-dorm'));
    v = foldDeviceEvent(v, deviceEvent('tamper-open', 'box-dorm'));
    v = foldDeviceEvent(v, deviceEvent('fault', 'box-dorm', undefined, { code: 'LOW_BATTERY' }));
    v = foldDeviceEvent(v, deviceEvent('outputs', 'box-dorm', undefined, { strobe: true, siren: false }));
    expect(v).toMatchObject({ online: true, tamper: true, faults: ['LOW_BATTERY'], outputs: { strobe: true, siren: false } });
    v = foldDeviceEvent(v, deviceEvent('fault-cleared', 'box-dorm', undefined, { code: 'LOW_BATTERY' }));
    v = foldDeviceEvent(v, deviceEvent('offline', 'box-dorm'));
    expect(v).toMatchObject({ online: false, faults: [] });
  });

  it('takes the bridge BoxState as it is, preferring reported outputs over commanded ones', () => {
    const v = viewFromBoxState({
      boxId: 'box-gate', online: true, latched: true, pressed: false, tamper: false, faults: [],
      commanded: { strobe: true, siren: true }, reported: { strobe: true, siren: false }, lastSeen: '2026-11-23T02:00:00.000Z',
    });
    expect(v.outputs).toEqual({ strobe: true, siren: false });
  });
});
