/**
 * `download <file-id> [--out DIR]` and `download --release R [--kind K] [--out DIR]`: fetch a
 * file (GET /files/:id/content) or a release as a tar (GET /releases/:id/archive), verify
 * every byte against the archive's SHA-256 (the file's ETag; the archive's SHA256SUMS member)
 * and say so. A file is written as `<name>.part` and renamed only once verified; a release's
 * members are extracted as they arrive (constant memory, any size), then checked against
 * SHA256SUMS, which the archive sends last. Exit 4 when anything does not match or the archive
 * had to leave files out (its ERRORS member, printed).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import tar from 'tar-stream';
import { loadConfig } from '../../config.js';
import { cliCredentials, defaultGraphQLUrl } from '../graphql-client.js';
import { CliError, EXIT, UsageError, type CliIo } from '../io.js';

const HELP = `Usage: astroarchive download <file-id> [--out DIR] [--url URL]
       astroarchive download --release <release-id> [--kind KIND] [--out DIR] [--url URL]

Download one file, or a whole release (or its files of one kind) as a tar extracted into
DIR/<survey>_<release>/, and verify every file's SHA-256 against the archive's.

  --out      directory to write into (default: the current directory; created if needed)
  --release  a release id: the N of its page /releases/N, releaseId in \`ingest --json\`, or
             Release.id in GraphQL (not its name)
  --kind     with --release: SPECTRUM, IFS_CUBE, IMAGE, CATALOGUE or BLOB (any case)
  --url      the archive's address or its GraphQL URL (default http://HOST:PORT from the environment)

Sends ARCHIVE_TOKEN, or the admin token in ARCHIVE_HOME/admin-token, when there is one (draft
releases need it). Exit status: 0 downloaded and verified, 2 bad usage, 3 the archive refused
or could not be reached, 4 a checksum did not match or the archive left files out.`;

const VERIFY_FAILED = 4;
const KINDS = ['SPECTRUM', 'IFS_CUBE', 'IMAGE', 'CATALOGUE', 'BLOB'];

export async function downloadCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      out: { type: 'string' },
      release: { type: 'string' },
      kind: { type: 'string' },
      url: { type: 'string' },
    },
  });
  if (values.help) {
    io.out(HELP + '\n');
    return EXIT.OK;
  }
  const id = (s: string, what: string, where: string) => {
    if (!/^[1-9][0-9]{0,15}$/.test(s)) throw new UsageError(`${what} must be a positive integer id (${where}), got ${JSON.stringify(s)}`);
    return s;
  };
  const kind = values.kind?.toUpperCase();
  if (values.release !== undefined ? positionals.length !== 0 : positionals.length !== 1) {
    throw new UsageError('give one file id, or --release <id>');
  }
  if (values.kind !== undefined && values.release === undefined) throw new UsageError('--kind needs --release');
  if (kind !== undefined && !KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  const config = loadConfig(io.env, io.cwd);
  // The same --url as the other commands (the GraphQL URL) or the bare address: both work.
  const base = (values.url ?? defaultGraphQLUrl(config)).replace(/\/+$/, '').replace(/\/graphql$/, '');
  const token = cliCredentials(config).token;
  const out = path.resolve(io.cwd, values.out ?? '.');
  fs.mkdirSync(out, { recursive: true });
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (values.release !== undefined) {
    const query = kind ? `?kind=${kind}` : '';
    const where = 'the N of its page /releases/N, releaseId in `ingest --json`, or Release.id in GraphQL';
    return downloadRelease(`${base}/releases/${id(values.release, '--release', where)}/archive${query}`, headers, out, io);
  }
  return downloadFile(`${base}/files/${id(positionals[0], 'the file id', 'File.id in GraphQL, or the download link of its record page')}/content`, headers, out, io);
}

async function get(url: string, headers: Record<string, string>, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch (err) {
    throw new CliError(`cannot reach the archive at ${new URL(url).origin}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message} (is \`astroarchive start\` running? --url sets the address)`);
  }
  if (res.ok && res.body) return res;
  let reason = `HTTP ${res.status}`;
  try {
    reason = ((await res.json()) as { error?: string }).error ?? reason;
  } catch {
    /* not JSON: the status says it */
  }
  const hint = res.status === 404 && !headers.authorization ? ' (a draft release needs a token: set ARCHIVE_TOKEN)' : '';
  throw new CliError(`the archive refused ${what}: ${reason}${hint}`);
}

async function downloadFile(url: string, headers: Record<string, string>, out: string, io: CliIo): Promise<number> {
  const res = await get(url, headers, 'the download');
  const name = fileNameOf(res.headers.get('content-disposition')) ?? `file-${url.split('/').at(-2)}`;
  const target = path.join(out, name);
  const part = `${target}.part`;
  const total = Number(res.headers.get('content-length') ?? NaN);
  const hash = crypto.createHash('sha256');
  const progress = byteProgress(io, name, total);
  try {
    await pipeline(
      Readable.fromWeb(res.body as never),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          progress.add(chunk.length);
          yield chunk;
        }
      },
      fs.createWriteStream(part),
    );
  } catch (err) {
    fs.rmSync(part, { force: true });
    throw new CliError(`the download of ${name} was cut off: ${(err as Error).message}`);
  } finally {
    progress.done();
  }
  const got = hash.digest('hex');
  const etag = /^(?:W\/)?"([0-9a-f]{64})"$/.exec(res.headers.get('etag') ?? '')?.[1];
  if (etag && etag !== got) {
    fs.rmSync(part, { force: true });
    io.err(`astroarchive download: ${name}: checksum mismatch: the archive says ${etag}, the bytes received hash to ${got}; nothing kept`);
    return VERIFY_FAILED;
  }
  fs.renameSync(part, target);
  io.out(`${target}  sha256 ${got}  ${etag ? 'OK' : 'not verified (the archive has no checksum for this file)'}\n`);
  return EXIT.OK;
}

