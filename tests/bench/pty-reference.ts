// The reference every alarm figure is compared with: a raw round trip over a socat pty pair to an
// echo process. Press → relay command crosses a pty twice (box → gateway → box), so this is the
// floor the gateway adds to.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { PtyPair } from '../../simulators/pty-pair.ts';

export async function ptyRoundTrips(dir: string, count: number, frameBytes = 12): Promise<number[]> {
  const pty = new PtyPair(join(dir, 'ref-gw'), join(dir, 'ref-dev'));
  await pty.start();
  const echo = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/pty-echo.ts', pty.gatewayPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(echo.stdout!, 'data');
  const port = new SerialPort({ path: pty.devicePath, baudRate: 9600 });
  await once(port, 'open');
  const samples: number[] = [];
  const frame = Buffer.alloc(frameBytes, 0x5a);
  try {
    for (let i = 0; i < count; i++) {
      let got = 0;
      const t0 = process.hrtime.bigint();
      const done = new Promise<void>((res) => {
        const onData = (d: Buffer) => {
          got += d.length;
          if (got >= frameBytes) {
            port.off('data', onData);
            res();
          }
        };
        port.on('data', onData);
      });
      port.write(frame);
      await done;
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await new Promise<void>((res) => port.close(() => res()));
    echo.kill('SIGTERM');
    await pty.stop();
  }
  return samples;
}
