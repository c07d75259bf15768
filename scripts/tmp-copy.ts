import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbedded } from '../src/db/embedded.js';
import { copyFrom } from '../src/catalogue/copy-in.js';
const N = Number(process.argv[2] ?? 10_000_000);
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'copybench-'));
const file = path.join(home, 'rows.pgcopy');
// Binary COPY: header, then per row: int16 field count, each field int32 length + bytes.
{
  const fd = fs.openSync(file, 'w');
  const hdr = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
  fs.writeSync(fd, hdr);
  const rowBytes = 2 + 12 * 12;
  const per = 10000;
  const buf = Buffer.alloc(rowBytes * per);
  for (let start = 0; start < N; start += per) {
    let o = 0;
    for (let i = start; i < start + per; i++) {
      buf.writeInt16BE(12, o); o += 2;
      buf.writeInt32BE(8, o); buf.writeBigInt64BE(BigInt(i + 1), o + 4); o += 12;
      buf.writeInt32BE(8, o); buf.writeBigInt64BE(BigInt(Math.floor(Math.random() * 3.4e15)), o + 4); o += 12;
      for (let c = 0; c < 10; c++) { buf.writeInt32BE(8, o); buf.writeDoubleBE(Math.random() * 360, o + 4); o += 12; }
    }
    fs.writeSync(fd, buf, 0, o);
  }
  fs.writeSync(fd, Buffer.from([0xff, 0xff]));
  fs.closeSync(fd);
}
fs.chmodSync(home, 0o755); fs.chmodSync(file, 0o644);
const db = await startEmbedded(home);
const u = new URL(db.url);
const cfg = { port: Number(u.port), user: 'postgres', password: decodeURIComponent(u.password), database: 'astroarchive' };
const cols = ['_row bigint', '_hpx bigint', ...Array.from({ length: 10 }, (_, i) => `c${i} float8`)].join(', ');
function backendCpu(pid: number) { const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return { u: Number(f[11]) / 100, s: Number(f[12]) / 100 }; }
async function trial(name: string, host: string, mode: 'file' | 'stdin' | 'stdin-freeze') {
  const c = new pg.Client({ ...cfg, host });
  await c.connect();
  const pid = (await c.query('SELECT pg_backend_pid() AS p')).rows[0].p;
  await c.query('DROP TABLE IF EXISTS t');
  await c.query('CHECKPOINT');
  const a = backendCpu(pid); const t0 = performance.now();
  if (mode === 'file') { await c.query(`CREATE TABLE t (${cols})`); await c.query(`COPY t FROM '${file}' (FORMAT binary)`); }
  else {
    await c.query('BEGIN'); await c.query(`CREATE TABLE t (${cols})`);
    async function* chunks() { const fd = fs.openSync(file, 'r'); const b = Buffer.alloc(1 << 20); let n; while ((n = fs.readSync(fd, b, 0, b.length, null)) > 0) yield Buffer.from(b.subarray(0, n)); fs.closeSync(fd); }
    await copyFrom(c, `COPY t FROM STDIN (FORMAT binary${mode === 'stdin-freeze' ? ', FREEZE' : ''})`, chunks());
    await c.query('COMMIT');
  }
  const wall = (performance.now() - t0) / 1000; const b = backendCpu(pid);
  console.log(name.padEnd(22), 'wall', wall.toFixed(2), 's; backend user', (b.u - a.u).toFixed(2), 'sys', (b.s - a.s).toFixed(2));
  await c.end();
}
for (let r = 0; r < 2; r++) {
  await trial('server file', '127.0.0.1', 'file');
  await trial('stdin tcp', '127.0.0.1', 'stdin');
  await trial('stdin tcp freeze', '127.0.0.1', 'stdin-freeze');
  await trial('stdin unix', '/tmp', 'stdin');
  await trial('stdin unix freeze', '/tmp', 'stdin-freeze');
}
await db.stop();
fs.rmSync(home, { recursive: true, force: true });
