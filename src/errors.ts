/**
 * Errors a caller can act on. Domain code throws these; the GraphQL layer turns them into
 * errors with `extensions.code` (BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND) and
 * the CLI into exit codes. Any other error is a bug or an outage and is reported as such.
 */
export type ArchiveErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

export class ArchiveError extends Error {
  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
    /** Which input field is wrong, when there is one (e.g. "input.path"). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

export const badInput = (message: string, field?: string) => new ArchiveError('BAD_USER_INPUT', message, field);
export const notFound = (message: string) => new ArchiveError('NOT_FOUND', message);
export const forbidden = (message: string) => new ArchiveError('FORBIDDEN', message);
export const unauthenticated = (message: string) => new ArchiveError('UNAUTHENTICATED', message);
