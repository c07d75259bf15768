/**
 * Failed authentications are limited per client address, over real HTTP: ten 401s within
 * a minute and the address gets 429 + Retry-After on every route that authenticates
 * (/graphql, /profiles), even with a good token, until the window ends; other addresses and
 * anonymous requests are unaffected. Clients are told apart by their real source address
 * (127.0.0.x loopback aliases). The limiter's window and memory bound on a test clock.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { AuthFailureLimiter } from '../../src/auth/failure-limiter.js';
import { createToken } from '../../src/auth/tokens.js';
import { servedArchive } from './served-archive.js';

const archive = servedArchive('rate admin');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** One request from the source address `from` (a loopback alias), no connection reuse. */
function send(from: string, path: string, opts: { token?: string; query?: string } = {}): Promise<Reply> {
  const url = new URL(archive.served.base + path);
  const body = opts.query === undefined ? undefined : JSON.stringify({ query: opts.query });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: body ? 'POST' : 'GET',
        localAddress: from,
        agent: false,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const VIEWER = '{ viewer { role } }';

describe('failed authentications per client address', () => {
  it('answers 429 with Retry-After after ten failures on /graphql, for that address only', async () => {
    const a = '127.0.0.2';
    for (let i = 0; i < 10; i++) {
      const r = await send(a, '/graphql', { token: `aa_wrong_${i}`, query: VIEWER });
      expect(r.status, `attempt ${i + 1}`).toBe(401);
    }
    const limited = await send(a, '/graphql', { token: 'aa_wrong_again', query: VIEWER });
    expect(limited.status).toBe(429);
    const retry = Number(limited.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(limited.body.errors[0].message).toMatch(/too many failed authentications from 127\.0\.0\.2: try again in \d+ s/);

    // Even a good token from that address waits: the check comes before any lookup.
    expect((await send(a, '/graphql', { token: archive.admin, query: VIEWER })).status).toBe(429);
    // The same address reading anonymously is not refused.
    const anon = await send(a, '/graphql', { query: VIEWER });
    expect(anon.status).toBe(200);
    expect(anon.body.data.viewer).toBeNull();
    // Another address is not affected.
    const other = await send('127.0.0.3', '/graphql', { token: archive.admin, query: VIEWER });
    expect(other.status).toBe(200);
    expect(other.body.data.viewer.role).toBe('admin');
    // Nor are other routes' requests without credentials.
    expect((await send(a, '/healthz')).status).toBe(200);
  });

  it('counts /profiles failures (?token= links) too, and refuses there', async () => {
    const a = '127.0.0.4';
    for (let i = 0; i < 10; i++) expect((await send(a, `/profiles/1.cpuprofile?token=aa_bad_${i}`)).status).toBe(401);
    const limited = await send(a, `/profiles/1.cpuprofile?token=${archive.admin}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body.error).toMatch(/too many failed authentications/);
    // Shared limit: the same address is refused on /graphql as well.
    expect((await send(a, '/graphql', { token: archive.admin, query: VIEWER })).status).toBe(429);
  });

  it('does not count requests that authenticate, or forbidden ones', async () => {
    const a = '127.0.0.5';
    const ingest = (await createToken(archive.database, 'rate ingest', 'ingest')).token;
    for (let i = 0; i < 12; i++) {
      const r = await send(a, '/graphql', { token: ingest, query: '{ processes { id } }' });
      expect(r.status).toBe(200);
      expect(r.body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    expect((await send(a, '/graphql', { token: archive.admin, query: VIEWER })).status).toBe(200);
  });
});

describe('AuthFailureLimiter', () => {
  it('blocks from the maxFailures-th failure until the window (from the first failure) ends', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
    expect(limiter.recordFailure('x')).toBe(false);
    now += 10_000;
    expect(limiter.recordFailure('x')).toBe(false);
    expect(limiter.retryAfterSeconds('x')).toBe(0);
    expect(limiter.recordFailure('x')).toBe(true);
    expect(limiter.retryAfterSeconds('x')).toBe(50);
    now += 49_500;
    expect(limiter.retryAfterSeconds('x')).toBe(1);
    now += 500;
    expect(limiter.retryAfterSeconds('x')).toBe(0);
    // A new window starts from scratch.
    expect(limiter.recordFailure('x')).toBe(false);
    expect(limiter.retryAfterSeconds('x')).toBe(0);
  });

  it('remembers at most maxClients addresses, forgetting the least recently failing', () => {
    const limiter = new AuthFailureLimiter({ maxFailures: 2, maxClients: 100, now: () => 0 });
    limiter.recordFailure('keep');
    for (let i = 0; i < 99; i++) limiter.recordFailure(`10.0.0.${i}`);
    expect(limiter.size).toBe(100);
    limiter.recordFailure('keep'); // blocked now, and the most recently failing
    limiter.recordFailure('10.0.1.0'); // one over: the oldest (10.0.0.0) goes, not 'keep'
    expect(limiter.size).toBe(100);
    expect(limiter.recordFailure('10.0.0.0')).toBe(false); // forgotten: its count starts again
    expect(limiter.retryAfterSeconds('keep')).toBe(60);
    for (let i = 0; i < 10_000; i++) limiter.recordFailure(`10.1.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(100);
  });
});
