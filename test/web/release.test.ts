/**
 * The release page (/releases/:id) in Chromium against a real server and a real ingested
 * release: counts by kind and status, the file list with its filters in the URL and its pages,
 * the runs with their stage timings; no Publish button for anonymous visitors.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, PHONE, unnamedElements, lowContrastText } from './browser.js';
import { webArchive } from './fixture.js';

const a = webArchive();
const browser = browserSuite(() => a.base);

describe('the release page', () => {
  it('shows counts by kind and status, pages through the files, filters them, and shows the run with its stages', async () => {
    const { rows } = await a.database.pool.query(`SELECT kind, count(*)::int AS n FROM files WHERE release_id = $1 GROUP BY kind`, [a.publishedReleaseId]);
    const byKind = Object.fromEntries(rows.map((r: { kind: string; n: number }) => [r.kind, r.n]));
    const total = rows.reduce((n: number, r: { n: number }) => n + r.n, 0);
    expect(total).toBeGreaterThan(25);
    const tab = await browser.open(`/releases/${a.publishedReleaseId}`);
    try {
      const { page } = tab;
      await page.getByRole('heading', { level: 1, name: /GAMA DR4/ }).waitFor();
      const counts = page.getByTestId('counts');
      await counts.waitFor();
      const cell = (label: string) => counts.locator('div', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`, 'i') }) }).locator('dd');
      expect(await cell('Spectra').textContent()).toBe(String(byKind.SPECTRUM));
      expect(await cell('Images').textContent()).toBe(String(byKind.IMAGE));
      expect(await cell('Catalogues').textContent()).toBe(String(byKind.CATALOGUE));
      const byStatus = Object.fromEntries(
        (await a.database.pool.query(`SELECT status, count(*)::int AS n FROM files WHERE release_id = $1 GROUP BY status`, [a.publishedReleaseId])).rows.map((r: { status: string; n: number }) => [r.status, r.n]),
      );
      expect(byStatus.INVALID).toBeGreaterThan(0);
      expect(await cell('ingested').textContent()).toBe(String(byStatus.INGESTED));
      expect(await cell('invalid').textContent()).toBe(String(byStatus.INVALID));
      expect(await page.getByTestId('file-count').textContent()).toBe(`${total} files`);
      const files = page.getByTestId('files').locator('tbody tr');
      expect(await files.count()).toBe(25);
      expect(await page.getByRole('button', { name: /Publish/ }).count()).toBe(0);
      // Runs: the ingest that made the release, with its stages.
      await page.locator('.run table.stages tbody tr').first().waitFor();
      expect(await page.locator('.run h3').first().textContent()).toMatch(/Run \d+ ?succeeded/);
      await tab.screenshot('release');
      expect(await lowContrastText(page)).toEqual([]);
      expect(await unnamedElements(page)).toEqual([]);
      await tab.docsScreenshot('release');

      const firstPage = await files.allTextContents();
      expect(await page.getByRole('link', { name: /^Previous/ }).count()).toBe(0);
      await page.getByRole('link', { name: 'Next 25' }).click();
      await expect.poll(() => files.count(), { timeout: 15_000 }).toBe(total - 25);
      expect(new URL(page.url()).searchParams.get('after')).toBeTruthy();
      const secondPage = await files.allTextContents();
      // The listing reads as a directory does: both pages together in path order (the order of
      // the database's path index, checked here against the release's paths sorted by it).
      const listed = [...(await files.locator('td.path').allTextContents())];
      await page.goBack();
      await expect.poll(() => files.allTextContents(), { timeout: 15_000 }).toEqual(firstPage);
      listed.unshift(...(await files.locator('td.path').allTextContents()));
      await page.goForward();
      await expect.poll(() => files.allTextContents(), { timeout: 15_000 }).toEqual(secondPage);
      const { rows: inOrder } = await a.database.pool.query(`SELECT path FROM files WHERE release_id = $1 ORDER BY path`, [a.publishedReleaseId]);
      expect(listed).toEqual(inOrder.map((r: { path: string }) => r.path));
      // The page is in the URL: a reload shows the same files, and Previous goes back to the first page.
      await page.reload();
      await page.getByRole('link', { name: 'Previous 25' }).waitFor();
      await expect.poll(() => files.allTextContents(), { timeout: 15_000 }).toEqual(secondPage);
      await page.getByRole('link', { name: 'Previous 25' }).click();
      await expect.poll(() => files.allTextContents(), { timeout: 15_000 }).toEqual(firstPage);
      expect(new URL(page.url()).search).toBe('');
      expect(await page.getByRole('link', { name: /^Previous/ }).count()).toBe(0);

      await page.getByLabel('Kind').selectOption('IMAGE');
      await page.getByTestId('file-count').filter({ hasText: `${byKind.IMAGE} files match` }).waitFor();
      expect(new URL(page.url()).search).toBe('?kind=IMAGE');
      expect(await files.count()).toBe(byKind.IMAGE);
      // Each file with a record links to its page.
      await files.first().getByRole('link').click();
      await page.waitForURL(/\/records\/\d+$/);
      await page.getByTestId('preview').waitFor();
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('fits a phone screen', async () => {
    const tab = await browser.open(`/releases/${a.publishedReleaseId}`, { viewport: PHONE });
    try {
      await tab.page.getByTestId('counts').waitFor();
      await tab.page.locator('.run table.stages').first().waitFor();
      const overflow = await tab.page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await tab.screenshot('release-phone');
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
