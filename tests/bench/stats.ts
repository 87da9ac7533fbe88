export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles, in the unit given (ms here). */
export function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { n: s.length, p50: r(at(50)), p95: r(at(95)), p99: r(at(99)), max: r(s.at(-1) ?? NaN) };
}

export function line(label: string, p: Percentiles): string {
  return `${label.padEnd(44)} n=${String(p.n).padStart(5)}  p50 ${p.p50.toFixed(2).padStart(7)} ms  p95 ${p.p95.toFixed(2).padStart(7)} ms  p99 ${p.p99.toFixed(2).padStart(7)} ms  max ${p.max.toFixed(2).padStart(7)} ms`;
}
