// One ffmpeg child and the means to end it: SIGTERM, then SIGKILL after a grace period. Its
// owner (an encoder or a snapshot) calls stop(); nothing here restarts anything.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../../common/logger.ts';

const STDERR_TAIL_LINES = 20;

export class FfmpegProcess {
  readonly pid: number | undefined;
  /** Resolves with the exit code (or signal name) once the process is gone; never rejects. */
  readonly exited: Promise<number | string>;
  private readonly child: ChildProcess;
  private running = true;
  private readonly tail: string[] = [];

  constructor(
    args: string[],
    private readonly log: Logger,
    opts: { stdout?: 'pipe' | 'ignore' } = {},
  ) {
    this.child = spawn('ffmpeg', args, { stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'] });
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.running = false;
        this.log.error({ err }, 'ffmpeg could not be started');
        resolve('spawn-error');
      });
      this.child.once('exit', (code, signal) => {
        this.running = false;
        resolve(code ?? signal ?? 'unknown');
      });
    });
    let partial = '';
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      if (partial.length > 4096) partial = partial.slice(-4096);
      for (const line of lines) {
        if (!line.trim()) continue;
        this.tail.push(line.slice(0, 500));
        if (this.tail.length > STDERR_TAIL_LINES) this.tail.shift();
        this.log.debug({ pid: this.pid }, `ffmpeg: ${line.slice(0, 500)}`);
      }
    });
  }

  get stdout(): NodeJS.ReadableStream | null {
    return this.child.stdout;
  }

  isRunning(): boolean {
    return this.running;
  }

  stderrTail(): string[] {
    return [...this.tail];
  }

  /** SIGTERM, SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(graceMs = 2000): Promise<void> {
    if (!this.running) {
      await this.exited;
      return;
    }
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.running) {
          this.log.warn({ pid: this.pid }, 'ffmpeg ignored SIGTERM; killing it');
          this.child.kill('SIGKILL');
        }
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, killed]);
    if (timer) clearTimeout(timer);
    await this.exited;
  }
}
