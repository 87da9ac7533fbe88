// The first dashboard page in real Chromium against a real site on simulators: log in with the
// first-start password, see the boxes, press a box and watch the alarm arrive live.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { SiteHarness } from '../support/site-harness.ts';
import { launchChromium } from '../support/browser.ts';

describe('dashboard first page in Chromium', () => {
  const site = new SiteHarness();
  let browser: Browser;

  beforeAll(async () => {
    await site.start();
    await site.allOnline();
    browser = await launchChromium();
    mkdirSync('tests/artifacts', { recursive: true });
  }, 90000);
  afterAll(async () => {
    await browser?.close();
    await site.stop();
  }, 30000);

  it('refuses a wrong password, logs in, and shows a press live as a red alarm', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${site.baseUrl}/`);
    await page.locator('input[type="password"]').waitFor();
    await page.locator('input:not([type="password"])').first().fill('admin');
    await page.locator('input[type="password"]').fill('not-the-password');
    await page.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('.form-error').textContent(), { timeout: 5000 }).not.toBe('');

    await page.locator('input[type="password"]').fill(site.adminPassword!);
    await page.locator('button[type="submit"]').click();
    await page.locator('.device-list li').first().waitFor({ timeout: 10000 });
    expect(await page.locator('.device-list li').count()).toBe(5);

    site.sims.box('box-gate').press('box-gate');
    // The panic alarm's row (a loaded machine can also bring the box a yellow fault row).
    const row = page.locator('.incident-list li.prio-red', { hasText: '南门一键报警' });
    await row.waitFor({ timeout: 10000 });
    expect(await row.getAttribute('class')).toMatch(/red/);
    await page.screenshot({ path: 'tests/artifacts/dashboard-alarm.png' });

    // The operator acknowledges from the page; the server records who did it.
    await row.locator('button.ack').click();
    await expect
      .poll(async () => (await site.api<Array<{ boxId: string; state: string }>>('GET', '/api/incidents?open=true')).body.find((i) => i.boxId === 'box-gate')?.state, { timeout: 5000 })
      .toBe('acknowledged');
  });

  it('sends nothing to a browser without a session', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const res = await page.goto(`${site.baseUrl}/api/incidents`);
    expect(res?.status()).toBe(401);
    await ctx.close();
  });
});