/** The file name a Content-Disposition gives (filename* first), reduced to a safe basename. */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  let name: string | undefined;
  const star = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition)?.[1];
  if (star) {
    try {
      name = decodeURIComponent(star);
    } catch {
      name = undefined;
    }
  }
  name ??= /filename="([^"]*)"/i.exec(disposition)?.[1];
  if (!name) return undefined;
  const base = name.replace(/[\u0000-\u001f\u007f]/g, '_').split(/[\\/]/).at(-1)!;
  return base === '' || base === '.' || base === '..' ? undefined : base;
}

async function downloadRelease(url: string, headers: Record<string, string>, out: string, io: CliIo): Promise<number> {
  const res = await get(url, headers, 'the release download');
  const got = new Map<string, string>();
  let sums: string | undefined;
  let errors: string | undefined;
  let top: string | undefined;
  const progress = byteProgress(io, 'release', NaN);
  const extract = tar.extract();
  const extracting = (async (): Promise<void> => {
    for await (const entry of extract) {
      const name = entry.header.name;
      const rel = safeMember(name);
      if (!rel || entry.header.type !== 'file') throw new CliError(`the archive holds a member that is not a plain file inside the release (${JSON.stringify(name)}); stopped`);
      const [dir, ...rest] = rel.split('/');
      top ??= dir;
      const inner = rest.join('/');
      const target = path.join(out, rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (inner === 'SHA256SUMS' || inner === 'ERRORS') {
        const chunks: Buffer[] = [];
        for await (const c of entry) chunks.push(c as Buffer);
        const text = Buffer.concat(chunks).toString('utf8');
        fs.writeFileSync(target, text);
        if (inner === 'SHA256SUMS') sums = text;
        else errors = text;
        continue;
      }
      const hash = crypto.createHash('sha256');
      await pipeline(
        entry as unknown as AsyncIterable<Buffer>,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk);
            progress.add(chunk.length, 0);
            yield chunk;
          }
        },
        fs.createWriteStream(target),
      );
      progress.add(0, 1);
      got.set(inner, hash.digest('hex'));
    }
  })().catch((err) => {
    // Stop the download too: nothing more will be read from it.
    extract.destroy(err);
    throw err;
  });
  try {
    await Promise.all([pipeline(Readable.fromWeb(res.body as never), extract as never), extracting]);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`the release download was cut off: ${(err as Error).message}`);
  } finally {
    progress.done();
  }
  if (sums === undefined) {
    io.err('astroarchive download: the archive ended without its SHA256SUMS member: incomplete download');
    return VERIFY_FAILED;
  }
  const expected = parseSums(sums);
  const bad = [...expected].filter(([name, hex]) => got.get(name) !== hex).map(([name]) => name);
  for (const name of bad) io.err(`astroarchive download: ${name}: ${got.has(name) ? 'checksum mismatch' : 'missing from the archive'}`);
  if (errors) io.err(`astroarchive download: the archive left files out:\n${errors.trimEnd()}`);
  io.out(`${path.join(out, top ?? '')}: ${got.size} files, ${got.size - bad.filter((n) => got.has(n)).length} verified against SHA256SUMS${bad.length ? `, ${bad.length} failed` : ''}${errors ? ', some left out (see ERRORS)' : ''}\n`);
  return bad.length || errors ? VERIFY_FAILED : EXIT.OK;
}

/** A member name as a relative path with no `..`, empty or absolute part, or null. */
function safeMember(name: string): string | null {
  if (name.startsWith('/') || name.includes('\0') || name.includes('\\')) return null;
  const parts = name.split('/');
  if (parts.length < 2 || parts.some((p) => p === '' || p === '.' || p === '..')) return null;
  return name;
}

/** SHA256SUMS as GNU sha256sum writes it (a line starting with a backslash has an escaped name). */
function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(\\?)([0-9a-f]{64}) {2}(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1] ? m[3].replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c)) : m[3];
    sums.set(name, m[2]);
  }
  return sums;
}

/** A redrawn bar (bytes of total) or byte/file counter on a terminal; nothing otherwise (scripts read stdout). */
function byteProgress(io: CliIo, label: string, total: number) {
  let bytes = 0;
  let files = 0;
  let last = 0;
  let drew = false;
  const draw = () => {
    const mb = (bytes / 1e6).toFixed(1);
    if (Number.isFinite(total) && total > 0) {
      const frac = Math.min(1, bytes / total);
      const width = 30;
      const filled = Math.round(frac * width);
      io.err(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${mb}/${(total / 1e6).toFixed(1)} MB ${label}\x1b[K`);
    } else {
      io.err(`\r${files} files, ${mb} MB ${label}\x1b[K`);
    }
    drew = true;
  };
  return {
    add(n: number, f = 0) {
      bytes += n;
      files += f;
      if (!io.isTTY) return;
      const now = Date.now();
      if (now - last >= 100) {
        last = now;
        draw();
      }
    },
    done() {
      if (!io.isTTY) return;
      draw();
      if (drew) io.err('\n');
    },
  };
}
