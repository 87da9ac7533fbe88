// A pair of connected pseudo-terminals made by socat: one end for the gateway (as if it were
// /dev/ttyUSB0), one end for the simulated hardware. Stopping the pair makes both paths vanish,
// which is what an unplugged USB-RS485 adapter looks like to the gateway.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export class PtyPair {
  private proc: ChildProcess | null = null;
  readonly gatewayPath: string;
  readonly devicePath: string;

  constructor(gatewayPath: string, devicePath = `${gatewayPath}.dev`) {
    this.gatewayPath = resolve(gatewayPath);
    this.devicePath = resolve(devicePath);
  }

  get running(): boolean {
    return this.proc !== null && this.proc.exitCode === null;
  }

  async start(timeoutMs = 5000): Promise<void> {
    if (this.running) return;
    mkdirSync(dirname(this.gatewayPath), { recursive: true });
    mkdirSync(dirname(this.devicePath), { recursive: true });
    const proc = spawn(
      'socat',
      [`pty,raw,echo=0,link=${this.gatewayPath}`, `pty,raw,echo=0,link=${this.devicePath}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString();
    });
    this.proc = proc;
    const deadline = Date.now() + timeoutMs;
    while (!(existsSync(this.gatewayPath) && existsSync(this.devicePath))) {
      if (proc.exitCode !== null) throw new Error(`socat exited (${proc.exitCode}): ${stderr.trim()}`);
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`socat did not create ${this.gatewayPath} within ${timeoutMs} ms`);
      }
      await sleep(10);
    }
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((res) => proc.once('exit', () => res()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }
}
