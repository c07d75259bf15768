/**
 * /profiles/:id in Chromium against a real server: a CPU profile captured by a real profile
 * listener (this process, sampling itself while it burns CPU), shown by speedscope's offline
 * build framed in the page (its own CSP), the profile handed over as a blob: URL (no token in
 * any URL), the flame graph drawn and changed by a zoom, the top functions table, the download.
 * Anonymous visitors are told to sign in and get nothing of the profile.
 */
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Locator } from 'playwright-core';
import { createLogger } from '../../src/log.js';
import { ActivityBoard } from '../../src/monitor/activity.js';
import { registerProcess, type RegisteredProcess } from '../../src/monitor/processes.js';
import { startProfileListener, type ProfileListener } from '../../src/monitor/profile-listener.js';
import { SPEEDSCOPE_CSP } from '../../src/http/profiles.js';
// @ts-expect-error: a plain .mjs module without types
import { copySpeedscope, speedscopeUpToDate } from '../../scripts/build-speedscope.mjs';
import { waitFor } from '../helpers/processes.js';
import { browserSuite } from './browser.js';
import { webArchive } from './fixture.js';

const a = webArchive();
const browser = browserSuite(() => a.base);
let registered: RegisteredProcess;
let listener: ProfileListener;
let profileId: string;

/** A function only this test runs, so that the profile has something of ours to show. */
function burnCpuForWebProfileQz(ms: number): number {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) for (let i = 0; i < 10_000; i++) x += Math.sqrt(i + x);
  return x;
}

beforeAll(async () => {
  if (!speedscopeUpToDate()) copySpeedscope();
  registered = await registerProcess(a.database.pool, { role: 'api', activity: new ActivityBoard() });
  listener = startProfileListener({ databaseUrl: a.database.url, pool: a.database.pool, processId: registered.id, logger: createLogger('silent') });
  await listener.ready;
  // Burn in slices so the listener (same thread) gets to claim and store the request.
  const capture = a.gql(`mutation($t: String) { captureProfile(seconds: 2, target: $t) { id status } }`, { t: registered.id }, a.admin);
  let done = false;
  void capture.finally(() => (done = true));
  while (!done) {
    burnCpuForWebProfileQz(20);
    await new Promise((r) => setImmediate(r));
  }
  const r = await capture;
  expect(r.errors).toBeUndefined();
  profileId = r.data.captureProfile.id;
}, 120_000);

afterAll(async () => {
  await listener?.stop();
  await registered?.stop();
});

/** Distinct colours in a screenshot of the element (speedscope draws with WebGL: no 2D context to read). */
async function colours(el: Locator): Promise<{ count: number; png: Buffer }> {
  const png = await el.screenshot();
  const img = PNG.sync.read(png);
  const seen = new Set<number>();
  for (let i = 0; i < img.data.length; i += 4 * 7) seen.add((img.data[i] << 16) | (img.data[i + 1] << 8) | img.data[i + 2]);
  return { count: seen.size, png };
}

