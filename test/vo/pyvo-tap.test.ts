/**
 * pyvo (Debian's python3-pyvo, run by /usr/bin/python3) against the real TAP service: a sync
 * query, an async job (submit, run, wait, fetch, delete), the table list through VOSI
 * (TAPService.tables), a MAXREC overflow, the message of a bad query, and a token sent through
 * a requests session (drafts visible, as the README tells users to do it).
 */
import { execFile } from 'node:child_process';
import { expect, it } from 'vitest';
import { tapArchive } from './tap-http-fixture.js';

const a = tapArchive();

const SCRIPT = String.raw`
import json, sys, warnings
import requests, pyvo
from pyvo.dal import DALQueryError

url, token = sys.argv[1], sys.argv[2]
out = {}
svc = pyvo.dal.TAPService(url)
rows = svc.run_sync("SELECT TOP 5 obs_id, s_ra, s_dec FROM ivoa.obscore ORDER BY obs_id").to_table()
out["sync_columns"] = rows.colnames
out["sync_rows"] = len(rows)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    cut = svc.run_sync("SELECT obs_id FROM ivoa.obscore", maxrec=3)
    out["overflow_rows"] = len(cut)
    out["overflow_status"] = cut.query_status
    out["overflow_warning"] = [str(w.message) for w in caught if "overflow" in str(w.message).lower()]

job = svc.submit_job("SELECT TOP 4 obs_id FROM ivoa.obscore ORDER BY obs_id")
out["async_created"] = job.phase
job.run()
job.wait(phases=["COMPLETED", "ERROR", "ABORTED"], timeout=120)
out["async_phase"] = job.phase
out["async_rows"] = len(job.fetch_result())
job_url = job.url
job.delete()
out["deleted_status"] = requests.get(job_url).status_code

tables = svc.tables
out["tables"] = sorted(t.name for t in tables)
out["obscore_columns"] = [c.name for c in tables["ivoa.obscore"].columns]

try:
    svc.run_sync("SELECT nothing FROM no_such_table")
    out["error"] = None
except DALQueryError as e:
    out["error"] = str(e)

session = requests.Session()
session.headers["Authorization"] = "Bearer " + token
private = pyvo.dal.TAPService(url, session=session)
count = "SELECT COUNT(*) AS n FROM ivoa.obscore"
out["anonymous_count"] = int(svc.run_sync(count).to_table()["n"][0])
out["token_count"] = int(private.run_sync(count).to_table()["n"][0])
out["token_async_count"] = int(private.run_async(count).to_table()["n"][0])
print(json.dumps(out))
`;

function pyvo(args: string[]): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const child = execFile('/usr/bin/python3', ['-W', 'ignore::DeprecationWarning', '-', ...args], { timeout: 300_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`pyvo script failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!));
    });
    child.stdin!.end(SCRIPT);
  });
}

it('pyvo runs sync and async queries, reads the tables, sees MAXREC overflow and the error message, and sends a token', async () => {
  const out = await pyvo([a.tap, a.admin]);
  expect(out.sync_columns).toEqual(['obs_id', 's_ra', 's_dec']);
  expect(out.sync_rows).toBe(5);
  expect(out.overflow_rows).toBe(3);
  expect(out.overflow_status).toBe('OVERFLOW');
  expect(out.async_created).toBe('PENDING');
  expect(out.async_phase).toBe('COMPLETED');
  expect(out.async_rows).toBe(4);
  expect(out.deleted_status).toBe(404);
  expect(out.tables).toContain('ivoa.obscore');
  expect(out.tables).toContain(a.published.catalogue);
  expect(out.tables).not.toContain(a.draft.catalogue);
  expect(out.obscore_columns).toContain('s_region');
  expect(out.error).toMatch(/no_such_table/);
  expect(out.anonymous_count).toBe(a.published.records);
  expect(out.token_count).toBe(a.published.records + a.draft.records);
  expect(out.token_async_count).toBe(a.published.records + a.draft.records);
}, 400_000);
