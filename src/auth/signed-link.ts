/**
 * Short-lived signed download links: `?expires=<unix seconds>&sig=<HMAC>` on a download URL
 * lets a browser (which cannot add an Authorization header to a plain link) fetch one draft
 * file until the link expires, without any token in the URL. The HMAC-SHA256 covers what the
 * link opens (`file:<id>`) and its expiry, under a server secret kept in
 * ARCHIVE_HOME/link-secret (mode 0600, created on first use): servers that share a home
 * share their links; deleting the file and restarting invalidates every link minted so far.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The longest a link may live: one day (a link is for a download about to start, not a bookmark). */
export const MAX_LINK_SECONDS = 86_400;

const secrets = new Map<string, Buffer>();

/** The home's signing secret, read (or created, exclusively) once per process. */
export function linkSecret(home: string): Buffer {
  let secret = secrets.get(home);
  if (secret) return secret;
  const file = path.join(home, 'link-secret');
  try {
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    // wx: two processes starting together cannot both write; the second reads the first's.
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${file} is not a link secret (64 hex digits): delete it to have a new one made`);
  secret = Buffer.from(text, 'hex');
  secrets.set(home, secret);
  return secret;
}

function mac(secret: Buffer, subject: string, expires: number): string {
  return crypto.createHmac('sha256', secret).update(`${subject}:${expires}`).digest('base64url');
}

/** The query string (`expires=..&sig=..`) that opens `subject` (e.g. `file:12`) until `expiresAt` (unix seconds). */
export function signLink(secret: Buffer, subject: string, expiresAt: number): string {
  return `expires=${expiresAt}&sig=${mac(secret, subject, expiresAt)}`;
}

export type LinkCheck = 'valid' | 'expired' | 'invalid';

/** Whether `sig`/`expires` (as received) open `subject` now. Constant-time comparison. */
export function checkLink(secret: Buffer, subject: string, expires: unknown, sig: unknown, nowSeconds = Date.now() / 1000): LinkCheck {
  if (typeof expires !== 'string' || typeof sig !== 'string' || !/^[0-9]{1,12}$/.test(expires)) return 'invalid';
  const at = Number(expires);
  const want = Buffer.from(mac(secret, subject, at));
  const got = Buffer.from(sig);
  if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) return 'invalid';
  // A valid signature beyond the maximum lifetime was not minted by this server's rules.
  if (at > nowSeconds + MAX_LINK_SECONDS + 60) return 'invalid';
  return at < nowSeconds ? 'expired' : 'valid';
}
