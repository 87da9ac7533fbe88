// Each process touches a file every few seconds from its event loop; a hung loop stops touching
// it. The container health check reads these files, so a hung process is seen, not just a dead one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HEALTH_BEAT_MS = 2000;

export function startHealthBeat(dataDir: string, name: string): () => void {
  const dir = join(dataDir, 'health');
  mkdirSync(dir, { recursive: true });
  const beat = () => writeFileSync(join(dir, name), String(Date.now()));
  beat();
  const timer = setInterval(beat, HEALTH_BEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}
