// Runs a site as three processes: the MQTT broker, the firmware bridge (interlock) and the
// gateway (journal, API). Separate processes so that a crash or hang in web or storage code can
// never stop the interlock. A child that exits is restarted with backoff; stop() ends them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventEmitter } from 'node:events';
import { Backoff } from '../common/backoff.ts';
import type { Logger } from '../common/logger.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// `node --import tsx` runs the entry in this very process; tsx's CLI would fork a grandchild,
// and a signal to the child (kill -9 in a test, SIGSTOP) would miss the real process.
const NODE_ARGS = ['--import', import.meta.resolve('tsx')];

export type SiteProcessName = 'broker' | 'bridge' | 'gateway';

const ENTRY: Record<SiteProcessName, string> = {
  broker: join(ROOT, 'gateway', 'broker', 'main.ts'),
  bridge: join(ROOT, 'firmware-bridge', 'main.ts'),
  gateway: join(ROOT, 'gateway', 'main.ts'),
};

export interface SiteSupervisorOptions {
  configFile: string;
  logDir: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Lines the child writes on stderr (not logs: banners and crash traces). */
  onStderr?: (name: SiteProcessName, line: string) => void;
}

export class SiteSupervisor extends EventEmitter {
  private readonly children = new Map<SiteProcessName, ChildProcess>();
  private readonly backoffs = new Map<SiteProcessName, Backoff>();
  private readonly restartTimers = new Map<SiteProcessName, NodeJS.Timeout>();
  private readonly logs = new Map<SiteProcessName, WriteStream>();
  private stopping = false;

  constructor(private readonly opts: SiteSupervisorOptions) {
    super();
    mkdirSync(opts.logDir, { recursive: true });
  }

  start(names: SiteProcessName[] = ['broker', 'bridge', 'gateway']): void {
    for (const name of names) this.spawn(name);
  }

  pid(name: SiteProcessName): number | undefined {
    return this.children.get(name)?.pid;
  }

  private spawn(name: SiteProcessName): void {
    if (this.stopping) return;
    let log = this.logs.get(name);
    if (!log) {
      log = createWriteStream(join(this.opts.logDir, `${name}.log`), { flags: 'a' });
      this.logs.set(name, log);
    }
    const child = spawn(process.execPath, [...NODE_ARGS, ENTRY[name], '--config', this.opts.configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.opts.env },
    });
    this.children.set(name, child);
    child.stdout?.pipe(log, { end: false });
    let buffered = '';
    child.stderr?.on('data', (d: Buffer) => {
      log.write(d);
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        this.opts.onStderr?.(name, line);
      }
      if (buffered.length > 65536) buffered = '';
    });
    const started = Date.now();
    child.on('exit', (code, signal) => {
      if (this.children.get(name) === child) this.children.delete(name);
      this.emit('exit', name, code, signal);
      if (this.stopping) return;
      const backoff = this.backoffs.get(name) ?? new Backoff({ initialMs: 500, maxMs: 10000 });
      this.backoffs.set(name, backoff);
      if (Date.now() - started > 30000) backoff.reset();
      const delay = backoff.next();
      this.opts.logger.error({ process: name, code, signal, restartInMs: delay }, 'site process exited; restarting');
      this.restartTimers.set(name, setTimeout(() => this.spawn(name), delay));
    });
    this.emit('spawn', name, child.pid);
  }

  /** Restart one process now (tests use it after a kill -9 to skip the backoff). */
  respawn(name: SiteProcessName): void {
    clearTimeout(this.restartTimers.get(name));
    if (!this.children.has(name)) this.spawn(name);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.restartTimers.values()) clearTimeout(t);
    const exits = [...this.children.values()].map(
      (child) =>
        new Promise<void>((res) => {
          if (child.exitCode !== null || child.signalCode !== null) return res();
          child.once('exit', () => res());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        }),
    );
    await Promise.all(exits);
    for (const log of this.logs.values()) log.end();
  }
}
