/**
 * The search page (/) in Chromium against a real server and a real ingested release: the
 * shell and its CSP, search by name and by cone (list, count, distances, the sky plot drawn),
 * the search in the URL (reload, back), list and plot linked, paging, a phone-width layout.
 * Every tab must end with no console errors, failed requests or requests to other hosts.
 */
import { describe, expect, it } from 'vitest';
import { WEB_CSP } from '../../src/web/server/csp.js';
import { browserSuite, canvasIsDrawn, PHONE, unnamedElements, lowContrastText } from './browser.js';
import { fieldLayout } from '../../src/web/client/sky/field.js';
import { plotLayout } from '../../src/web/client/sky/layout.js';
import { project } from '../../src/web/client/sky/projection.js';
import { SOURCES, webArchive } from './fixture.js';

const a = webArchive();
const browser = browserSuite(() => a.base);

describe('the search page', () => {
  it('serves the shell with a strict CSP, no inline script or style, and hashed assets cached for a year', async () => {
    const res = await fetch(`${a.base}/?q=M31`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(WEB_CSP);
    const html = await res.text();
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]|<style|style=/);
    const js = /src="(\/assets\/main-[A-Z0-9]{8}\.js)"/.exec(html)![1];
    const asset = await fetch(`${a.base}${js}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${a.base}/assets/nope-AAAAAAAA.js`)).status).toBe(404);
    expect((await fetch(`${a.base}/records/abc`)).status).toBe(404);
  });

  it('finds a source by name: its records listed with their release, the plot drawn, the search in the URL survives a reload', async () => {
    const tab = await browser.open('/');
    try {
      const { page } = tab;
      await page.getByLabel('Name or position').fill('ngc 1068');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByTestId('result-count').filter({ hasText: '4 records of “ngc 1068”' }).waitFor();
      expect(new URL(page.url()).search).toBe('?q=ngc+1068');
      const rows = page.locator('.results-table tbody tr');
      expect(await rows.count()).toBe(4);
      expect(await rows.first().textContent()).toContain('GAMA DR4');
      // One source's records: each row names its file under the source's name, so they differ.
      const files = await rows.locator('td:first-child .sub').allTextContents();
      expect(files).toHaveLength(4);
      expect(new Set(files).size).toBe(4);
      expect(await canvasIsDrawn(page, '[data-testid=sky-plot]')).toBe(true);
      await tab.screenshot('search-name');

      await page.reload();
      await page.getByTestId('result-count').filter({ hasText: '4 records' }).waitFor();
      expect(await page.getByLabel('Name or position').inputValue()).toBe('ngc 1068');

      // Hovering a row highlights it (and its marker); following its link opens the record without a reload.
      await rows.nth(1).hover();
      await page.locator('.results-table tr.highlight').waitFor();
      await rows.nth(1).getByRole('link').first().click();
      await page.waitForURL(/\/records\/\d+$/);
      await page.goBack();
      await page.getByTestId('result-count').filter({ hasText: '4 records' }).waitFor();
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it("links the plot to the list: hovering a record's marker highlights its row, clicking it focuses the row's link", async () => {
    const tab = await browser.open('/?q=M87&proj=mollweide');
    try {
      const { page } = tab;
      await page.getByTestId('result-count').filter({ hasText: '4 records' }).waitFor();
      expect(await page.getByLabel('View', { exact: true }).inputValue()).toBe('mollweide');
      const box = (await page.getByTestId('sky-plot').boundingBox())!;
      const m87 = SOURCES.find((s) => s.name === 'M87')!;
      const [x, y] = plotLayout(box.width).toPx(project('mollweide', m87));
      expect(await page.locator('.results-table tr.highlight').count()).toBe(0);
      await page.mouse.move(box.x + x, box.y + y);
      await page.locator('.results-table tr.highlight').waitFor();
      expect(await page.locator('.results-table tr.highlight').count()).toBe(1);
      await page.mouse.click(box.x + x, box.y + y);
      expect(await page.evaluate(() => (globalThis as any).document.activeElement?.closest('tr')?.className)).toBe('highlight');
      // Away from every marker: nothing is highlighted.
      await page.mouse.move(box.x + 5, box.y + 5);
      await expect.poll(() => page.locator('.results-table tr.highlight').count()).toBe(0);
      // Keyboard: focusing a row's link highlights that row (and its marker); from the search box, so focus really moves.
      await page.getByLabel('Name or position').focus();
      await page.locator('.results-table tbody tr').nth(2).getByRole('link').first().focus();
      await expect.poll(() => page.locator('.results-table tbody tr').nth(2).getAttribute('class')).toBe('highlight');
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('reaches the sky plot\'s markers by keyboard alone: Tab to the plot, arrows move between records (announced), Enter opens one', async () => {
    const tab = await browser.open('/');
    try {
      const { page } = tab;
      await page.getByTestId('result-count').waitFor();
      const doc = () => page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-testid'));
      await page.getByLabel('Name or position').focus();
      for (let i = 0; i < 200 && (await doc()) !== 'sky-plot'; i++) await page.keyboard.press('Tab');
      expect(await doc()).toBe('sky-plot');
      expect(await page.getByTestId('sky-plot').getAttribute('aria-label')).toMatch(/Arrow keys move between the records' markers/);
      const said = page.getByTestId('sky-plot-said');
      const highlighted = () => page.locator('.results-table tr.highlight').getAttribute('data-id');
      const box = (await page.getByTestId('sky-plot').boundingBox())!;
      const layout = plotLayout(box.width);
      const { data } = await a.gql(`{ records(first: 100) { edges { node { id center { ra dec } } } } }`);
      const xOf = new Map<string, number>(data.records.edges.filter((e: any) => e.node.center).map((e: any) => [e.node.id, layout.toPx(project('aitoff', e.node.center))[0]]));

      // Home: the list's first record with a position, its row lit and its name said.
      await page.keyboard.press('Home');
      const ids = await page.locator('.results-table tbody tr').evaluateAll((rows: any[]) => rows.map((r) => r.getAttribute('data-id')));
      const firstRow = page.locator(`.results-table tbody tr[data-id="${ids.find((id) => xOf.has(id))}"]`);
      await expect.poll(highlighted).toBe(await firstRow.getAttribute('data-id'));
      const firstName = (await firstRow.locator('a').first().textContent())!;
      expect(await said.textContent()).toContain(firstName);
      expect(await said.getAttribute('aria-live')).toBe('polite');

      // Right arrow: never to a marker further left, until there is none further right.
      const visited = [(await highlighted())!];
      for (let i = 0; i < 40 && !(await said.textContent())!.startsWith('No marker further right'); i++) {
        await page.keyboard.press('ArrowRight');
        await expect.poll(async () => (await highlighted()) !== visited.at(-1) || (await said.textContent())!.startsWith('No marker')).toBe(true);
        const id = (await highlighted())!;
        if (id !== visited.at(-1)) {
          expect(xOf.get(id)!).toBeGreaterThanOrEqual(xOf.get(visited.at(-1)!)! - 0.5);
          visited.push(id);
        }
      }
      expect(await said.textContent()).toBe('No marker further right.');
      expect(new Set(visited).size).toBeGreaterThan(2);
      // Left goes back; Enter opens the chosen record's page.
      await page.keyboard.press('ArrowLeft');
      await expect.poll(highlighted).not.toBe(visited.at(-1));
      const chosen = (await highlighted())!;
      expect(xOf.get(chosen)!).toBeLessThanOrEqual(xOf.get(visited.at(-1)!)! + 0.5);
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/records/${chosen}$`));
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('suggests sources by the start of their name when the name matches nothing whole', async () => {
    const tab = await browser.open('/?q=ngc');
    try {
      await tab.page.getByTestId('suggestions').waitFor();
      expect(await tab.page.getByTestId('suggestions').textContent()).toContain('NGC 1068');
      await tab.page.getByTestId('suggestions').getByRole('link', { name: 'NGC 4993' }).click();
      await tab.page.getByTestId('result-count').filter({ hasText: '3 records of “NGC 4993”' }).waitFor();
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('finds records in a cone given in sexagesimal with a radius in arcminutes, nearest first, with distances', async () => {
    const tab = await browser.open('/');
    try {
      const { page } = tab;
      // M31 at 00h42m44.33s +41d16m07.5s; its three spectra are 0-8.6" apart, the cube at the centre.
      await page.getByLabel('Name or position').fill('00:42:44.33 +41:16:07.5 0.5');
      await page.getByLabel('Name or position').press('Enter');
      await page
        .getByTestId('result-count')
        .filter({
          hasText: '4 records within 30.0″ of 00h42m44.33s +41°16′07.5″',
        })
        .waitFor();
      expect(await page.locator('.results-table thead').textContent()).toContain('Distance');
      const values = (await page.locator('.results-table tbody tr').evaluateAll((trs) => trs.map((tr: any) => tr.children[4].textContent as string))).map((t) =>
        parseFloat(t),
      );
      expect(values).toHaveLength(4);
      expect(values[0]).toBeLessThan(0.01);
      expect([...values].sort((x, y) => x - y)).toEqual(values);
      expect(await canvasIsDrawn(page, '[data-testid=sky-plot]')).toBe(true);
      // A cone is shown close up by default: the cube sits exactly at the cone's centre.
      expect(await page.getByLabel('View', { exact: true }).inputValue()).toBe('field');
      const box = (await page.getByTestId('sky-plot').boundingBox())!;
      const m31 = SOURCES.find((s) => s.name === 'M31')!;
      const [x, y] = fieldLayout(box.width, { ra: m31.ra, dec: m31.dec, radius: 0.5 / 60 }).toPx(m31)!;
      await page.mouse.move(box.x + x, box.y + y);
      await page.locator('.results-table tr.highlight').waitFor();
      await tab.screenshot('search-cone');
      expect(await unnamedElements(page)).toEqual([]);
      expect(await lowContrastText(page)).toEqual([]);

      // Filters go into the URL too: only the cube.
      await page.getByLabel('Cubes').check();
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByTestId('result-count').filter({ hasText: '1 record within' }).waitFor();
      expect(new URL(page.url()).searchParams.get('kind')).toBe('IFS_CUBE');
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('filters by wavelength and observation date as the API does', async () => {
    const filter = { wavelength: { min: 470e-9, max: 471.65e-9 }, time: { min: 58585, max: 58586 } };
    const expected = (await a.gql('query($f: RecordFilter) { records(filter: $f) { totalCount } }', { f: filter })).data.records.totalCount as number;
    const all = (await a.gql('{ records { totalCount } }')).data.records.totalCount as number;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(all);
    const tab = await browser.open('/');
    try {
      const { page } = tab;
      await page.getByLabel('Shortest wavelength, nm').fill('470');
      await page.getByLabel('Longest wavelength, nm').fill('471.65');
      await page.getByLabel('Observed from').fill('2019-04-12');
      await page.getByLabel('Observed until').fill('2019-04-12');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByTestId('result-count').filter({ hasText: new RegExp(`^${expected} records?$`) }).waitFor();
      expect(new URL(page.url()).search).toBe('?wmin=470&wmax=471.65&from=2019-04-12&to=2019-04-12');
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('pages through every record 25 at a time, forward and back, fetching only the page shown', async () => {
    const total = (await a.gql('{ records { totalCount } }')).data.records.totalCount as number;
    expect(total).toBeGreaterThan(25);
    expect(total).toBeLessThanOrEqual(50);
    const tab = await browser.open('/');
    try {
      const { page } = tab;
      await page
        .getByTestId('result-count')
        .filter({ hasText: `${total} records` })
        .waitFor();
      expect(await page.locator('.results-table tbody tr').count()).toBe(25);
      await tab.screenshot('search-all');
      await tab.docsScreenshot('search');
      await page.getByRole('button', { name: 'Next' }).click();
      await expect
        .poll(() => page.locator('.results-table tbody tr').count(), {
          timeout: 15_000,
        })
        .toBe(total - 25);
      await page.getByText('Page 2 of 2').waitFor();
      expect(new URL(page.url()).searchParams.get('after')).toBeTruthy();
      await page.getByRole('button', { name: 'Previous' }).click();
      await expect
        .poll(() => page.locator('.results-table tbody tr').count(), {
          timeout: 15_000,
        })
        .toBe(25);
      await page.getByText('Page 1 of 2').waitFor();
      const graphql = tab.requests.filter((u) => u.endsWith('/graphql'));
      // viewer is not asked anonymously: releases, then one search per page shown.
      expect(graphql.length).toBeLessThanOrEqual(4);
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('reports a position out of range instead of sending it, and works at phone width', async () => {
    const tab = await browser.open('/?q=400+10', { viewport: PHONE });
    try {
      const { page } = tab;
      await page.getByRole('alert').filter({ hasText: 'outside 0-360°' }).waitFor();
      await page.getByLabel('Name or position').fill('M87');
      await page.getByLabel('Name or position').press('Enter');
      await page.getByTestId('result-count').filter({ hasText: '4 records' }).waitFor();
      const overflow = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await tab.screenshot('search-phone');
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
