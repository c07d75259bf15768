/**
 * The search page (/) in Chromium against a real server and a real ingested release.
 */
import { describe, expect, it } from 'vitest';
import { WEB_CSP } from '../../src/web/server/csp.js';
import { browserSuite } from './browser.js';
import { webArchive } from './fixture.js';

const a = webArchive();
const browser = browserSuite(() => a.base);

describe('the search page', () => {
  it('serves the shell with the CSP and renders from the API with no console errors or failed requests', async () => {
    const res = await fetch(`${a.base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(WEB_CSP);
    const html = await res.text();
    expect(html).not.toMatch(/<script>|<style|style=/);
    const tab = await browser.open('/');
    try {
      await tab.page.getByTestId('surveys').waitFor();
      expect(await tab.page.getByTestId('surveys').textContent()).toContain('GAMA');
      await tab.screenshot('shell');
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
