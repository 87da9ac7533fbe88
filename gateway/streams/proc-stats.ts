// CPU time of a child process from /proc, for supervision and the streaming benchmark:
// process.cpuUsage() only covers our own process.
import { readFileSync } from 'node:fs';

// USER_HZ: 100 on every mainstream Linux architecture (the kernel ABI fixes it, whatever HZ is).
const CLOCK_TICKS_PER_S = 100;

/** utime + stime of `pid` in seconds; NaN when the process is gone or /proc is unavailable. */
export function childCpuSeconds(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return Number.NaN;
  }
  // comm (field 2) may contain spaces and parentheses: fields are counted after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return Number.NaN;
  return (utime + stime) / CLOCK_TICKS_PER_S;
}
