#!/usr/bin/env node
/**
 * Builds the offline GraphiQL explorer: public/graphiql/main.jsx + graphiql 5 (React, Monaco)
 * bundled by esbuild into public/build/graphiql/ (gitignored), plus Monaco's three web workers
 * (editor, JSON, GraphQL) as classic-script bundles next to it. The app serves that folder at
 * /graphiql/assets, so the page needs nothing beyond the app itself.
 *
 * Run by `npm run build` and by `prepare` on `npm install`. Skips the bundle when it is newer
 * than every input (this script, the page sources, package-lock.json), so repeated installs
 * and test runs cost nothing. Under `prepare`, a failure is a warning (an install without dev
 * dependencies must still work; /graphiql then says how to build it); `npm run build` fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
