/**
 * The download URLs GraphQL hands out (File.downloadUrl, Record.accessUrl, signed links):
 * absolute, from the request's public base (src/http/public-url.ts).
 */
import { MAX_LINK_SECONDS, linkSecret, signLink } from '../../auth/signed-link.js';
import { badInput } from '../../errors.js';

export function fileContentUrl(base: string, fileId: number): string {
  return `${base}/files/${fileId}/content`;
}

/** The file's URL with `expires` and `sig` for `seconds` from now (1 s to one day). */
export function signedFileContentUrl(base: string, home: string, fileId: number, seconds: number, nowMs = Date.now()): string {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_LINK_SECONDS) {
    throw badInput(`expiresInSeconds must be an integer from 1 to ${MAX_LINK_SECONDS}`, 'expiresInSeconds');
  }
  const expiresAt = Math.floor(nowMs / 1000) + seconds;
  return `${fileContentUrl(base, fileId)}?${signLink(linkSecret(home), `file:${fileId}`, expiresAt)}`;
}
