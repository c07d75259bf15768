/**
 * Worker threads run a bundle of their TypeScript entry, made once per process with esbuild,
 * not the sources through tsx. Measured on the bench machine:
 *  - a thread that registers tsx takes ~400 ms to answer its first message (tsx starts its
 *    own loader thread and compiles each module); a pool of bundled analysis threads answered
 *    its first file in ~70 ms (the analysis of that file included);
 *  - tsx compiles with `keepNames`, which wraps every closure in `__name(...)` (an
 *    Object.defineProperty call each time one is created), and every imported binding is a
 *    live ESM binding; in one bundle both are gone from the hot loops.
 * The bundle is built from the current sources every time a process first needs it (~100 ms,
 * synchronous, at start-up only), so it can never be stale. It is written to a file named by
 * its content hash, with an inline source map whose paths lead back to the .ts files: the
 * profiler (src/monitor/profiler.ts) maps thread frames through it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { buildSync } from 'esbuild';

const bundles = new Map<string, string>();

/** The thread entry for `entry` (a .ts module URL) as a file URL; built on first use in this process. */
export function threadBundle(entry: URL): URL {
  let file = bundles.get(entry.href);
  if (!file || !fs.existsSync(file)) {
    // (Built again if a temp-dir cleaner removed it while the process ran.)
    file = writeBundle(fileURLToPath(entry));
    bundles.set(entry.href, file);
  }
  return pathToFileURL(file);
}

/** Starts a worker thread running `entry` (a .ts module) from its bundle. */
export function startThread(entry: URL, options: WorkerOptions = {}): Worker {
  return new Worker(threadBundle(entry), options);
}

function writeBundle(entryPath: string): string {
  const dir = path.join(os.tmpdir(), `astroarchive-threads-${process.getuid?.() ?? 'u'}`);
  fs.mkdirSync(dir, { recursive: true });
  const result = buildSync({
    entryPoints: [entryPath],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    // Source paths in the map are relative to the output file's directory.
    outfile: path.join(dir, 'bundle.mjs'),
    sourcemap: 'inline',
    sourcesContent: false,
    keepNames: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  const name = `${path.basename(entryPath, '.ts')}-${crypto.createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
  writeOnce(path.join(dir, `${name}.bundle.mjs`), code);
  // Source maps must be on before the bundle loads for V8 to keep its map (the profiler's
  // findSourceMap), hence a bootstrap module as the thread's entry. A file, not `eval: true`:
  // eval threads skip the process's --import preloads (the fault-injection tests use one).
  const entry = path.join(dir, `${name}.mjs`);
  writeOnce(entry, `process.setSourceMapsEnabled(true);\nawait import('./${name}.bundle.mjs');\n`);
  return entry;
}

/**
 * Written under a temporary name and renamed: another process building the same bundle at
 * the same moment never sees half a file.
 */
function writeOnce(file: string, text: string): void {
  if (fs.existsSync(file)) return;
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
