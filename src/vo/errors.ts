import { isNulCharacterError } from '../db/nul-character.js';
import { ResultRowsTooLargeError } from './row-budget.js';

/**
 * A request to an IVOA service that the caller can fix (unknown RESPONSEFORMAT, bad MAXREC, bad
 * POS ...). The HTTP layer answers it with status 400 and a VOTable error document
 * (votableErrorDocument) whose QUERY_STATUS INFO carries this message, as DALI asks.
 */
export class VoUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VoUsageError';
  }
}

/**
 * A mistake in the client's query found only when the database ran it, as its error, or
 * undefined (then it is the service's error, reported as such):
 * - rows too large to stream (row-budget.ts);
 * - a data exception (SQLSTATE class 22): only the condition, never the server's message,
 *   which can quote values, and the caller must learn nothing about rows it may not see;
 * - an expression the database cannot type (class 42: `obs_id + 1`, `SUM(obs_id)`, a column
 *   outside GROUP BY): the server's message, which names types, functions and the query's own
 *   columns, never values; 42501 (permission) is the session's TapExecutionError.
 * Timeouts and cancels are the session's TapExecutionError already.
 */
export function describeQueryError(err: unknown): VoUsageError | undefined {
  if (err instanceof ResultRowsTooLargeError) return new VoUsageError(err.message);
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  if (code === '22012') return new VoUsageError('the query divides by zero');
  // Raised by ivoa.adql_concat (migration 0031) with its own words, or PostgreSQL's own program limits.
  if (code === '54000') return new VoUsageError(`the query makes a value too large: ${(err as Error).message}`);
  if (isNulCharacterError(err)) return new VoUsageError('the query holds a character the database cannot store (a NUL, U+0000)');
  if (code.startsWith('22')) return new VoUsageError(`the query failed on a value (SQLSTATE ${code}: a conversion, an overflow or an argument out of range)`);
  if (code.startsWith('42') && code !== '42501') return new VoUsageError(`the query does not type-check: ${(err as Error).message}`);
  return undefined;
}
