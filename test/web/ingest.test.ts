/**
 * /ingest in Chromium against a real server while a real ingest runs: the dashboard picks the
 * new run up and its progress text moves (no fixed sleeps: waits for the page to change), the
 * files/s chart is drawn, stage bars appear; the admin sees the worker process and its jobs, a
 * statement really blocked by another session highlighted in the database panel, the top
 * statements' "not installed" note, and captures a CPU profile with the button, then opens it.
 * Anonymous visitors see published releases' runs only and no admin panel. No console errors,
 * failed requests or other hosts on any tab.
 */
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRelease } from '../../src/bench/generate.js';
import { createLogger } from '../../src/log.js';
import { ActivityBoard } from '../../src/monitor/activity.js';
import { registerProcess, type RegisteredProcess } from '../../src/monitor/processes.js';
import { startProfileListener, type ProfileListener } from '../../src/monitor/profile-listener.js';
import type { RunningWorker } from '../../src/worker/runner.js';
// @ts-expect-error: a plain .mjs module without types
import { copySpeedscope, speedscopeUpToDate } from '../../scripts/build-speedscope.mjs';
import { waitForRun, startTestWorker } from '../helpers/ingest.js';
import { waitFor } from '../helpers/processes.js';
import { browserSuite, canvasIsDrawn, PHONE } from './browser.js';
import { webArchive } from './fixture.js';

const a = webArchive();
const browser = browserSuite(() => a.base);
let registered: RegisteredProcess;
let listener: ProfileListener;
let worker: RunningWorker;

beforeAll(async () => {
  if (!speedscopeUpToDate()) copySpeedscope();
  // A release big enough, in batches small enough, for the ingest to be watched for a while.
  generateRelease(path.join(a.root, 'dr6'), { spectra: 1500, cubes: 0, images: 0, catalogues: 0, blobs: 2500, sources: 40 });
  const activity = new ActivityBoard();
  registered = await registerProcess(a.database.pool, { role: 'worker', activity });
  listener = startProfileListener({ databaseUrl: a.database.url, pool: a.database.pool, processId: registered.id, logger: createLogger('silent') });
  await listener.ready;
  worker = await startTestWorker(a.database, { batchSize: 50 }, activity);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await listener?.stop();
  await registered?.stop();
});

