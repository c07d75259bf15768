/**
 * Browser tests' harness: Debian's Chromium driven by playwright-core (no browser download),
 * one browser per test file (launched in beforeAll, reused by its tests), one context per
 * tab. Every tab records what must not happen on a page: console errors (CSP violations
 * included), uncaught exceptions, failed requests, HTTP errors, and any request to a host other
 * than the server (refused before it leaves). Screenshots go to test-artifacts/web/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
// @ts-expect-error: a plain .mjs module without types
import { ensureWebBundle } from '../../scripts/build-web.mjs';

export const ARTIFACTS = path.resolve('test-artifacts/web');
const DOCS = path.resolve('docs/screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface Tab {
  page: Page;
  context: BrowserContext;
  /** What went wrong so far (console errors, failed requests, foreign hosts, ...). */
  problems: string[];
  /** Problems that match none of `allowed` (expected ones, e.g. a 401 for a bad token). */
  unexpectedProblems(...allowed: RegExp[]): string[];
  /** Every request URL the page made, in order. */
  requests: string[];
  screenshot(name: string, fullPage?: boolean): Promise<string>;
  /** With ARCHIVE_DOCS_SCREENSHOTS=1: the viewport as docs/screenshots/<name>.png (the README's pictures). */
  docsScreenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Put a token in sessionStorage before the page's scripts run (as the sign-in dialog does). */
  token?: string;
  /** Hold requests whose body matches for `ms` before they go (a slow answer, to show a race). */
  delay?: { body: RegExp; ms: number };
}

export function browserSuite(base: () => string) {
  let browser: Browser | undefined;
  beforeAll(async () => {
    await ensureWebBundle();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  return {
    async open(pathname: string, opts: OpenOptions = {}): Promise<Tab> {
      if (!browser) throw new Error('the browser is not running (beforeAll failed?)');
      const origin = new URL(base()).origin;
      const context = await browser.newContext({
        viewport: opts.viewport ?? DESKTOP,
        acceptDownloads: true,
      });
      const problems: string[] = [];
      const requests: string[] = [];
      await context.route('**/*', async (route) => {
        const url = route.request().url();
        if (new URL(url).origin !== origin) {
          problems.push(`request to another host: ${url}`);
          await route.abort('blockedbyclient');
          return;
        }
        if (opts.delay && opts.delay.body.test(route.request().postData() ?? '')) await new Promise((r) => setTimeout(r, opts.delay!.ms));
        await route.continue();
      });
      if (opts.token) {
        await context.addInitScript((t: string) => (globalThis as any).sessionStorage.setItem('astroarchive.token', t), opts.token);
      }
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      page.on('requestfailed', (r) => {
        // A fetch the page aborted itself (a newer search replaced it) is not a failure.
        if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
        problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
      });
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
      });
      await page.goto(origin + pathname);
      return {
        page,
        context,
        problems,
        requests,
        unexpectedProblems: (...allowed) => problems.filter((p) => !allowed.some((re) => re.test(p))),
        async screenshot(name, fullPage = true) {
          fs.mkdirSync(ARTIFACTS, { recursive: true });
          const file = path.join(ARTIFACTS, `${name}.png`);
          await page.screenshot({ path: file, fullPage });
          return file;
        },
        async docsScreenshot(name) {
          if (process.env.ARCHIVE_DOCS_SCREENSHOTS !== '1') return;
          fs.mkdirSync(DOCS, { recursive: true });
          const file = path.join(DOCS, `${name}.png`);
          await page.screenshot({ path: file, fullPage: false });
          // Committed pictures stay small (<= 150 kB): 256 colours are plenty for a page of text and
          // plots. Pillow comes with Debian's python3-astropy (the reference tools), used here only.
          execFileSync('/usr/bin/python3', ['-c', 'import sys; from PIL import Image; Image.open(sys.argv[1]).convert("RGB").quantize(256).save(sys.argv[1], optimize=True)', file]);
        },
        close: () => context.close(),
      };
    },
  };
}

/** Whether a canvas has pixels of more than one colour (something was drawn on it). */
export async function canvasIsDrawn(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (c: any) => {
    const ctx = c.getContext('2d');
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    for (let i = 4; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2] || data[i + 3] !== data[3]) return true;
    }
    return false;
  });
}

/**
 * Form controls, buttons and images without an accessible name (a label, aria-label(ledby),
 * a wrapping label, a button's text, an image's alt), as short HTML snippets.
 */
export async function unnamedElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const bad: string[] = [];
    for (const el of doc.querySelectorAll('input, select, textarea, button, a[href], img, canvas[role=img], [role=img]')) {
      if (el.type === 'hidden') continue;
      const named =
        el.getAttribute('aria-label') ||
        (el.getAttribute('aria-labelledby') && doc.getElementById(el.getAttribute('aria-labelledby'))?.textContent.trim()) ||
        (el.id && doc.querySelector(`label[for="${el.id}"]`)?.textContent.trim()) ||
        el.closest('label')?.textContent.trim() ||
        ((el.tagName === 'BUTTON' || el.tagName === 'A') && el.textContent.trim()) ||
        (el.tagName === 'IMG' && el.getAttribute('alt'));
      if (!named) bad.push(el.outerHTML.slice(0, 100));
    }
    return bad;
  });
}

/**
 * Text whose contrast with its background is below WCAG AA (4.5:1, or 3:1 for large text),
 * as "text (ratio)". The background is the nearest ancestor's opaque background colour;
 * disabled controls are exempt (as WCAG allows).
 */
export async function lowContrastText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const win = globalThis as any;
    const doc = win.document;
    const rgb = (c: string): number[] | null => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c);
      return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : null;
    };
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const bad: string[] = [];
    const walker = doc.createTreeWalker(doc.body, 4 /* text */);
    const seen = new Set();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent.trim()) continue;
      seen.add(el);
      if (el.closest('[disabled], .visually-hidden, noscript, option, dialog:not([open])')) continue;
      const style = win.getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none' || el.getClientRects().length === 0) continue;
      const fg = rgb(style.color);
      let bg: number[] | null = null;
      for (let a = el; a && !bg; a = a.parentElement) {
        const c = rgb(win.getComputedStyle(a).backgroundColor);
        if (c && c[3] >= 0.99) bg = c;
      }
      if (!fg || !bg) continue;
      const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) bad.push(`${n.textContent.trim().slice(0, 40)} (${ratio.toFixed(2)})`);
    }
    return bad;
  });
}
