// Drives the simulated hardware of a running demo:
//   npm run sim -- press box-gate | release BOX | tamper BOX on|off | fault BOX CODE on|off
//   npm run sim -- heartbeats BOX on|off | garbage LINE | unplug LINE | replug LINE | status
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { onJsonLines, writeJsonLine } from '../common/ndjson.ts';
import { SimCommand } from './control-server.ts';

export const SIM_SOCKET = resolve(process.env.SIM_SOCKET ?? 'run/sim.sock');

const [cmd, a, b, c] = process.argv.slice(2);
const onOff = (v: string | undefined) => v === 'on' || v === 'open' || v === 'true';
const raw: Record<string, unknown> = (() => {
  switch (cmd) {
    case 'press':
    case 'release':
      return { cmd, box: a };
    case 'tamper':
      return { cmd, box: a, open: onOff(b) };
    case 'fault':
      return { cmd, box: a, code: b, active: onOff(c) };
    case 'heartbeats':
      return { cmd, box: a, on: onOff(b) };
    case 'garbage':
    case 'unplug':
    case 'replug':
      return { cmd, line: a };
    default:
      return { cmd };
  }
})();
const parsed = SimCommand.safeParse(raw);
if (!parsed.success) {
  process.stderr.write('usage: sim press|release BOX | tamper BOX on|off | fault BOX CODE on|off | heartbeats BOX on|off | garbage|unplug|replug LINE | status\n');
  process.exit(2);
}
const socket = connect(SIM_SOCKET);
socket.on('error', (err) => {
  process.stderr.write(`cannot reach the simulators at ${SIM_SOCKET} (is the demo running?): ${err.message}\n`);
  process.exit(1);
});
socket.on('connect', () => writeJsonLine(socket, parsed.data));
onJsonLines(
  socket,
  1 << 20,
  (value) => {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    socket.end();
    process.exit((value as { ok?: boolean }).ok ? 0 : 1);
  },
  () => process.exit(1),
);
