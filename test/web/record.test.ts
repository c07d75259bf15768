/**
 * The record page (/records/:id) in Chromium against a real server and a real ingested
 * release: a spectrum plotted (canvas pixels, zoom by dragging), header cards filtered, the
 * download's SHA-256 against the file on disk, an image's preview loaded, a catalogue's table
 * and rows, the source's other records. No console errors, failed requests or other hosts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserSuite, canvasIsDrawn, PHONE, unnamedElements, lowContrastText } from './browser.js';
import { webArchive } from './fixture.js';

const a = webArchive();
const browser = browserSuite(() => a.base);

const canvasDigest = (page: import('playwright-core').Page, selector: string) =>
  page.$eval(selector, (c: any) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray;
    let h = 0;
    for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) >>> 0;
    return h;
  });

describe('the record page', () => {
  it("plots a spectrum in the file's unit, zooms by dragging, filters header cards, lists the source's other records", async () => {
    const id = a.records.get('spectra/ngc1068_0.fits')!;
    const tab = await browser.open(`/records/${id}`);
    try {
      const { page } = tab;
      await page.getByRole('heading', { level: 1, name: /NGC 1068/ }).waitFor();
      const canvas = '[data-testid=spectrum-plot] canvas';
      await page.locator(canvas).waitFor();
      expect(await canvasIsDrawn(page, canvas)).toBe(true);
      // The file's spectral axis is in Angstrom (CUNIT1): the axis says so.
      expect(await page.locator('[data-testid=spectrum-plot]').textContent()).toContain('wavelength (Å)');
      // Both ends of the wavelength range with six significant digits (472.1 beside 476.806 read as
      // different precisions).
      expect(await page.locator('.facts').textContent()).toMatch(/Wavelength\d+\.\d{3} nm – \d+\.\d{3} nm/);
      // The file's path may wrap after its slash (a <wbr>), and still reads (and copies) as the path.
      const file = page.locator('.facts code', { hasText: 'ngc1068_0.fits' }).first();
      expect(await file.textContent()).toBe('spectra/ngc1068_0.fits');
      expect(await file.locator('wbr').count()).toBe(1);
      await page.locator('[data-testid=other-records] li').nth(2).waitFor();
      expect(await page.locator('[data-testid=other-records] li').count()).toBe(3);
      await tab.screenshot('record-spectrum');
      expect(await lowContrastText(page)).toEqual([]);
      expect(await unnamedElements(page)).toEqual([]);
      await tab.docsScreenshot('record');

      // Drag across the middle of the plot: uPlot zooms the x axis and redraws.
      const before = await canvasDigest(page, canvas);
      const box = (await page.locator('[data-testid=spectrum-plot] .u-over').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      await expect.poll(() => canvasDigest(page, canvas), { timeout: 10_000 }).not.toBe(before);

      // Header cards: every HDU's, filtered in the page.
      const count = page.getByTestId('card-count');
      expect(await count.textContent()).toMatch(/^\d+ cards in 2 HDUs$/);
      await page.getByLabel('Search the header cards').fill('exposure');
      await count.filter({ hasText: /^[1-9]\d* of \d+ cards match$/ }).waitFor();
      const shown = await page.locator('table.cards tbody tr').allTextContents();
      expect(shown.length).toBeGreaterThan(0);
      for (const row of shown) expect(row.toLowerCase()).toContain('exposure');
      expect(shown.some((row) => row.startsWith('EXPOSURE'))).toBe(true);
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it("asks for an HDU's header cards only when its section is open, and searches them on the server", async () => {
    const id = a.records.get('spectra/ngc1068_1.fits')!;
    const tab = await browser.open(`/records/${id}`);
    try {
      const { page } = tab;
      // Every header card any GraphQL answer carried, by HDU index (a walk over the JSON).
      const sent = new Map<number, number>();
      const answers: string[] = [];
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) return v.forEach(walk);
        if (v && typeof v === 'object') {
          const o = v as Record<string, unknown>;
          if (typeof o.index === 'number' && Array.isArray(o.header)) sent.set(o.index, (sent.get(o.index) ?? 0) + o.header.length);
          Object.values(o).forEach(walk);
        }
      };
      page.on('response', async (res) => {
        if (!res.url().endsWith('/graphql')) return;
        const op = /^(?:query|mutation)\s+(\w+)/.exec(JSON.parse(res.request().postData() ?? '{}').query ?? '')?.[1] ?? '?';
        answers.push(op);
        walk(await res.json().catch(() => null));
      });
      await page.reload();
      await page.getByRole('heading', { level: 1, name: /NGC 1068/ }).waitFor();
      const sections = page.locator('details.hdu');
      await sections.nth(1).waitFor();
      expect(await sections.count()).toBe(2);
      // The primary's section is open with its cards; the extension's is closed and was never sent.
      await sections.nth(0).locator('table.cards tbody tr').first().waitFor();
      const primaryCards = await sections.nth(0).locator('table.cards tbody tr').count();
      await expect.poll(() => sent.get(0)).toBe(primaryCards);
      expect(sent.has(1)).toBe(false);
      expect(await sections.nth(1).locator('table.cards').count()).toBe(0);

      // Opening it asks for its cards (one request, that HDU only).
      const before = answers.filter((op) => op === 'HduCards').length;
      await sections.nth(1).locator('summary').click();
      await sections.nth(1).locator('table.cards tbody tr').first().waitFor();
      const extensionCards = await sections.nth(1).locator('table.cards tbody tr').count();
      await expect.poll(() => sent.get(1)).toBe(extensionCards);
      expect(answers.filter((op) => op === 'HduCards').length).toBe(before + 1);
      expect(sent.get(0)).toBe(primaryCards);

      // A search sends only the matching cards, of every HDU.
      sent.clear();
      await page.getByLabel('Search the header cards').fill('exposure');
      const count = page.getByTestId('card-count');
      await count.filter({ hasText: /^[1-9]\d* of \d+ cards match$/ }).waitFor();
      const shown = await page.locator('table.cards tbody tr').allTextContents();
      for (const row of shown) expect(row.toLowerCase()).toContain('exposure');
      expect([...sent.values()].reduce((n, c) => n + c, 0)).toBe(shown.length);
      expect(shown.length).toBeLessThan(primaryCards + extensionCards);
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('downloads the file through the page: the bytes are the file on disk (SHA-256)', async () => {
    const rel = 'spectra/m87_1.fits';
    const id = a.records.get(rel)!;
    const tab = await browser.open(`/records/${id}`);
    try {
      const { page } = tab;
      const link = page.getByTestId('download');
      await link.waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const saved = await download.path();
      const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
      const onDisk = sha(fs.readFileSync(a.fileOnDisk(rel)));
      expect(sha(fs.readFileSync(saved))).toBe(onDisk);
      expect(download.suggestedFilename()).toBe('m87_1.fits');
      expect(await page.locator('code.checksum').textContent()).toBe(onDisk);
      const datalink = await page.getByRole('link', { name: 'DataLink' }).getAttribute('href');
      expect(datalink).toBe(`/datalink?ID=${encodeURIComponent(`ivo://astroarchive.local/astroarchive?${id}`)}`);
      // The DataLink service answers for it, with this file among its links.
      const links = await fetch(`${a.base}${datalink}`);
      expect(links.status).toBe(200);
      const votable = await links.text();
      expect(votable).toContain('#this');
      expect(votable).toContain(await link.getAttribute('href'));
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('asks for no more spectrum points than the screen can show: all 2,048 at 1280 px, 780 thinned ones at 390 px', async () => {
    const id = a.records.get('spectra/sgra_1.fits')!;
    for (const [viewport, caption] of [
      [undefined, /^2,048 points\./],
      [PHONE, /^780 points \(thinned/],
    ] as const) {
      const tab = await browser.open(`/records/${id}`, viewport ? { viewport } : {});
      try {
        const note = tab.page.locator('figure.spectrum figcaption');
        await note.waitFor();
        expect(await note.textContent()).toMatch(caption);
        expect(tab.problems).toEqual([]);
      } finally {
        await tab.close();
      }
    }
  });

  it("shows an image's preview PNG, and the page fits a phone's width", async () => {
    const id = a.records.get('images/ngc1068.fits')!;
    const tab = await browser.open(`/records/${id}`, { viewport: PHONE });
    try {
      const { page } = tab;
      const img = page.getByTestId('preview');
      await img.waitFor();
      await expect.poll(() => img.evaluate((el: any) => el.complete && el.naturalWidth), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await img.evaluate((el: any) => [el.naturalWidth, el.naturalHeight])).toEqual([128, 128]);
      expect(await page.getByTestId('preview-caption').textContent()).toContain('Quick look');
      const overflow = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await tab.screenshot('record-image-phone');
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it("lists an invalid file's validation issues by severity, each with its code, HDU and keyword", async () => {
    const id = a.records.get('images/broken.fits')!;
    const { rows } = await a.database.pool.query(
      `SELECT i.severity, count(*)::int AS n FROM validation_issues i JOIN records r ON r.file_id = i.file_id WHERE r.id = $1 GROUP BY i.severity`,
      [id],
    );
    const errors = rows.find((r: { severity: string }) => r.severity === 'ERROR')?.n ?? 0;
    expect(errors).toBeGreaterThan(0);
    const tab = await browser.open(`/records/${id}`);
    try {
      const { page } = tab;
      const section = page.getByRole('region', { name: 'errors' });
      await section.waitFor();
      expect(await section.locator('li').count()).toBe(errors);
      expect(await section.locator('h3').textContent()).toContain(`${errors} error`);
      expect(await page.getByRole('heading', { name: /^Validation/ }).textContent()).toContain(`${errors} error`);
      expect(await section.locator('li code').first().textContent()).toMatch(/^[A-Z_]+$/);
      // The status says INVALID; the preview (a placeholder for a file with nothing to draw) still loads,
      // and its caption says it is no picture of the file rather than describing a quick look.
      expect(await page.locator('.facts').textContent()).toContain('invalid');
      const caption = page.getByTestId('preview-caption');
      await caption.filter({ hasText: 'could not be drawn' }).waitFor();
      expect(await caption.textContent()).not.toContain('Quick look');
      expect(await page.getByTestId('preview').getAttribute('alt')).toMatch(/no picture/);
      // Rendered once, then read back from the cache: both answers say it is the placeholder.
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${a.base.replace(/\/$/, '')}/records/${id}/preview.png`);
        expect(res.status).toBe(200);
        expect(res.headers.get('x-astroarchive-preview')).toBe('cached');
        expect(res.headers.get('x-astroarchive-preview-placeholder')).toBe('1');
      }
      await tab.screenshot('record-invalid');
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it("shows a catalogue's table: its columns and its rows a page at a time", async () => {
    const id = a.records.get('catalogues/stellarmass.fits')!;
    const tab = await browser.open(`/records/${id}`);
    try {
      const { page } = tab;
      const rows = page.getByTestId('catalogue-rows');
      await rows.waitFor();
      expect(await rows.locator('tbody tr').count()).toBe(20);
      expect(await rows.locator('thead').textContent()).toMatch(/cataid.*ra \[deg\].*dec \[deg\].*mag_r \[mag\]/i);
      expect(await rows.locator('caption').textContent()).toBe('Rows 1–20 of 120');
      await tab.screenshot('record-catalogue');
      expect(await unnamedElements(page)).toEqual([]);
      await page.getByRole('button', { name: 'Next rows' }).click();
      await rows.locator('caption').filter({ hasText: 'Rows 21–40 of 120' }).waitFor();
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
