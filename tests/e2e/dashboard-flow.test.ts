// The whole closed loop in real Chromium on a simulated site: a press on a box -> the operator's
// console shows a red alarm with live video -> the operator dispatches the east patrol team ->
// the patrol officer's phone (a second browser context, phone-sized) gets the push -> accepts,
// on the way, arrives, resolves -> the operator closes; the timeline holds every step with who.
// Then: a dispatch made while the phone's feed is down arrives after it reconnects; the ops
// view shows health and the running configuration without secrets; disabling the officer's
// account sends the phone back to sign-in at once. Screenshots go to tests/artifacts/.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { SiteHarness } from '../support/site-harness.ts';
import { launchChromium } from '../support/browser.ts';
import { until } from '../support/until.ts';

const ARTIFACTS = 'tests/artifacts';
const OPERATOR = { username: 'op.li', password: 'operator-pass-1234' };
const PATROL = { username: 'patrol.wang', password: 'patrol-pass-12345' };

interface Step {
  action: string;
  by: string;
  at: string;
  team?: string;
  note?: string;
}
interface IncidentBody {
  id: string;
  boxId: string;
  state: string;
  priority: string;
  steps: Step[];
}

async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.locator('input:not([type="password"])').first().fill(username);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
}

describe('dashboard: alarm -> dispatch -> patrol phone -> close', () => {
  const site = new SiteHarness({
    video: { warm: 'linked', clips: false },
    // A 2-core machine: only the gate box keeps its cameras linked (and warm).
    edit: (doc) => {
      for (const b of doc.alarmBoxes) if (b.id !== 'box-gate') b.cameras = [];
    },
  });
  let browser: Browser;
  let consoleCtx: BrowserContext;
  let phoneCtx: BrowserContext;
  let consolePage: Page;
  let phone: Page;
  /** The phone's feed socket, routed through the test so it can be cut. */
  let phoneFeedDown = false;
  const phoneFeeds: WebSocketRoute[] = [];

  const incidentOf = async (boxId: string): Promise<IncidentBody> => {
    let found: IncidentBody | undefined;
    await until(async () => {
      const r = await site.api<IncidentBody[]>('GET', '/api/incidents?open=true');
      found = r.body.find((i) => i.boxId === boxId);
      return !!found;
    }, 10000, `open incident of ${boxId}`);
    return found!;
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await site.start();
    await site.allOnline();
    for (const u of [
      { ...OPERATOR, role: 'operator' },
      { ...PATROL, role: 'patrol', team: 'team-east' },
    ]) {
      const r = await site.api('POST', '/api/users', u);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);

    consoleCtx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    consolePage = await consoleCtx.newPage();
    await signIn(consolePage, site.baseUrl, OPERATOR.username, OPERATOR.password);
    await consolePage.locator('[data-testid="plan"]').waitFor({ timeout: 15000 });

    phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await phoneCtx.grantPermissions(['notifications'], { origin: site.baseUrl });
    // Records the phone's alerts: system notifications and vibration.
    await phoneCtx.addInitScript(() => {
      const w = window as unknown as { __alerts: { notifications: string[]; vibrations: number } };
      w.__alerts = { notifications: [], vibrations: 0 };
      const Real = window.Notification;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          w.__alerts.notifications.push(title);
        }
      }
      Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
      // The page prefers its service worker for notifications (Android needs one): record that path too.
      const realShow = ServiceWorkerRegistration.prototype.showNotification;
      ServiceWorkerRegistration.prototype.showNotification = function (this: ServiceWorkerRegistration, title: string, options?: NotificationOptions) {
        w.__alerts.notifications.push(`sw:${title}`);
        return realShow.call(this, title, options);
      };
      (window as unknown as { Notification: typeof Notification }).Notification = Recorded as unknown as typeof Notification;
      navigator.vibrate = () => {
        w.__alerts.vibrations++;
        return true;
      };
    });
    phone = await phoneCtx.newPage();
    await phone.routeWebSocket(/\/api\/feed$/, (ws) => {
      if (phoneFeedDown) {
        ws.close({ code: 1011, reason: 'test: network down' });
        return;
      }
      ws.connectToServer();
      phoneFeeds.push(ws);
    });
    await signIn(phone, site.baseUrl, PATROL.username, PATROL.password);
    await phone.locator('[data-testid="enable-alerts"]').waitFor({ timeout: 15000 });
    await phone.locator('[data-testid="enable-alerts"]').click();
  }, 180000);

  afterAll(async () => {
    await browser?.close();
    await site.stop();
  }, 30000);

  it('a press shows a red alarm on the console, with live video', async () => {
    site.sims.box('box-gate').press('box-gate');
    const incident = await incidentOf('box-gate');
    expect(incident.priority).toBe('red');
    const row = consolePage.locator(`[data-testid="incident-row"][data-incident-id="${incident.id}"]`);
    await row.waitFor({ timeout: 10000 });
    expect(await row.getAttribute('class')).toContain('prio-red');
    await consolePage.locator(`[data-testid="plan-box"][data-box-id="box-gate"]`).waitFor();
    await expect
      .poll(
        () => consolePage.evaluate(() => [...document.querySelectorAll('.alarm-tiles video')].map((v) => (v as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames)),
        { timeout: 30000, interval: 250 },
      )
      .toSatisfy((frames: number[]) => frames.length >= 2 && frames.every((n) => n > 3));
    // The snapshots taken at the press are shown beside the video.
    await expect
      .poll(() => consolePage.evaluate(() => [...document.querySelectorAll('.alarm-snap img')].map((i) => (i as HTMLImageElement).naturalWidth)), { timeout: 20000, interval: 250 })
      .toSatisfy((widths: number[]) => widths.length >= 1 && widths.every((w) => w > 0));
    await consolePage.screenshot({ path: `${ARTIFACTS}/console-alarm.png` });
  }, 60000);

  it('the operator acknowledges and dispatches; the patrol phone gets the push', async () => {
    const incident = await incidentOf('box-gate');
    await consolePage.locator(`[data-testid="incident-row"][data-incident-id="${incident.id}"]`).click();
    const detail = consolePage.locator('[data-testid="incident-detail"]');
    await detail.locator('[data-action="acknowledge"]').click();
    await detail.locator('[data-testid="dispatch-team"]').selectOption('team-east');
    await detail.locator('[data-action="dispatch"]').click();

    const card = phone.locator(`[data-incident-id="${incident.id}"]`);
    await card.waitFor({ timeout: 10000 });
    await phone.locator('[data-testid="dispatch-banner"]').waitFor({ state: 'visible', timeout: 5000 });
    const alerts = await phone.evaluate(() => (window as unknown as { __alerts: { notifications: string[]; vibrations: number } }).__alerts);
    // Shown through the service worker, as Android's Chrome requires.
    expect(alerts.notifications.some((n) => n.startsWith('sw:'))).toBe(true);
    expect(alerts.vibrations).toBeGreaterThan(0);
    await phone.screenshot({ path: `${ARTIFACTS}/patrol-phone.png` });
  }, 60000);

  it('the officer accepts, is on the way, arrives, resolves; the operator closes with a complete timeline', async () => {
    const incident = await incidentOf('box-gate');
    const card = phone.locator(`[data-incident-id="${incident.id}"]`);
    for (const action of ['accept', 'en-route', 'on-scene']) {
      await card.locator(`button[data-action="${action}"]`).click();
      await until(async () => (await site.api<IncidentBody>('GET', `/api/incidents/${incident.id}`)).body.steps.some((s) => s.action === action), 10000, action);
    }
    await card.locator('[data-field="note"]').fill('学生误触，现场已确认安全');
    await card.locator('button[data-action="resolve"]').click();
    await until(async () => (await site.api<IncidentBody>('GET', `/api/incidents/${incident.id}`)).body.state === 'resolved', 10000, 'resolved');

    const detail = consolePage.locator('[data-testid="incident-detail"]');
    await detail.locator('[data-testid="close-note"]').fill('已回访，结案');
    await detail.locator('[data-action="close"]').click();
    await until(async () => (await site.api<IncidentBody>('GET', `/api/incidents/${incident.id}`)).body.state === 'closed', 10000, 'closed');

    const done = (await site.api<IncidentBody>('GET', `/api/incidents/${incident.id}`)).body;
    expect(done.steps.map((s) => [s.action, s.by])).toEqual([
      ['opened', 'system'],
      ['acknowledge', OPERATOR.username],
      ['dispatch', OPERATOR.username],
      ['accept', PATROL.username],
      ['en-route', PATROL.username],
      ['on-scene', PATROL.username],
      ['resolve', PATROL.username],
      ['close', OPERATOR.username],
    ]);
    expect(done.steps.find((s) => s.action === 'dispatch')?.team).toBe('team-east');
    // Times never run backwards along the timeline.
    const times = done.steps.map((s) => Date.parse(s.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // The console shows the same timeline, step by step.
    await expect.poll(() => detail.locator('[data-testid="timeline-entry"]').count(), { timeout: 5000 }).toBe(8);
    await consolePage.screenshot({ path: `${ARTIFACTS}/console-closed.png` });
    // The phone no longer lists it.
    await expect.poll(() => card.count(), { timeout: 5000 }).toBe(0);
  }, 60000);

  it('video patrol: the operator opens a grid of live cameras, tours it, and closes it again', async () => {
    const patrol = consolePage.locator('[data-testid="video-patrol"]');
    await patrol.locator('[data-testid="video-patrol-toggle"]').click();
    const grid = consolePage.locator('[data-testid="video-patrol-grid"]');
    await expect
      .poll(() => grid.evaluate((g) => [...g.querySelectorAll('video')].map((v) => (v as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames)), { timeout: 30000, interval: 250 })
      .toSatisfy((frames: number[]) => frames.length >= 2 && frames.every((n) => n > 0));
    // The tour moves to the next page of cameras by itself.
    const firstPage = await patrol.locator('[data-testid="video-patrol-page"]').getAttribute('data-page');
    await patrol.locator('[data-testid="tour-interval"]').fill('3');
    await patrol.locator('[data-testid="tour-toggle"]').click();
    await expect.poll(() => patrol.locator('[data-testid="video-patrol-page"]').getAttribute('data-page'), { timeout: 15000 }).not.toBe(firstPage);
    await patrol.locator('[data-testid="tour-toggle"]').click();
    await patrol.locator('[data-testid="video-patrol-toggle"]').click();
    await expect.poll(() => grid.locator('video').count(), { timeout: 5000 }).toBe(0);
  }, 60000);

  it('a dispatch made while the phone is offline arrives when its feed comes back', async () => {
    phoneFeedDown = true;
    for (const ws of phoneFeeds.splice(0)) await ws.close({ code: 1011, reason: 'test: network down' });
    await expect.poll(() => phone.locator('[data-testid="feed-status"]').getAttribute('data-status'), { timeout: 10000 }).not.toBe('open');

    site.sims.box('box-gate').press('box-gate');
    const incident = await incidentOf('box-gate');
    const op = await site.login(OPERATOR.username, OPERATOR.password);
    expect((await site.apiAs(op, 'POST', `/api/incidents/${incident.id}/acknowledge`, {})).status).toBe(200);
    expect((await site.apiAs(op, 'POST', `/api/incidents/${incident.id}/dispatch`, { team: 'team-east' })).status).toBe(200);
    // Offline: the phone cannot know yet.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await phone.locator(`[data-incident-id="${incident.id}"]`).count()).toBe(0);

    phoneFeedDown = false;
    await phone.locator(`[data-incident-id="${incident.id}"]`).waitFor({ timeout: 40000 });
    await phone.locator('[data-testid="dispatch-banner"]').waitFor({ state: 'visible', timeout: 5000 });
    await expect.poll(() => phone.locator('[data-testid="feed-status"]').getAttribute('data-status'), { timeout: 5000 }).toBe('open');
  }, 90000);

  it('the patrol officer is refused what the role may not do', async () => {
    const status = await phone.evaluate(async () => {
      const post = (path: string) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status);
      return { reset: await post('/api/boxes/box-gate/reset'), config: await fetch('/api/config').then((r) => r.status) };
    });
    expect(status).toEqual({ reset: 403, config: 403 });
    // And the phone offers no way to those pages.
    expect(await phone.locator('[data-testid="nav-ops"], [data-testid="nav-users"]').count()).toBe(0);
  });

  it('the ops view shows device health, the gateway health and the configuration without secrets', async () => {
    const admin = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await admin.newPage();
    await signIn(page, site.baseUrl, 'admin', site.adminPassword!);
    await page.locator('[data-testid="nav-ops"]').click();
    await page.locator('[data-testid="gateway-health"]').waitFor({ timeout: 15000 });
    await page.locator('[data-device-id="box-gate"]').first().waitFor({ timeout: 15000 });
    const config = page.locator('[data-testid="running-config"]');
    await config.waitFor({ timeout: 15000 });
    await expect.poll(async () => (await config.innerText()).length, { timeout: 10000 }).toBeGreaterThan(100);
    const shown = await page.evaluate(() => document.body.innerText);
    for (const secret of [site.adminPassword!, ...Object.values(site.secrets.cameras).map((c) => c.password)]) {
      expect(shown).not.toContain(secret);
    }
    await page.screenshot({ path: `${ARTIFACTS}/ops-view.png`, fullPage: true });

    // A new alarm while the ops page is open: the top bar calls the operator to the console.
    expect(await page.locator('[data-testid="alarm-alert"]').isVisible()).toBe(false);
    site.sims.box('box-dorm').press('box-dorm');
    await page.locator('[data-testid="alarm-alert"]').waitFor({ state: 'visible', timeout: 10000 });
    await page.locator('[data-testid="alarm-alert"]').click();
    await page.locator('[data-testid="plan"]').waitFor({ timeout: 10000 });

    // The administrator creates a security officer on the users page; the password shows once.
    await page.locator('[data-testid="nav-users"]').click();
    const form = page.locator('[data-testid="create-user"]');
    await form.locator('[data-field="username"]').fill('sec.zhao');
    await form.locator('[data-field="role"]').selectOption('security');
    await form.locator('button[type="submit"]').click();
    const shownPassword = page.locator('[data-testid="password-value"]');
    await expect.poll(async () => (await shownPassword.innerText()).trim().length, { timeout: 10000 }).toBeGreaterThan(0);
    const password = (await shownPassword.innerText()).trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
    await page.locator('[data-username="sec.zhao"]').waitFor({ timeout: 5000 });
    await page.screenshot({ path: `${ARTIFACTS}/users-view.png` });
    const token = await site.login('sec.zhao', password);
    // Security staff may reset, but not dispatch.
    const open = (await site.api<IncidentBody[]>('GET', '/api/incidents?open=true')).body.find((i) => i.boxId === 'box-dorm')!;
    expect((await site.apiAs(token, 'POST', `/api/incidents/${open.id}/dispatch`, { team: 'team-east' })).status).toBe(403);
    await admin.close();
  }, 60000);

  it('several alarms at once are all in the queue, most urgent first, then the longest waiting', async () => {
    for (const box of ['box-teaching-2f', 'box-office', 'box-playground']) site.sims.box(box).press(box);
    let open: Array<IncidentBody & { openedAt: string }> = [];
    await until(async () => {
      open = (await site.api<Array<IncidentBody & { openedAt: string }>>('GET', '/api/incidents?open=true')).body.filter((i) => i.steps[0]?.action === 'opened');
      return new Set(open.map((i) => i.boxId)).size >= 5;
    }, 15000, 'five open alarms');
    const rank: Record<string, number> = { red: 0, orange: 1, yellow: 2 };
    // The queue as the page shows it, and as the journal orders it, read together each time.
    const both = async () => {
      const list = (await site.api<Array<IncidentBody & { openedAt: string }>>('GET', '/api/incidents?open=true')).body;
      const expected = [...list]
        .sort((a, b) => rank[a.priority]! - rank[b.priority]! || Date.parse(a.openedAt) - Date.parse(b.openedAt) || (a.id < b.id ? -1 : 1))
        .map((i) => i.id);
      const shown = await consolePage.evaluate(() =>
        [...document.querySelectorAll('[data-testid="incident-row"]')]
          .filter((r) => !['closed', 'cancelled'].includes(r.getAttribute('data-state') ?? ''))
          .map((r) => r.getAttribute('data-incident-id')),
      );
      return { expected, shown };
    };
    await expect.poll(async () => {
      const { expected, shown } = await both();
      return JSON.stringify(shown) === JSON.stringify(expected) ? 'same' : `${shown.join(',')} != ${expected.join(',')}`;
    }, { timeout: 10000 }).toBe('same');
    const { shown } = await both();
    expect(shown.length).toBeGreaterThanOrEqual(5);
    await consolePage.screenshot({ path: `${ARTIFACTS}/console-many-alarms.png` });
    // A console opened now (a reload, a second screen) pops up the alarms nobody has acknowledged.
    const second = await consoleCtx.newPage();
    await second.goto(`${site.baseUrl}/`);
    await second.locator('.alarm-panel').waitFor({ state: 'visible', timeout: 15000 });
    await second.close();
  }, 60000);

  it('switched to English, no page shows Chinese beyond what people typed', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await ctx.newPage();
    await signIn(page, site.baseUrl, 'admin', site.adminPassword!);
    await page.locator('[data-testid="plan"]').waitFor({ timeout: 15000 });
    await page.locator('.lang-toggle button[lang="en"]').click();
    const typed = ['学生误触，现场已确认安全', '已回访，结案'];
    const chineseLeft = (on: Page = page) =>
      on.evaluate((notes) => {
        // What is on screen (innerText skips hidden elements). The language buttons name
        // themselves; the running configuration is the site file's own data.
        let text = document.body.innerText;
        for (const e of document.querySelectorAll<HTMLElement>('.lang-toggle, [data-testid="running-config"]')) text = text.split(e.innerText).join('');
        for (const n of notes) text = text.split(n).join('');
        return [...new Set(text.match(/[\u3400-\u9fff\uff00-\uffef]+/g) ?? [])];
      }, typed);
    for (const nav of ['console', 'ops', 'users']) {
      await page.locator(`[data-testid="nav-${nav}"]`).click();
      await page.waitForTimeout(1500);
      expect(await chineseLeft(), `#/${nav}`).toEqual([]);
    }
    // The patrol phone, with a dispatch on it.
    await phone.locator('.lang-toggle button[lang="en"]').click();
    await phone.waitForTimeout(1000);
    expect(await chineseLeft(phone), '#/patrol').toEqual([]);
    await phone.screenshot({ path: `${ARTIFACTS}/patrol-phone-en.png` });
    await ctx.close();
  }, 60000);

  it('disabling the officer sends the phone back to sign-in at once', async () => {
    const r = await site.api('POST', `/api/users/${PATROL.username}/disable`, {});
    expect(r.status).toBe(200);
    await phone.locator('input[type="password"]').waitFor({ timeout: 10000 });
  }, 30000);
});
