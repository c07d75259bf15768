/**
 * GET /releases/:id/archive through real HTTP: the tar is extracted (tar-stream, and GNU tar +
 * `sha256sum -c` as a user would) and checked against the files and SHA256SUMS; selections,
 * access rules, and a file changed on disk left out and listed in ERRORS.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkSecret, signLink } from '../../src/auth/signed-link.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { tempDir, waitForRun } from '../helpers/ingest.js';
import { downloadFixture, NAMES, sha256, type DownloadFixture } from './download-fixture.js';

let f: DownloadFixture;
beforeAll(async () => {
  f = await downloadFixture();
}, 180_000);
afterAll(async () => {
  await f?.close();
});

const archiveUrl = (id: number, query = '') => `${f.base}/releases/${id}/archive${query}`;

/** Members of a tar stream by name (the body read through tar-stream's extractor). */
async function members(res: Response): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const extract = tar.extract();
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      expect(entry.header.type).toBe('file');
      out.set(entry.header.name, Buffer.concat(chunks));
    }
  })();
  Readable.fromWeb(res.body as never).pipe(extract as never);
  await done;
  return out;
}

/** SHA256SUMS as written by GNU sha256sum (escaped names start the line with a backslash). */
function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n').filter(Boolean)) {
    const escaped = line.startsWith('\\');
    const m = /^\\?([0-9a-f]{64}) {2}(.*)$/.exec(line)!;
    const name = escaped ? m[2].replace(/\\(.)/g, (_s, c) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c)) : m[2];
    sums.set(name, m[1]);
  }
  return sums;
}

