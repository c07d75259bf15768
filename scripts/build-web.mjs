/**
 * The web pages' bundle: src/web/client/main.tsx (Preact, uPlot, the CSS it imports) bundled
 * by esbuild into public/build/web/ as one script and one stylesheet with hashed names, plus
 * manifest.json naming them (the server's page shell reads it). Nothing is loaded from
 * anywhere else at run time.
 *
 * Up to date when the stamp is newer than every input (this script, scripts/build.mjs,
 * package-lock.json, every file under src/web/): a test run or an install costs a few stat
 * calls, not a build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_OUT = path.join(ROOT, 'public/build/web');
const STAMP = path.join(WEB_OUT, '.built');

function walk(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function inputs() {
  return [
    fileURLToPath(import.meta.url),
    path.join(ROOT, 'scripts/build.mjs'),
    path.join(ROOT, 'package-lock.json'),
    ...walk(path.join(ROOT, 'src/web'), []),
  ];
}

export function webUpToDate() {
  if (!fs.existsSync(STAMP) || !fs.existsSync(path.join(WEB_OUT, 'manifest.json'))) return false;
  const built = fs.statSync(STAMP).mtimeMs;
  return inputs().every((f) => !fs.existsSync(f) || fs.statSync(f).mtimeMs < built);
}

export async function buildWeb() {
  const { build } = await import('esbuild');
  const tmp = `${WEB_OUT}.tmp-${process.pid}-${Date.now()}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const startedAt = new Date(); // an edit during the build leaves the result stale
  try {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: { main: 'src/web/client/main.tsx' },
      outdir: tmp,
      bundle: true,
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'warning',
      format: 'esm',
      target: ['es2022'],
      jsx: 'automatic',
      jsxImportSource: 'preact',
      entryNames: '[name]-[hash]',
      assetNames: '[name]-[hash]',
      metafile: true,
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const outputs = Object.keys(result.metafile.outputs).map((o) => path.basename(o));
    const js = outputs.find((o) => o.endsWith('.js'));
    const css = outputs.find((o) => o.endsWith('.css'));
    if (!js || !css) throw new Error(`web bundle: expected a .js and a .css output, got ${outputs.join(', ')}`);
    // Hashed files first, then the manifest by rename: a server running during the build
    // serves the old bundle or the new one, never half of one, and a page already open keeps
    // its assets (older ones are pruned after ten minutes).
    fs.mkdirSync(WEB_OUT, { recursive: true });
    for (const o of outputs) fs.renameSync(path.join(tmp, o), path.join(WEB_OUT, o));
    fs.writeFileSync(path.join(tmp, 'manifest.json'), `${JSON.stringify({ js, css })}\n`);
    fs.renameSync(path.join(tmp, 'manifest.json'), path.join(WEB_OUT, 'manifest.json'));
    fs.writeFileSync(STAMP, `${startedAt.toISOString()}\n`);
    fs.utimesSync(STAMP, startedAt, startedAt);
    for (const name of fs.readdirSync(WEB_OUT)) {
      const f = path.join(WEB_OUT, name);
      if (name.startsWith('.') || name === 'manifest.json' || outputs.includes(name)) continue;
      if (fs.statSync(f).mtimeMs < startedAt.getTime() - 10 * 60_000) fs.rmSync(f, { force: true });
    }
    return { js, css, bytes: outputs.reduce((n, o) => n + fs.statSync(path.join(WEB_OUT, o)).size, 0) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** For tests: build unless up to date. */
export async function ensureWebBundle() {
  if (!webUpToDate()) await buildWeb();
}
