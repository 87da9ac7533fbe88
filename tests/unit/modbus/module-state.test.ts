import { describe, expect, it } from 'vitest';
import { ModuleState } from '../../../firmware-bridge/modbus/module-state.ts';

const boxes = [
  { boxId: 'box-a', module: 'm1', buttonInput: 0, tamperInput: 1, strobeCoil: 0, sirenCoil: 1 },
  { boxId: 'box-b', module: 'm1', buttonInput: 2, strobeCoil: 2, sirenCoil: 5 },
];
const bits = (...on: number[]) => Array.from({ length: 8 }, (_, i) => on.includes(i));
const make = () => new ModuleState({ moduleId: 'm1', boxes, inputs: 8, offlineAfterFailures: 3, heartbeatEveryMs: 1000 });

describe('ModuleState', () => {
  it('reports a key already latched at start as a press, then only edges', () => {
    const s = make();
    expect(s.onInputs(bits(2), 0).filter((x) => x.kind === 'button')).toEqual([{ kind: 'button', boxId: 'box-b', pressed: true }]);
    expect(s.onInputs(bits(2), 10).filter((x) => x.kind === 'button')).toEqual([]);
    expect(s.onInputs(bits(), 20).filter((x) => x.kind === 'button')).toEqual([{ kind: 'button', boxId: 'box-b', pressed: false }]);
  });

  it('reports tamper 1 as an open housing and its restore', () => {
    const s = make();
    expect(s.onInputs(bits(1), 0).filter((x) => x.kind === 'tamper')).toEqual([{ kind: 'tamper', boxId: 'box-a', open: true }]);
    expect(s.onInputs(bits(), 5).filter((x) => x.kind === 'tamper')).toEqual([{ kind: 'tamper', boxId: 'box-a', open: false }]);
  });

  it('sends at most one heartbeat per box per second however fast it polls', () => {
    const s = make();
    const beats = (t: number) => s.onInputs(bits(), t).filter((x) => x.kind === 'heartbeat').length;
    expect(beats(0)).toBe(2);
    expect(beats(50)).toBe(0);
    expect(beats(999)).toBe(0);
    expect(beats(1000)).toBe(2);
  });

  it('reports offline once after N failures in a row and online on the next answer', () => {
    const s = make();
    s.onInputs(bits(), 0);
    expect(s.onFailure('MODBUS_TIMEOUT')).toEqual([]);
    expect(s.onFailure('MODBUS_TIMEOUT')).toEqual([]);
    expect(s.onFailure('MODBUS_TIMEOUT').map((x) => x.kind === 'presence' && x.online)).toEqual([false, false]);
    expect(s.onFailure('MODBUS_TIMEOUT')).toEqual([]);
    const back = s.onInputs(bits(), 5000).filter((x) => x.kind === 'presence');
    expect(back).toEqual([
      { kind: 'presence', boxId: 'box-a', online: true, reason: 'MODBUS_ANSWERED' },
      { kind: 'presence', boxId: 'box-b', online: true, reason: 'MODBUS_ANSWERED' },
    ]);
  });

  it('a failure streak broken by an answer starts counting again', () => {
    const s = make();
    s.onFailure('MODBUS_TIMEOUT');
    s.onFailure('MODBUS_TIMEOUT');
    s.onInputs(bits(), 0);
    expect(s.onFailure('MODBUS_TIMEOUT')).toEqual([]);
    expect(s.onFailure('MODBUS_TIMEOUT')).toEqual([]);
  });

  it('reports coil states only when they differ from what was last seen or written', () => {
    const s = make();
    expect(s.onCoils(bits())).toHaveLength(2);
    expect(s.onCoils(bits())).toEqual([]);
    s.remember('box-a', { strobe: true, siren: true });
    expect(s.onCoils(bits(0, 1))).toEqual([]);
    expect(s.onCoils(bits(0, 1, 5))).toEqual([{ kind: 'outputs', boxId: 'box-b', outputs: { strobe: false, siren: true } }]);
  });
});
