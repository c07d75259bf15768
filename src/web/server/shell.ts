/**
 * The page shell: one HTML document for every page path, naming the bundle's hashed script and
 * stylesheet from the manifest the build writes (scripts/build-web.mjs). The manifest is
 * re-read when its mtime changes, so a rebuild is picked up without a restart.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const WEB_BUILD_DIR = fileURLToPath(new URL('../../../public/build/web/', import.meta.url));

interface Manifest {
  js: string;
  css: string;
}

let cached: { manifest: string; mtimeMs: number; html: string } | undefined;

/** The shell's HTML, or null when the bundle in `dir` has not been built. */
export function shellHtml(dir = WEB_BUILD_DIR): string | null {
  const manifest = `${dir.replace(/\/?$/, '/')}manifest.json`;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(manifest);
  } catch {
    return null;
  }
  if (cached?.manifest === manifest && cached.mtimeMs === stat.mtimeMs) return cached.html;
  const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Manifest;
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>astroarchive</title>',
    // No /favicon.ico request (it would be a 404 on every page).
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="/assets/${m.css}">`,
    `<script type="module" src="/assets/${m.js}"></script>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    '<noscript><p>These pages need JavaScript. The GraphQL API at <a href="/graphql">/graphql</a> works without it.</p></noscript>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
  cached = { manifest, mtimeMs: stat.mtimeMs, html };
  return html;
}
