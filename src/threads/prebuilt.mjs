/**
 * The JavaScript that `npm run build` (scripts/build.mjs, also run by `prepare` at install)
 * puts in dist/: the CLI as ES modules (dist/cli/, one chunk per command) and the worker threads' bundles
 * (dist/threads/). Plain JavaScript, because bin/astroarchive.js reads it before anything can
 * compile TypeScript.
 *
 * A built file is used only when it may be: dist/manifest.json lists every source each output
 * was made from, and the output is skipped (the caller compiles the sources itself) when one
 * of them is newer than the build or gone, so an edit is never hidden by an old build. It is
 * also skipped when it, its folder or dist/ could have been written by another user: a file
 * this process executes must come from this user or root.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project (package) root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
export const MANIFEST = path.join(DIST, 'manifest.json');

/** The CLI's entry in dist/ (bin/astroarchive.js runs it). */
export const CLI_OUTPUT = 'cli/main.mjs';

/**
 * Thread entries built at install, as paths from the project root. An entry missing here
 * still works: src/threads/spawn.ts bundles it at run time.
 */
export const THREAD_ENTRIES = ['src/ingest/analyze/worker.ts', 'src/ingest/scan-thread.ts', 'src/access/worker.ts', 'src/catalogue/load-thread.ts', 'src/http/download/reader-thread.ts'];

/** A thread entry's bootstrap module in dist/, e.g. threads/ingest-analyze-worker.mjs. */
export function threadOutput(entry) {
  return `threads/${entry.replace(/^src\//, '').replace(/\.ts$/, '').replaceAll('/', '-')}.mjs`;
}

/**
 * esbuild options for a thread bundle, at install and at run time alike. No keepNames and one
 * bundle instead of tsx: see src/threads/spawn.ts. The inline source map (paths relative to
 * `outfile`'s folder) lets the profiler map thread frames back to the .ts lines.
 */
export function threadBuildOptions(entryPath, outfile) {
  return {
    entryPoints: [entryPath],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    sourcemap: 'inline',
    sourcesContent: false,
    keepNames: false,
    logLevel: 'silent',
    // CommonJS packages bundled into an ES module (pngjs in the access threads) require
    // Node's built-ins; an ES module has no `require` of its own, so the bundle gets one.
    // Rooted at node's own executable, not import.meta (the bundle runs away from the
    // sources): everything but the built-ins is in the bundle already.
    banner: { js: "import { createRequire as __threadRequire } from 'node:module'; const require = __threadRequire(process.execPath);" },
  };
}

/**
 * A thread's first module: source maps must be on before the bundle loads for V8 to keep its
 * map (the profiler's findSourceMap). A file, not `eval: true`: eval threads skip the
 * process's --import preloads (the fault-injection tests use one).
 */
export function threadBootstrap(bundleFileName) {
  return `process.setSourceMapsEnabled(true);\nawait import('./${bundleFileName}');\n`;
}

/**
 * The absolute path of a built output (a key of the manifest: CLI_OUTPUT,
 * 'threads/scan-thread.mjs'), or null when it is missing, stale or not trusted.
 */
export function builtFile(output) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    return null;
  }
  const entry = manifest.outputs?.[output];
  if (!entry || typeof manifest.builtAt !== 'number') return null;
  const files = entry.files.map((f) => path.join(DIST, f));
  for (const p of [DIST, MANIFEST, ...new Set(files.map((f) => path.dirname(f))), ...files]) {
    if (!trusted(p)) return null;
  }
  for (const input of entry.inputs) {
    try {
      if (fs.statSync(path.join(ROOT, input)).mtimeMs > manifest.builtAt) return null;
    } catch {
      return null;
    }
  }
  return path.join(DIST, output);
}

/** Owned by this user or root, and not writable by every user. */
export function trusted(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return false;
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid && st.uid !== 0) return false;
  return (st.mode & 0o002) === 0;
}