describe('the ingestion dashboard', () => {
  it('follows a real ingest live, shows processes, a blocked statement and the top statements note, and captures a profile', async () => {
    const tab = await browser.open('/ingest', { token: a.admin });
    try {
      const { page } = tab;
      await page.getByRole('heading', { name: 'Ingestion', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Processes' }).waitFor();
      await page.getByTestId('top-unavailable').filter({ hasText: 'pg_stat_statements is not installed' }).waitFor();

      // The ingest is held before it can finish (records locked against writes), so that the
      // page is sure to show it unfinished however fast the machine is, then let go.
      const gate = new pg.Client({ connectionString: a.database.url });
      await gate.connect();
      await gate.query('BEGIN');
      await gate.query('LOCK TABLE records IN SHARE MODE');
      const seen = new Set<string>();
      let runId = '';
      try {
        const sub = await a.gql(`mutation { ingestRelease(input: { survey: "GAMA", release: "DR6", path: "dr6" }) { id } }`, {}, a.admin);
        expect(sub.errors).toBeUndefined();
        runId = String(sub.data.ingestRelease.id);
        const held = page.getByTestId(`run-progress-${runId}`);
        // The page finds the new run by itself (polling) and shows it unfinished.
        await waitFor(async () => {
          const text = (await held.count()) ? await held.first().textContent() : null;
          if (text) seen.add(text);
          return text && !text.startsWith('4,000 / 4,000') ? true : undefined;
        }, 60_000, 50, 'the new run shown unfinished');
      } finally {
        await gate.query('COMMIT');
        await gate.end();
      }
      const progress = page.getByTestId(`run-progress-${runId}`);
      // Let go, its progress text moves to the end.
      await waitFor(async () => {
        const text = (await progress.count()) ? await progress.first().textContent() : null;
        if (text) seen.add(text);
        return text === '4,000 / 4,000 files (100%)' ? true : undefined;
      }, 120_000, 50, 'the progress text to move and the run to end');
      expect([...seen].some((t) => /^[0-9,]+ \/ [0-9,]+\+? files/.test(t) && !t.startsWith('4,000 / 4,000'))).toBe(true);
      // The run is the one shown: chart drawn, stage bars listed.
      await page.getByRole('heading', { name: `Run ${runId}: files/s over its life` }).waitFor();
      await waitFor(async () => ((await canvasIsDrawn(page, '[data-testid="throughput-chart"] canvas')) ? true : undefined), 30_000, 100, 'the files/s chart');
      await page.getByRole('list', { name: 'Seconds per stage' }).getByText('analyze').waitFor();
      await waitForRun(a.database, Number(runId));
      await tab.screenshot('ingest');

      // A statement blocked by another session shows up highlighted, with the blocker's pid.
      const holder = new pg.Client({ connectionString: a.database.url });
      const waiter = new pg.Client({ connectionString: a.database.url });
      await holder.connect();
      await waiter.connect();
      try {
        await holder.query('CREATE TABLE dash_lock_probe (id int)');
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE dash_lock_probe IN ACCESS EXCLUSIVE MODE');
        const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        const blocked = waiter.query(`INSERT INTO dash_lock_probe VALUES (424242)`);
        const row = page.locator('table.db-activity tr.blocked');
        await row.filter({ hasText: `blocked by ${holderPid}` }).waitFor({ timeout: 30_000 });
        expect(await row.first().textContent()).toContain('INSERT INTO dash_lock_probe VALUES (?)');
        expect(await page.locator('table.db-activity').textContent()).not.toContain('424242');
        await tab.screenshot('ingest-blocked');
        await page.evaluate(() => (globalThis as any).scrollTo(0, 0));
        await tab.docsScreenshot('ingest');
        await holder.query('ROLLBACK');
        await blocked;
      } finally {
        await holder.end();
        await waiter.end();
      }

      // Capture a CPU profile of the worker process with the button, then open it.
      await page.getByLabel('Process to profile').selectOption(registered.id);
      await page.getByLabel('Seconds', { exact: true }).fill('1');
      await page.getByRole('button', { name: 'Capture CPU profile' }).click();
      const status = page.getByTestId('capture-status');
      await status.filter({ hasText: /Profile \d+ captured/ }).waitFor({ timeout: 60_000 });
      const id = /Profile (\d+) captured/.exec((await status.textContent())!)![1];
      await page.locator('.profile-list').getByRole('link', { name: `Profile ${id}` }).waitFor();
      await status.getByRole('link', { name: 'Open the flame graph' }).click();
      await page.getByRole('heading', { name: `CPU profile ${id}` }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/profiles/${id}`);
      await page.locator('iframe.flame-frame').waitFor({ timeout: 30_000 });
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  }, 240_000);

  it('anonymous visitors see published releases\' runs only, and no admin panel; phone width works', async () => {
    const tab = await browser.open('/ingest', { viewport: PHONE });
    try {
      const { page } = tab;
      await page.getByRole('heading', { name: 'Runs' }).waitFor();
      await page.locator('.runs-table').getByRole('link', { name: 'GAMA DR4' }).first().waitFor();
      const table = (await page.locator('.runs-table').textContent())!;
      // Times as on every page: date and time in UTC, not the browser's local time of day.
      expect(table).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
      expect(table).not.toContain('DR5');
      expect(table).not.toContain('DR6');
      expect(await page.getByRole('heading', { name: 'Processes' }).count()).toBe(0);
      expect(await page.getByRole('heading', { name: 'Database activity' }).count()).toBe(0);
      // Nothing wider than the screen but the tables' own scrolling boxes.
      const overflow = await page.evaluate(() => {
        const root = (globalThis as any).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      expect(overflow).toBeLessThanOrEqual(1);
      await tab.screenshot('ingest-phone');
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
