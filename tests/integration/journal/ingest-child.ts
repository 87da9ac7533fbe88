// Child process for the kill -9 test: ingests events as fast as it can and reports each one on
// stdout only after ingest() has returned (i.e. committed). The parent kills it mid-stream.
import { writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSiteConfig } from '../../../config/load.ts';
import { Journal } from '../../../gateway/journal/journal.ts';

const file = process.argv[2]!;
const startSeq = Number(process.argv[3] ?? 1);
const boxes = ['box-gate', 'box-dorm', 'box-office', 'box-playground', 'box-teaching-2f'];
const kinds = ['button-pressed', 'tamper-open', 'fault', 'online'] as const;
const journal = new Journal({ file, site: loadSiteConfig(resolve('config/demo-school.yaml')) });
for (let seq = startSeq; ; seq++) {
  const boxId = boxes[seq % boxes.length]!;
  const kind = kinds[Math.floor(seq / boxes.length) % kinds.length]!;
  const r = journal.ingest('bridge-1', { seq, at: new Date().toISOString(), kind, boxId, source: 'line-a', boxEventId: null, detail: {} });
  const ids = r.duplicate ? [] : r.incidents.map((i) => `${i.id}:${i.steps.length}`);
  // A synchronous write: once the parent has the line, the commit was already done.
  writeSync(1, `acked ${seq} ${ids.join(',')}\n`);
}
