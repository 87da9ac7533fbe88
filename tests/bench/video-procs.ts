// /proc sampling for the video bench: a process's descendants by name, CPU over a window as a
// percentage of one core, resident memory.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { childCpuSeconds } from '../../gateway/streams/proc-stats.ts';

/** Direct children of `pid` (pgrep -P); [] when none. */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

export function commOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

export function cmdlineOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** ffmpeg processes under `pid`, at most three generations down. */
export function ffmpegDescendants(pid: number, depth = 3): Array<{ pid: number; args: string[] }> {
  const out: Array<{ pid: number; args: string[] }> = [];
  let level = [pid];
  for (let d = 0; d < depth && level.length > 0; d++) {
    const next: number[] = [];
    for (const p of level) {
      for (const c of childPids(p)) {
        if (commOf(c) === 'ffmpeg') out.push({ pid: c, args: cmdlineOf(c) });
        else next.push(c);
      }
    }
    level = next;
  }
  return out;
}

/** VmRSS in MiB; NaN when the process is gone. */
export function rssMiB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** CPU of each pid over `windowMs` in % of one core (utime + stime from /proc), and RSS at the end. */
export async function sampleCpu(pids: number[], windowMs: number): Promise<Map<number, { cpuPct: number; rssMiB: number }>> {
  const c0 = new Map(pids.map((p) => [p, childCpuSeconds(p)]));
  const t0 = performance.now();
  await sleep(windowMs);
  const c1 = new Map(pids.map((p) => [p, childCpuSeconds(p)]));
  const wallS = (performance.now() - t0) / 1000;
  const out = new Map<number, { cpuPct: number; rssMiB: number }>();
  for (const p of pids) out.set(p, { cpuPct: ((c1.get(p)! - c0.get(p)!) / wallS) * 100, rssMiB: rssMiB(p) });
  return out;
}
