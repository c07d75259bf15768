/**
 * Database round trips per IVOA request, pinned: every statement the server's clients send
 * while one request runs is recorded (pg.Client's query, which every pool client and the
 * streaming FETCH go through), so a change that adds a round trip to a TAP cone or a Cone
 * Search fails here. Expected: a TAP sync cone = catalogue stamp, BEGIN with the session's
 * settings, the query itself (its LIMIT fits one batch: no cursor), COMMIT; /scs = BEGIN with
 * the settings, the query, COMMIT.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { tapArchive } from './tap-http-fixture.js';

const a = tapArchive();

let recording: string[] | undefined;
const original = pg.Client.prototype.query;
function record(): string[] {
  recording = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  proto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0] as string | { text?: string };
    const text = typeof q === 'string' ? q : (q?.text ?? '');
    // graphile-worker's own polling is not the request's
    if (recording && !/graphile_worker/.test(text)) recording.push(text);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  return recording;
}
afterEach(() => {
  recording = undefined;
  pg.Client.prototype.query = original;
});

const kinds = (texts: string[]) =>
  texts.map((t) => (/^BEGIN READ ONLY/.test(t) ? 'session' : /^(COMMIT|ROLLBACK|DECLARE|FETCH|CLOSE|SET LOCAL)/.exec(t)?.[1] ?? (/tap_catalogue|catalogue_tables|published/i.test(t) && !/ivoa\.obscore/.test(t) ? 'stamp' : 'query')));

describe('database round trips per IVOA request', () => {
  it('a TAP sync cone (TOP 50) is 4 statements: catalogue stamp, session opening (with the stream settings), the query without a cursor, COMMIT', async () => {
    const adql = "SELECT TOP 50 obs_publisher_did, s_ra, s_dec FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 0, 0, 180))";
    const url = `${a.tap}/sync?REQUEST=doQuery&LANG=ADQL&RESPONSEFORMAT=votable&QUERY=${encodeURIComponent(adql)}`;
    expect((await fetch(url)).status).toBe(200); // the catalogue is cached after this
    const texts = record();
    const res = await fetch(url);
    const body = await res.text();
    recording = undefined;
    expect(res.status).toBe(200);
    expect(body).toContain('<TABLEDATA>');
    expect(kinds(texts), texts.join('\n---\n')).toEqual(['stamp', 'session', 'query', 'COMMIT']);
    // The stream's output settings went with BEGIN, before the role.
    expect(texts[1]).toMatch(/SET LOCAL TimeZone = 'UTC'.*SET LOCAL ROLE/s);
  });

  it('a TAP query whose LIMIT exceeds one batch still streams through a cursor (DECLARE, FETCH, CLOSE)', async () => {
    const adql = 'SELECT s_ra FROM ivoa.obscore';
    const url = `${a.tap}/sync?REQUEST=doQuery&LANG=ADQL&MAXREC=100000&QUERY=${encodeURIComponent(adql)}`;
    const texts = record();
    const res = await fetch(url);
    await res.text();
    recording = undefined;
    expect(res.status).toBe(200);
    expect(kinds(texts), texts.join('\n---\n')).toEqual(['stamp', 'session', 'DECLARE', 'FETCH', 'CLOSE', 'COMMIT']);
  });

  it('/scs is 3 statements: session opening, the cone, COMMIT', async () => {
    const texts = record();
    const res = await fetch(`${a.served.base}/scs?RA=0&DEC=-85&SR=10&MAXREC=10`);
    const body = await res.text();
    recording = undefined;
    expect(res.status).toBe(200);
    expect(body).toContain('<TABLEDATA>');
    expect(kinds(texts), texts.join('\n---\n')).toEqual(['session', 'query', 'COMMIT']);
  });
});
