import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from './api-harness.ts';

let h: Harness;
const dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
beforeAll(async () => {
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>campus</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  h = await startHarness({ dashboardDir: dir });
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard files', () => {
  it('serves index.html at / and assets without a session, while /api stays closed', async () => {
    const index = await fetch(`${h.base}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('campus');
    expect((await fetch(`${h.base}/app.js`)).status).toBe(200);
    expect((await fetch(`${h.base}/api/site`)).status).toBe(401);
    expect((await fetch(`${h.base}/../../etc/passwd`)).status).toBe(404);
  });
});
