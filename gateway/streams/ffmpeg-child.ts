// One ffmpeg child and the means to end it: SIGTERM, then SIGKILL after a grace period. Its owner
// (a live stream) decides about restarts. stderr is kept as a short redacted tail: ffmpeg echoes
// the input URL, credentials included, in its error lines.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../common/logger.ts';
import { redactUri } from './ffmpeg-args.ts';

const STDERR_TAIL_LINES = 20;

export class FfmpegChild {
  readonly pid: number | undefined;
  /** Resolves with the exit code (or signal name) once the process is gone; never rejects. */
  readonly exited: Promise<number | string>;
  private readonly child: ChildProcess;
  private running = true;
  private readonly tail: string[] = [];
  private readonly recentKinds: string[] = [];

  constructor(ffmpegPath: string, args: string[], onData: (chunk: Buffer) => void, private readonly log: Logger) {
    this.child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.running = false;
        this.log.error({ err: { message: redactUri(err.message) } }, 'ffmpeg could not be started');
        resolve('spawn-error');
      });
      // 'close' rather than 'exit': all stdout has been delivered by then.
      this.child.once('close', (code, signal) => {
        this.running = false;
        resolve(code ?? signal ?? 'unknown');
      });
    });
    this.child.stdout?.on('data', onData);
    this.child.stdout?.on('error', () => undefined);
    let partial = '';
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = (lines.pop() ?? '').slice(-4096);
      for (const raw of lines) {
        if (!raw.trim()) continue;
        const line = redactUri(raw.slice(0, 500));
        // ffmpeg repeats a timestamp warning once per packet: keep one of each kind.
        const kind = line.replace(/0x[0-9a-f]+|\d+/gi, '#');
        if (this.recentKinds.includes(kind)) continue;
        this.recentKinds.push(kind);
        if (this.recentKinds.length > 4) this.recentKinds.shift();
        this.tail.push(line);
        if (this.tail.length > STDERR_TAIL_LINES) this.tail.shift();
        this.log.debug({ pid: this.pid }, `ffmpeg: ${line}`);
      }
    });
  }

  isRunning(): boolean {
    return this.running;
  }

  stderrTail(): string[] {
    return [...this.tail];
  }

  /** SIGTERM, SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.running) {
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
    }
    await this.exited;
  }
}
