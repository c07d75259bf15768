/**
 * The flame graph viewer of /profiles/:id: speedscope's own offline build
 * (node_modules/speedscope/dist/release: index.html, one script, one stylesheet, a font,
 * favicons) copied as it is into public/build/speedscope/, which the app serves at
 * /speedscope/ (src/http/profiles.ts). Copied, not re-bundled: it is speedscope's release as
 * published. speedscope is a development dependency: after `npm ci --omit=dev` there is nothing
 * to copy, and the profile page says so (the .cpuprofile download still works).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'node_modules/speedscope/dist/release');
const outdir = path.join(root, 'public/build/speedscope');
const stamp = path.join(outdir, '.built');

/** speedscope's release line (name@version, date, commit), or null when it is not installed. */
function release() {
  try {
    return fs.readFileSync(path.join(source, 'release.txt'), 'utf8');
  } catch {
    return null;
  }
}

/** True when the copy is of the installed release and newer than this script (or there is nothing to copy). */
export function speedscopeUpToDate() {
  const want = release();
  if (want === null) return !fs.existsSync(outdir);
  try {
    return fs.readFileSync(stamp, 'utf8') === want && fs.statSync(stamp).mtimeMs > fs.statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    return false;
  }
}

/** Copies the release (swapped in whole); returns its release line, or null when speedscope is not installed. */
export function copySpeedscope() {
  const want = release();
  if (want === null) {
    fs.rmSync(outdir, { recursive: true, force: true });
    return null;
  }
  const tmp = `${outdir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(source, tmp, { recursive: true });
  fs.copyFileSync(path.join(root, 'node_modules/speedscope/LICENSE'), path.join(tmp, 'LICENSE'));
  fs.writeFileSync(path.join(tmp, '.built'), want);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  fs.renameSync(tmp, outdir);
  return want.split('\n')[0];
}
