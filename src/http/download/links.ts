/**
 * The download URLs GraphQL hands out (File.downloadUrl, Record.accessUrl, Release.archiveUrl,
 * signed links): absolute, from the request's public base (src/http/public-url.ts).
 */
import { MAX_LINK_SECONDS, linkSecret, signLink } from '../../auth/signed-link.js';
import { badInput } from '../../errors.js';

export function fileContentUrl(base: string, fileId: number): string {
  return `${base}/files/${fileId}/content`;
}

export function releaseArchiveUrl(base: string, releaseId: number): string {
  return `${base}/releases/${releaseId}/archive`;
}

/** The file's URL with `expires` and `sig` for `seconds` from now (1 s to one day). */
export function signedFileContentUrl(base: string, home: string, fileId: number, seconds: number, nowMs = Date.now()): string {
  return signed(fileContentUrl(base, fileId), home, `file:${fileId}`, seconds, nowMs);
}

/** The release archive's URL with `expires` and `sig` (subject `release:<id>`, what the archive route checks). */
export function signedReleaseArchiveUrl(base: string, home: string, releaseId: number, seconds: number, nowMs = Date.now()): string {
  return signed(releaseArchiveUrl(base, releaseId), home, `release:${releaseId}`, seconds, nowMs);
}

function signed(url: string, home: string, subject: string, seconds: number, nowMs: number): string {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_LINK_SECONDS) {
    throw badInput(`expiresInSeconds must be an integer from 1 to ${MAX_LINK_SECONDS}`, 'expiresInSeconds');
  }
  const expiresAt = Math.floor(nowMs / 1000) + seconds;
  return `${url}?${signLink(linkSecret(home), subject, expiresAt)}`;
}
