#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, at install): the app as JavaScript (scripts/build-app.mjs:
 * dist/cli.mjs and the worker threads' bundles), the web pages' bundle (scripts/build-web.mjs:
 * public/build/web/), then the offline GraphiQL explorer.
 *
 * The GraphiQL explorer: public/graphiql/main.jsx + graphiql 5 (React, Monaco)
 * bundled by esbuild into public/build/graphiql/ (gitignored), plus Monaco's three web workers
 * (editor, JSON, GraphQL) as classic-script bundles next to it. The app serves that folder at
 * /graphiql/assets, so the page needs nothing beyond the app itself.
 *
 * Each part is skipped when it is newer than every input (for GraphiQL: this script, the page
 * sources, package-lock.json), so repeated installs and test runs cost nothing. Under
 * `prepare`, a failure is a warning (an install without dev dependencies must still work:
 * /graphiql then says how to build it, and without dist/ the CLI runs the sources through
 * tsx); `npm run build` fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appUpToDate, buildApp } from './build-app.mjs';
import { buildWeb, webUpToDate } from './build-web.mjs';
import { copySpeedscope, speedscopeUpToDate } from './build-speedscope.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'public/build/graphiql');
const stamp = path.join(outdir, '.built');
const force = process.argv.includes('--force');
const lenient = process.env.npm_lifecycle_event === 'prepare';

const inputs = [
  fileURLToPath(import.meta.url),
  path.join(root, 'package-lock.json'),
  ...fs.readdirSync(path.join(root, 'public/graphiql')).map((f) => path.join(root, 'public/graphiql', f)),
];

function upToDate() {
  if (force || !fs.existsSync(stamp)) return false;
  const built = fs.statSync(stamp).mtimeMs;
  return inputs.every((f) => !fs.existsSync(f) || fs.statSync(f).mtimeMs < built);
}

async function build() {
  const { build: esbuild } = await import('esbuild');
  const common = {
    bundle: true,
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
    define: { 'process.env.NODE_ENV': '"production"' },
    target: ['es2022'],
  };
  const tmp = `${outdir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await Promise.all([
    esbuild({
      ...common,
      entryPoints: { graphiql: 'public/graphiql/main.jsx' },
      outdir: tmp,
      format: 'esm',
      jsx: 'automatic',
      loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file' },
      assetNames: '[name]-[hash]',
    }),
    esbuild({
      ...common,
      entryPoints: {
        'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
        'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
        'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
      },
      outdir: tmp,
      format: 'iife',
    }),
  ]);
  fs.writeFileSync(path.join(tmp, '.built'), `${new Date().toISOString()}\n`);
  // Swap in whole: a server running during the build never serves half a bundle.
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  fs.renameSync(tmp, outdir);
}

if (!force && appUpToDate()) {
  console.log('app is up to date (dist/)');
} else {
  const t0 = Date.now();
  try {
    await buildApp();
    console.log(`app (CLI and thread bundles) built into dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    if (!lenient) throw err;
    console.warn(`warning: could not build dist/ (${err.message}); commands will compile the TypeScript sources at start (slower) until \`npm run build\` succeeds`);
  }
}

if (!force && webUpToDate()) {
  console.log('web pages bundle is up to date (public/build/web)');
} else {
  const t0 = Date.now();
  try {
    const { js, css, bytes } = await buildWeb();
    console.log(`web pages bundled into public/build/web (${js}, ${css}: ${(bytes / 1024).toFixed(0)} kB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    if (!lenient) throw err;
    console.warn(`warning: could not bundle the web pages (${err.message}); they answer 503 until \`npm run build\` succeeds`);
  }
}

if (!force && speedscopeUpToDate()) {
  console.log('flame graph viewer is up to date (public/build/speedscope)');
} else {
  const copied = copySpeedscope();
  console.log(copied ? `flame graph viewer (${copied}) copied into public/build/speedscope` : 'speedscope is not installed (a development dependency): /profiles/:id will show the top functions and the download only');
}

if (upToDate()) {
  console.log('graphiql bundle is up to date (public/build/graphiql)');
} else {
  const t0 = Date.now();
  try {
    await build();
    console.log(`graphiql bundled into public/build/graphiql in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    if (!lenient) throw err;
    console.warn(`warning: could not bundle GraphiQL (${err.message}); /graphiql will not work until \`npm run build\` succeeds`);
  }
}
