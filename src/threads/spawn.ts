/**
 * Worker threads run a bundle of their TypeScript entry made by esbuild, not the sources
 * through tsx. Measured on the bench machine:
 *  - a thread that registers tsx takes ~400 ms to answer its first message (tsx starts its
 *    own loader thread and compiles each module); a pool of bundled analysis threads answered
 *    its first file in ~70 ms (the analysis of that file included);
 *  - tsx compiles with `keepNames`, which wraps every closure in `__name(...)` (an
 *    Object.defineProperty call each time one is created), and every imported binding is a
 *    live ESM binding; in one bundle both are gone from the hot loops.
 * The bundles are built at install (`npm run build` into dist/threads, src/threads/prebuilt.mjs).
 * When that build is missing, older than a source, or not trusted, the bundle is built from
 * the current sources the first time a process needs it (~100 ms, synchronous, at start-up
 * only) into a folder private to this process: a thread never runs a file another user could
 * have written (a shared, predictable temp folder could be prepared by anyone in advance).
 * Either way the bundle carries an inline source map whose paths lead back to the .ts files:
 * the profiler (src/monitor/profiler.ts) maps thread frames through it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { builtFile, ROOT, THREAD_ENTRIES, threadBootstrap, threadBuildOptions, threadOutput } from './prebuilt.mjs';

const bundles = new Map<string, string>();

/** The thread entry for `entry` (a .ts module URL) as a file URL: the installed build, or one made now. */
export function threadBundle(entry: URL): URL {
  let file = bundles.get(entry.href);
  if (!file || !fs.existsSync(file)) {
    // (Built again if a temp-dir cleaner removed it while the process ran.)
    const entryPath = fileURLToPath(entry);
    file = installedBundle(entryPath) ?? writeBundle(entryPath);
    bundles.set(entry.href, file);
  }
  return pathToFileURL(file);
}

/** Starts a worker thread running `entry` (a .ts module) from its bundle. */
export function startThread(entry: URL, options: WorkerOptions = {}): Worker {
  return new Worker(threadBundle(entry), options);
}

function installedBundle(entryPath: string): string | null {
  const rel = path.relative(ROOT, entryPath).split(path.sep).join('/');
  return THREAD_ENTRIES.includes(rel) ? builtFile(threadOutput(rel)) : null;
}

function writeBundle(entryPath: string): string {
  const dir = privateDir();
  // esbuild is loaded only here: a process running the installed bundles never needs it.
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  // Source paths in the map are relative to the output file's directory.
  const result = buildSync({ ...threadBuildOptions(entryPath, path.join(dir, 'bundle.mjs')), write: false });
  const code = result.outputFiles![0].text;
  const name = `${path.basename(entryPath, '.ts')}-${crypto.createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
  fs.writeFileSync(path.join(dir, `${name}.bundle.mjs`), code, { mode: 0o600 });
  const bootstrap = path.join(dir, `${name}.mjs`);
  fs.writeFileSync(bootstrap, threadBootstrap(`${name}.bundle.mjs`), { mode: 0o600 });
  return bootstrap;
}

let ownDir: string | undefined;

/**
 * A new folder only this process's user can enter (mkdtemp: random name, mode 0700), checked
 * before use, and removed when the process exits (it holds nothing worth keeping).
 */
function privateDir(): string {
  if (ownDir && fs.existsSync(ownDir)) return ownDir;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-threads-'));
  const st = fs.lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) {
    throw new Error(`${dir} is not a private folder (owner ${st.uid}, mode ${(st.mode & 0o777).toString(8)}): not building thread bundles there`);
  }
  if (!ownDir) process.once('exit', () => ownDir && fs.rmSync(ownDir, { recursive: true, force: true }));
  ownDir = dir;
  return dir;
}