describe('the profile page', () => {
  it('serves speedscope with its own policy, framed by this origin only', async () => {
    const res = await fetch(`${a.base}/speedscope/index.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(SPEEDSCOPE_CSP);
    expect(await res.text()).toContain('speedscope');
  });

  it('shows the flame graph (drawn, and redrawn by a zoom), the top functions and the download, with the token in no URL', async () => {
    const tab = await browser.open(`/profiles/${profileId}`, { token: a.admin });
    try {
      const { page } = tab;
      await page.getByRole('heading', { name: `CPU profile ${profileId}` }).waitFor();
      // The table's top row is this file's CPU burn (the burner itself, or the loop around it when
      // V8 inlined it there: both happen).
      await page
        .locator('table.top-functions tbody tr')
        .first()
        .getByText(/^test\/web\/profile\.test\.ts:\d+$/)
        .waitFor()
        .catch(async (e: Error) => {
          await tab.screenshot('profile-timeout');
          throw new Error(`${e.message}\nproblems: ${JSON.stringify(tab.problems)}\npage: ${(await page.locator('main').textContent())?.slice(0, 1500)}`);
        });
      const frameEl = page.locator('iframe.flame-frame');
      // On a timeout, say what the page saw (a screenshot and its problems) rather than only "timeout".
      await frameEl.waitFor().catch(async (e: Error) => {
        await tab.screenshot('profile-timeout');
        throw new Error(`${e.message}\nproblems: ${JSON.stringify(tab.problems)}`);
      });
      const frame = (await (await frameEl.elementHandle())!.contentFrame()) as Frame;
      // speedscope shows the profile's title and draws its canvases once the blob is loaded.
      await frame.getByText(`astroarchive profile ${profileId}`).first().waitFor({ timeout: 30_000 });
      const canvas = frame.locator('canvas').first();
      await canvas.waitFor();
      await waitFor(async () => ((await colours(frameEl)).count > 8 ? true : undefined), 30_000, 100, 'the flame graph to be drawn');
      // Styled under its policy: aphrodite's (empty, hash-allowed) <style> took its rules.
      expect(await frame.evaluate(() => (globalThis as any).document.querySelector('style[data-aphrodite]')?.sheet?.cssRules.length ?? 0)).toBeGreaterThan(5);
      const before = await colours(frameEl);
      await tab.screenshot('profile');
      await page.evaluate(() => (globalThis as any).scrollTo(0, 0));
      await tab.docsScreenshot('profile');

      // Zoom with the keyboard (+) and the wheel over the chart, then compare.
      const box = (await frameEl.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.6);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height * 0.6);
      await page.keyboard.press('+');
      await page.keyboard.press('+');
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, -400);
      await page.keyboard.up('Control');
      await waitFor(async () => ((await colours(frameEl)).png.equals(before.png) ? undefined : true), 30_000, 100, 'the zoom to redraw the flame graph');
      const after = await colours(frameEl);
      expect(after.count).toBeGreaterThan(8);
      await tab.screenshot('profile-zoomed');

      // The download is the same blob; nothing carried the token in a URL.
      const link = page.getByRole('link', { name: `astroarchive-${profileId}.cpuprofile` });
      expect(await link.getAttribute('href')).toMatch(/^blob:/);
      expect(tab.requests.some((u) => u.includes(a.admin) || /token=/.test(u))).toBe(false);
      expect(tab.requests.some((u) => u.endsWith(`/profiles/${profileId}.cpuprofile`))).toBe(true);
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('shows a profile opened while it is still running once it is stored, without a reload', async () => {
    // A copy of the stored profile, as it was while being captured; then stored behind the page's back.
    const { rows } = await a.database.pool.query(
      `INSERT INTO profiles (process_id, kind, seconds, status) SELECT process_id, kind, seconds, 'running' FROM profiles WHERE id = $1 RETURNING id`,
      [profileId],
    );
    const running = String(rows[0].id);
    const tab = await browser.open(`/profiles/${running}`, { token: a.admin });
    try {
      const { page } = tab;
      await page.getByText('The profile is running').waitFor();
      await a.database.pool.query(
        `UPDATE profiles p SET status = 'done', data = s.data, sample_count = s.sample_count, top_functions = s.top_functions, completed_at = now()
           FROM profiles s WHERE p.id = $1 AND s.id = $2`,
        [running, profileId],
      );
      await page.locator('iframe.flame-frame').waitFor({ timeout: 20_000 });
      expect(await page.getByText('The profile is running').count()).toBe(0);
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('asks anonymous visitors to sign in and shows nothing of the profile', async () => {
    const tab = await browser.open(`/profiles/${profileId}`);
    try {
      await tab.page.getByText('Profiles are for administrators').waitFor();
      expect(await tab.page.locator('iframe').count()).toBe(0);
      expect(tab.requests.some((u) => u.includes('.cpuprofile'))).toBe(false);
      // The GraphQL answer carries the refusal (HTTP 200 with an error): no failed request.
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