describe('GET /releases/:id/archive', () => {
  it('streams the whole release as a tar whose SHA256SUMS (from the database) matches every member and the files on disk', async () => {
    const res = await fetch(archiveUrl(f.pubReleaseId));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-tar');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="GAMA_DR1.tar"');
    const got = await members(res);
    const sums = parseSums(got.get('GAMA_DR1/SHA256SUMS')!.toString());
    expect(got.has('GAMA_DR1/ERRORS')).toBe(false);
    expect(new Set(sums.keys())).toEqual(new Set(f.pub.keys()));
    const { rows } = await f.database.pool.query<{ path: string; checksum: string }>(`SELECT path, checksum FROM files WHERE release_id = $1`, [f.pubReleaseId]);
    for (const { path: rel, checksum } of rows) {
      const member = got.get(`GAMA_DR1/${rel}`)!;
      expect(member, rel).toBeDefined();
      expect(member.equals(fs.readFileSync(path.join(f.root, 'pub', rel))), rel).toBe(true);
      expect(sums.get(rel), rel).toBe(checksum);
      expect(sha256(member), rel).toBe(checksum);
    }
    expect(got.size).toBe(f.pub.size + 1);
  });

  it('extracts with GNU tar and passes `sha256sum -c SHA256SUMS`', async () => {
    const dir = tempDir('aa-untar-');
    try {
      const res = await fetch(archiveUrl(f.pubReleaseId));
      fs.writeFileSync(path.join(dir, 'a.tar'), Buffer.from(await res.arrayBuffer()));
      execFileSync('tar', ['-xf', 'a.tar'], { cwd: dir });
      const out = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: path.join(dir, 'GAMA_DR1'), encoding: 'utf8' });
      expect(out.trim().split('\n')).toHaveLength(f.pub.size);
      expect(out).not.toMatch(/FAILED/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('selects by kind, productType, status and ids; refuses a bad selection with 400', async () => {
    const spectra = await members(await fetch(archiveUrl(f.pubReleaseId, '?kind=SPECTRUM&status=INGESTED')));
    const names = [...spectra.keys()].filter((n) => !n.endsWith('SHA256SUMS'));
    expect(names.length).toBe(4);
    expect(names.every((n) => n.startsWith('GAMA_DR1/spectra/'))).toBe(true);

    const { rows } = await f.database.pool.query(`SELECT DISTINCT product_type FROM records WHERE release_id = $1 ORDER BY 1 LIMIT 1`, [f.pubReleaseId]);
    const byProduct = await members(await fetch(archiveUrl(f.pubReleaseId, `?productType=${encodeURIComponent(rows[0].product_type)}`)));
    const { rows: n } = await f.database.pool.query(`SELECT count(*)::int AS n FROM records WHERE release_id = $1 AND product_type = $2`, [f.pubReleaseId, rows[0].product_type]);
    expect(byProduct.size).toBe(n[0].n + 1);

    const ids = [f.pub.get(NAMES.big)!, f.pub.get(NAMES.quoted)!, f.draft.get(NAMES.big)!];
    const some = await members(await fetch(archiveUrl(f.pubReleaseId, `?ids=${ids.join(',')}`)));
    expect([...some.keys()].sort()).toEqual(['GAMA_DR1/SHA256SUMS', `GAMA_DR1/${NAMES.big}`, `GAMA_DR1/${NAMES.quoted}`]);

    for (const q of ['?kind=POTATO', '?status=x', '?ids=1,x', '?kind=SPECTRUM&kind=IMAGE']) {
      const res = await fetch(archiveUrl(f.pubReleaseId, q));
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBeTruthy();
    }
  });

  it('hides drafts from anonymous callers (404, like an unknown id) and serves them with a token; HEAD sends headers only', async () => {
    expect((await fetch(archiveUrl(f.draftReleaseId))).status).toBe(404);
    expect((await fetch(archiveUrl(987654))).status).toBe(404);
    expect((await fetch(`${f.base}/releases/x/archive`)).status).toBe(404);
    const res = await fetch(archiveUrl(f.draftReleaseId, '?kind=CATALOGUE'), { headers: { authorization: `Bearer ${f.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const got = await members(res);
    expect([...got.keys()].some((k) => k.startsWith('GAMA_DR2/catalogues/'))).toBe(true);
    const head = await fetch(archiveUrl(f.pubReleaseId), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('Release.archiveUrl and signedArchiveUrl: a draft archive opens with the signed link only, until it expires; altered links and other releases are 403', async () => {
    const auth = { authorization: `Bearer ${f.token}` };
    const gql = async (query: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${f.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
      return (await res.json()) as { data: any; errors?: unknown[] };
    };
    const q = (id: number, seconds = 60) => `{ release(id: "${id}") { archiveUrl signedArchiveUrl(expiresInSeconds: ${seconds}) } }`;
    expect((await gql(q(f.draftReleaseId))).data.release).toBeNull(); // anonymous callers cannot see it, so cannot mint one
    const { data } = await gql(q(f.draftReleaseId), auth);
    expect(data.release.archiveUrl).toBe(archiveUrl(f.draftReleaseId));
    const signed: string = data.release.signedArchiveUrl;
    expect(signed).toMatch(new RegExp(`^${archiveUrl(f.draftReleaseId).replace(/[.?]/g, '\\$&')}\\?expires=\\d+&sig=[\\w-]+$`));
    expect(signed).not.toContain(f.token);
    expect((await fetch(archiveUrl(f.draftReleaseId))).status).toBe(404);

    // The signed link alone opens the draft archive: the same members as with a token, and a selection may be added.
    const [viaLink, viaToken] = await Promise.all([fetch(signed), fetch(archiveUrl(f.draftReleaseId), { headers: auth })]);
    expect(viaLink.status).toBe(200);
    expect(viaLink.headers.get('cache-control')).toBe('private, no-store');
    const [linked, tokened] = await Promise.all([members(viaLink), members(viaToken)]);
    expect([...linked.keys()].sort()).toEqual([...tokened.keys()].sort());
    expect(linked.get(`GAMA_DR2/${NAMES.quoted}`)!.toString()).toBe('quoted\n');
    const [selected, selectedWithToken] = await Promise.all([fetch(`${signed}&kind=CATALOGUE`), fetch(archiveUrl(f.draftReleaseId, '?kind=CATALOGUE'), { headers: auth })]);
    expect(selected.status).toBe(200);
    const selectedNames = [...(await members(selected)).keys()].sort();
    expect(selectedNames).toEqual([...(await members(selectedWithToken)).keys()].sort());
    expect(selectedNames.length).toBeLessThan(linked.size);

    const json = async (res: Response) => ((await res.json()) as { error: string }).error;
    const tampered = signed.replace(/sig=(.)/, (_m, c) => `sig=${c === 'A' ? 'B' : 'A'}`);
    const later = signed.replace(/expires=(\d+)/, (_m, t) => `expires=${Number(t) + 3600}`);
    // The link for release A opens neither release B nor the file with A's id.
    const otherRelease = signed.replace(`/releases/${f.draftReleaseId}/`, `/releases/${f.pubReleaseId}/`);
    const fileWithSameId = signed.replace(`/releases/${f.draftReleaseId}/archive`, `/files/${f.draftReleaseId}/content`);
    for (const link of [tampered, later, otherRelease, fileWithSameId]) {
      const res = await fetch(link);
      expect(res.status, link).toBe(403);
      expect(await json(res)).toMatch(/not valid/);
    }
    // A file's link does not open the release archive of the same number either.
    const fileLink = signLink(linkSecret(f.home), `file:${f.draftReleaseId}`, Math.floor(Date.now() / 1000) + 60);
    expect((await fetch(archiveUrl(f.draftReleaseId, `?${fileLink}`))).status).toBe(403);
    const past = Math.floor(Date.now() / 1000) - 5;
    const expired = await fetch(archiveUrl(f.draftReleaseId, `?${signLink(linkSecret(f.home), `release:${f.draftReleaseId}`, past)}`));
    expect(expired.status).toBe(403);
    expect(await json(expired)).toMatch(/expired.*Release\.signedArchiveUrl/);

    const tooLong = await gql(q(f.draftReleaseId, 100000), auth);
    expect(JSON.stringify(tooLong.errors)).toMatch(/expiresInSeconds must be an integer from 1 to 86400/);
    const published = await gql(`{ releases { id archiveUrl } }`);
    expect(published.data.releases).toEqual([{ id: String(f.pubReleaseId), archiveUrl: archiveUrl(f.pubReleaseId) }]);
  });

  it('leaves out a file changed on disk and a deleted one, lists them in ERRORS and flags them; the tar stays valid', async () => {
    const changed = path.join(f.root, 'pub', NAMES.quoted);
    const deleted = path.join(f.root, 'pub', NAMES.unicode);
    const savedChanged = fs.readFileSync(changed);
    const savedDeleted = fs.readFileSync(deleted);
    fs.appendFileSync(changed, 'x');
    fs.unlinkSync(deleted);
    try {
      const got = await members(await fetch(archiveUrl(f.pubReleaseId)));
      expect(got.has(`GAMA_DR1/${NAMES.quoted}`)).toBe(false);
      expect(got.has(`GAMA_DR1/${NAMES.unicode}`)).toBe(false);
      expect(got.has(`GAMA_DR1/${NAMES.big}`)).toBe(true);
      const errors = got.get('GAMA_DR1/ERRORS')!.toString().trim().split('\n').sort();
      expect(errors).toEqual([
        expect.stringMatching(/^names\/it's "quoted"\.txt\tchanged: .*changed on disk/),
        `${NAMES.unicode}\tgone: ${NAMES.unicode} is no longer on disk`,
      ]);
      const sums = parseSums(got.get('GAMA_DR1/SHA256SUMS')!.toString());
      expect(sums.size).toBe(f.pub.size - 2);
      const { rows } = await f.database.pool.query(`SELECT path, missing, changed_on_disk FROM files WHERE id = ANY($1) ORDER BY path`, [[f.pub.get(NAMES.quoted), f.pub.get(NAMES.unicode)]]);
      expect(rows).toEqual([
        { path: NAMES.quoted, missing: false, changed_on_disk: true },
        { path: NAMES.unicode, missing: true, changed_on_disk: false },
      ]);
    } finally {
      fs.writeFileSync(changed, savedChanged);
      fs.writeFileSync(deleted, savedDeleted);
    }
  });

  it('leaves out files reached through a directory swapped for a symbolic link, and a file swapped for one (same bytes and mtimes elsewhere)', async () => {
    const release = path.join(f.root, 'draft');
    const names = path.join(release, 'names');
    const moved = path.join(f.root, 'moved-names');
    const empty = path.join(release, NAMES.empty);
    const emptyReal = path.join(release, 'empty.real');
    // deep/ holds a file (longPax) and, one level down, longSplit's directory: a link on the
    // way to a directory, not only at its end.
    const deep = path.join(release, 'deep');
    const movedDeep = path.join(f.root, 'moved-deep');
    // rename keeps the files' bytes and mtimes: only where they are differs from the ingest.
    fs.renameSync(names, moved);
    fs.symlinkSync(moved, names);
    fs.renameSync(deep, movedDeep);
    fs.symlinkSync(movedDeep, deep);
    fs.renameSync(empty, emptyReal);
    fs.symlinkSync('empty.real', empty);
    try {
      const got = await members(await fetch(archiveUrl(f.draftReleaseId), { headers: { authorization: `Bearer ${f.token}` } }));
      const outside = [NAMES.quoted, NAMES.unicode, NAMES.newline, NAMES.longSplit, NAMES.longPax];
      for (const rel of [...outside, NAMES.empty]) expect(got.has(`GAMA_DR2/${rel}`), rel).toBe(false);
      expect(got.get(`GAMA_DR2/${NAMES.big}`)!.equals(fs.readFileSync(path.join(release, NAMES.big)))).toBe(true);
      const errors = got.get('GAMA_DR2/ERRORS')!.toString();
      for (const rel of outside) expect(errors).toContain(`${rel}\tchanged: the path ${rel} now leads outside the release`);
      expect(errors).toContain(`${NAMES.empty}\tchanged: ${NAMES.empty} is now a symbolic link or special file`);
      expect(parseSums(got.get('GAMA_DR2/SHA256SUMS')!.toString()).size).toBe(f.draft.size - 6);
    } finally {
      fs.unlinkSync(names);
      fs.renameSync(moved, names);
      fs.unlinkSync(deep);
      fs.renameSync(movedDeep, deep);
      fs.unlinkSync(empty);
      fs.renameSync(emptyReal, empty);
    }
  });

  it('releases every descriptor when clients leave mid-archive', async () => {
    const openFds = () => fs.readdirSync('/proc/self/fd').length;
    // node:http without an agent: the client's socket is gone when it leaves (fetch's pool would
    // keep it for seconds, and this process's descriptors are the client's too).
    const { port } = new URL(f.base);
    const leave = () =>
      new Promise<void>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: `/releases/${f.pubReleaseId}/archive`, agent: false }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(err)));
      });
    await leave();
    const before = openFds();
    for (let i = 0; i < 200; i += 10) await Promise.all(Array.from({ length: 10 }, leave));
    const deadline = Date.now() + 20_000;
    let after = openFds();
    while (after > before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      after = openFds();
    }
    expect(after).toBeLessThanOrEqual(before);
  }, 60_000);

  it('a client that stops reading stops the reads: the server sends (and reads) no more than the socket holds plus two chunks, then finishes when the client reads again', async () => {
    // 500 files of 200 kB (read whole by the reader thread, about 20 to a chunk): 100 MB, far
    // more than the loopback socket's buffers, which autotune up to tcp_rmem's and tcp_wmem's
    // maxima (32 + 4 MB here: 180 files; with 300 files, 160 were once sent while paused).
    const dir = path.join(f.root, 'slow');
    fs.mkdirSync(dir);
    const FILES = 500;
    const SIZE = 200_000;
    for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(dir, `b${String(i).padStart(3, '0')}.bin`), Buffer.alloc(SIZE, i % 251));
    const run = await submitIngest(f.database, f.root, { survey: 'GAMA', release: 'SLOW', path: 'slow' });
    expect((await waitForRun(f.database, run.id, 120_000)).status).toBe('SUCCEEDED');
    await f.database.pool.query(`UPDATE releases SET status = 'published', published_at = now() WHERE id = $1`, [run.releaseId]);
    const sent = async () => Number(/astroarchive_download_files_total\{route="archive"\} (\d+)/.exec(await (await fetch(`${f.base}/metrics`)).text())?.[1] ?? 0);
    const before = await sent();

    const { port } = new URL(f.base);
    let received = 0;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: `/releases/${run.releaseId}/archive`, agent: false }, resolve);
      req.on('error', reject);
    });
    expect(res.statusCode).toBe(200);
    const early: Buffer[] = [];
    res.on('data', (c: Buffer) => {
      received += c.length;
      early.push(c);
    });
    // Read the first bytes, then stop reading: the server must stall once the socket is full.
    while (received === 0) await new Promise((r) => setTimeout(r, 20));
    res.pause();
    let last = -1;
    let stable = 0;
    const deadline = Date.now() + 30_000;
    while (stable < 5 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const now = await sent();
      stable = now === last ? stable + 1 : 0;
      last = now;
    }
    expect(stable).toBe(5);
    // Sent while paused: what the socket buffers can hold plus the chunks in hand (three of ~20
    // files): far from all 500.
    const socketMax = (file: string) => Number(fs.readFileSync(file, 'utf8').trim().split(/\s+/).pop());
    const buffered = Math.ceil((socketMax('/proc/sys/net/ipv4/tcp_rmem') + socketMax('/proc/sys/net/ipv4/tcp_wmem')) / SIZE) + 60;
    expect(buffered).toBeLessThan(FILES);
    expect(last - before).toBeLessThan(buffered);

    const got = new Map<string, number>();
    const extract = tar.extract();
    const done = (async () => {
      for await (const entry of extract) {
        let n = 0;
        for await (const c of entry) n += (c as Buffer).length;
        got.set(entry.header.name, n);
      }
    })();
    res.removeAllListeners('data');
    for (const c of early) extract.write(c);
    res.pipe(extract as never);
    await done;
    expect(got.size).toBe(FILES + 1);
    expect(got.get(`GAMA_SLOW/b${FILES - 1}.bin`)).toBe(SIZE);
    expect(await sent()).toBe(before + FILES);
  }, 120_000);

  it('counts archive downloads in /metrics', async () => {
    const text = await (await fetch(`${f.base}/metrics`)).text();
    expect(text).toMatch(/astroarchive_download_requests_total\{route="archive",status="200"\} [1-9]/);
    expect(text).toMatch(/astroarchive_download_files_total\{route="archive"\} [1-9]/);
    expect(text).toMatch(/astroarchive_download_bytes_total\{route="archive"\} [1-9]/);
  });
});
