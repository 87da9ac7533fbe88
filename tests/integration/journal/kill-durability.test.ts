// Jepsen-style: record every acknowledgement a child process made, kill it with SIGKILL at a
// random point, read the journal back and check that nothing acknowledged is missing.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Journal } from '../../../gateway/journal/journal.ts';
import { site } from '../../unit/domain/fixtures.ts';

const CHILD = resolve('tests/integration/journal/ingest-child.ts');

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** Runs the child until it has acknowledged `killAfter` events, then SIGKILLs it. */
function runAndKill(file: string, startSeq: number, killAfter: number): Promise<Array<{ seq: number; incidents: string[] }>> {
  return new Promise((resolvePromise, reject) => {
    // `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that a
    // SIGKILL to the CLI would leave running (and holding the database).
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(startSeq)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Array<{ seq: number; incidents: string[] }> = [];
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const [, seq, ids] = buffered.slice(0, nl).split(' ');
        buffered = buffered.slice(nl + 1);
        acks.push({ seq: Number(seq), incidents: ids ? ids.split(',') : [] });
        if (acks.length === killAfter) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' || acks.length < killAfter) reject(new Error(`child ended early (${signal}); stderr: ${stderr}`));
      else resolvePromise(acks);
    });
  });
}

describe('journal under kill -9', () => {
  it('loses nothing it acknowledged, over several kills at random points', async () => {
    dir = mkdtempSync(join(tmpdir(), 'journal-kill-'));
    const file = join(dir, 'gateway.db');
    const acked = new Map<number, string[]>();
    let next = 1;
    for (let round = 0; round < 3; round++) {
      const acks = await runAndKill(file, next, 20 + Math.floor(Math.random() * 60));
      for (const a of acks) acked.set(a.seq, a.incidents);
      // Resume where the journal says, as the bridge would.
      const j = new Journal({ file, site });
      next = j.lastSeq('bridge-1') + 1;
      j.close();
    }

    const j = new Journal({ file, site });
    try {
      const stored = new Set(j.db.prepare("SELECT seq FROM device_events WHERE bridge_id = 'bridge-1'").all().map((r) => (r as { seq: number }).seq));
      for (const seq of acked.keys()) expect(stored.has(seq), `event ${seq}`).toBe(true);
      for (const incidents of acked.values()) {
        for (const ref of incidents) {
          const [id, steps] = ref.split(':');
          const inc = j.getIncident(id!);
          expect(inc, `incident ${id}`).not.toBeNull();
          expect(inc!.steps.length).toBeGreaterThanOrEqual(Number(steps));
        }
      }
      expect(acked.size).toBeGreaterThanOrEqual(60);
    } finally {
      j.close();
    }
  }, 60000);
});
