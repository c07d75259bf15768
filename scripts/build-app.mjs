/**
 * The app as JavaScript, so that no command compiles TypeScript at start (tsx spent ~1-3 s of
 * CPU on every command, `--help` included):
 *  - dist/cli/: src/cli/main.ts and everything it imports as ES modules, one chunk per command
 *    (npm packages stay imports), with linked source maps so stack traces and profiles name
 *    the .ts lines;
 *  - dist/threads/: each worker thread's bundle (src/threads/prebuilt.mjs, src/threads/spawn.ts);
 *  - dist/manifest.json: each output's source files, which decide whether it is still fresh.
 * bin/astroarchive.js runs dist/cli/main.mjs when it is fresh and falls back to tsx otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { builtFile, CLI_OUTPUT, DIST, MANIFEST, ROOT, THREAD_ENTRIES, threadBootstrap, threadBuildOptions, threadOutput } from '../src/threads/prebuilt.mjs';

const THIS = path.relative(ROOT, fileURLToPath(import.meta.url));
/** Inputs of every output besides its sources: the build itself and the dependencies. */
const ALWAYS = [THIS, 'scripts/build.mjs', 'src/threads/prebuilt.mjs', 'package-lock.json'];

/** Every output is present and newer than its sources. */
export function appUpToDate() {
  return [CLI_OUTPUT, ...THREAD_ENTRIES.map(threadOutput)].every((o) => builtFile(o) !== null);
}

/**
 * `import.meta.url` in a bundle is the bundle's URL, but the sources compute paths from
 * their own (drizzle/ from src/db/migrate.ts, schema.graphql, public/, thread entries):
 * each module keeps the URL of its source file, relative to the bundle so the package can move.
 */
const sourceUrls = (outdir) => ({
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|mjs)$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (/import\.meta\.(dirname|filename)/.test(text)) throw new Error(`${args.path}: use import.meta.url (the bundle rewrites only that)`);
      if (!text.includes('import.meta.url')) return undefined;
      const rel = path.relative(outdir, args.path).split(path.sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
});

/**
 * Chunks of earlier builds (their names carry a content hash). Only those older than ten
 * minutes: a command started just before this build may still import its command's chunk.
 */
function prune(current, builtAt) {
  for (const dir of ['cli', 'threads']) {
    for (const name of fs.readdirSync(path.join(DIST, dir))) {
      const file = path.join(DIST, dir, name);
      if (!current.has(`${dir}/${name}`) && fs.statSync(file).mtimeMs < builtAt - 10 * 60_000) fs.rmSync(file, { force: true });
    }
  }
}

function inputsOf(metafile) {
  return Object.keys(metafile.inputs).filter((f) => !f.includes('node_modules/'));
}

export async function buildApp() {
  const builtAt = Date.now(); // before any source is read: an edit during the build makes it stale
  fs.mkdirSync(DIST, { recursive: true, mode: 0o755 });
  fs.rmSync(MANIFEST, { force: true }); // until the new one is written, nothing here is used
  const tmp = fs.mkdtempSync(path.join(DIST, '.build-'));
  try {
    // Built for their final place (source map paths are relative to it), written to tmp first.
    const common = { absWorkingDir: ROOT, metafile: true, write: false, logLevel: 'warning' };
    const stage = (r) => {
      for (const f of r.outputFiles) {
        const staged = path.join(tmp, path.relative(DIST, f.path));
        fs.mkdirSync(path.dirname(staged), { recursive: true });
        fs.writeFileSync(staged, f.contents);
      }
      return inputsOf(r.metafile);
    };
    // Split at the CLI's dynamic imports (one per command): a command loads only its modules
    // and their packages, so `--help` or `ingest` never pays for the server's.
    const cli = build({
      ...common,
      entryPoints: { main: 'src/cli/main.ts' },
      outdir: path.join(DIST, 'cli'),
      outExtension: { '.js': '.mjs' },
      splitting: true,
      chunkNames: '[name]-[hash]',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      sourcesContent: false,
      plugins: [sourceUrls(path.join(DIST, 'cli'))],
    }).then((r) => ({ output: CLI_OUTPUT, files: r.outputFiles.map((f) => path.relative(DIST, f.path)), inputs: stage(r) }));
    const threads = THREAD_ENTRIES.map(async (entry) => {
      const output = threadOutput(entry);
      const bundle = output.replace(/\.mjs$/, '.bundle.mjs');
      // The same options as a run-time build (src/threads/spawn.ts), so the two cannot drift.
      const r = await build({ ...threadBuildOptions(path.join(ROOT, entry), path.join(DIST, bundle)), ...common });
      // A thread's bundle runs from dist/threads or a temporary folder: paths computed from
      // import.meta would point there, not at the sources (run-time builds cannot rewrite them).
      if (r.outputFiles.some((f) => f.text.includes('import.meta'))) throw new Error(`${entry}: thread code must not use import.meta`);
      const inputs = stage(r);
      fs.writeFileSync(path.join(tmp, output), threadBootstrap(path.basename(bundle)));
      return { output, files: [output, bundle], inputs };
    });
    const outputs = await Promise.all([cli, ...threads]);
    const manifest = { builtAt, outputs: {} };
    for (const o of outputs) {
      manifest.outputs[o.output] = { files: o.files, inputs: [...new Set([...ALWAYS, ...o.inputs])].sort() };
      for (const f of o.files) {
        fs.mkdirSync(path.dirname(path.join(DIST, f)), { recursive: true, mode: 0o755 });
        fs.renameSync(path.join(tmp, f), path.join(DIST, f)); // whole files: a running command never reads half of one
      }
    }
    fs.writeFileSync(`${MANIFEST}.tmp`, JSON.stringify(manifest, null, 1) + '\n');
    fs.renameSync(`${MANIFEST}.tmp`, MANIFEST);
    prune(new Set(outputs.flatMap((o) => o.files)), builtAt);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
