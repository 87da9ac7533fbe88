// Container health check: every site process must have touched its health file lately
// (a hung event loop stops touching it). Exit 0 healthy, 1 not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dataDir = process.env.DATA_DIR ?? '/var/lib/campus-gateway';
const staleMs = 10000;
const bad = [];
for (const name of ['broker', 'bridge', 'gateway']) {
  try {
    const at = Number(readFileSync(join(dataDir, 'health', name), 'utf8'));
    if (!(Date.now() - at < staleMs)) bad.push(`${name}: last beat ${Math.round((Date.now() - at) / 1000)} s ago`);
  } catch {
    bad.push(`${name}: no health file`);
  }
}
if (bad.length) {
  console.error(bad.join('\n'));
  process.exit(1);
}
console.log('healthy');
