// `npm run bench -- NAME`: runs one benchmark. Each prints p50/p95/p99 and a reference measured
// in the same run, and ends with one JSON line of its figures.
const benches: Record<string, () => Promise<unknown>> = {
  alarm: () => import('./alarm.ts').then((m) => m.run()),
  ptz: () => import('./ptz.ts').then((m) => m.run()),
  video: () => import('./video.ts').then((m) => m.run()),
};

const name = process.argv[2];
const bench = name ? benches[name] : undefined;
if (!bench) {
  process.stderr.write(`usage: npm run bench -- ${Object.keys(benches).join('|')}\n`);
  process.exit(2);
}
await bench();
process.exit(0);
