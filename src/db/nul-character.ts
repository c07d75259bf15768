/**
 * PostgreSQL's text cannot hold U+0000: a string argument that carries one fails in the
 * statement that binds it (SQLSTATE 22021, or 22P05 inside JSON). That is the caller's input,
 * not the archive's fault: the routes and GraphQL answer it as a bad request, whichever
 * argument it was, instead of an internal error.
 */
export const NUL_CHARACTER_MESSAGE = 'an argument contains a NUL character (U+0000), which the archive can neither store nor search for: remove it';

export function isNulCharacterError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '22021' || code === '22P05';
}
