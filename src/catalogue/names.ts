/**
 * SQL identifiers for loaded catalogue tables. Every identifier is always double-quoted in
 * SQL, so keywords (`select`, `order`) are fine as they are; what this keeps out is what
 * quoting alone does not make pleasant or safe to type in ADQL: upper case, spaces and
 * punctuation, a leading digit, and names past PostgreSQL's 63-byte limit (which it would
 * truncate silently, making two long names collide).
 *
 * Rules: lower case; every run of characters outside [a-z0-9_] becomes one `_`; a name that
 * starts with a digit (or is empty) gets a prefix; a name longer than 63 bytes is cut and
 * given `_` + 8 hex digits of the SHA-256 of the original name, so two long names that share
 * their first 54 characters still differ, and the same input always gives the same name.
 */
import crypto from 'node:crypto';

export const MAX_IDENTIFIER = 63;
/** Columns the loader adds to every table (a user column of that name gets a suffix). */
export const ROW_COLUMN = '_row';
export const HPX_COLUMN = '_hpx';
export const RESERVED_COLUMNS: readonly string[] = [ROW_COLUMN, HPX_COLUMN];

export function shortHash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** `raw` as a safe identifier; `prefix` goes before a leading digit or an empty name. */
export function safeIdentifier(raw: string, prefix: string): string {
  let s = raw
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_');
  if (s === '' || s === '_') s = prefix;
  else if (/^[0-9]/.test(s)) s = `${prefix}_${s}`;
  if (s.length > MAX_IDENTIFIER) s = `${s.slice(0, MAX_IDENTIFIER - 9)}_${shortHash(raw)}`;
  return s;
}

/** `"name"` with embedded quotes doubled (names from safeIdentifier have none; this is belt and braces). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Schemas that belong to the archive or to PostgreSQL: a release whose `<survey>_<release>`
 * spells one of them (survey "graphile", release "worker") must not load into it, where a swap
 * would replace the job queue's or TAP's own tables. PostgreSQL itself refuses `pg_*`.
 */
const RESERVED_SCHEMAS: ReadonlySet<string> = new Set(['public', 'ivoa', 'tap_schema', 'graphile_worker', 'drizzle', 'information_schema']);

/** The release's schema: `<survey>_<release>`, lower case, safe; `s_` before a reserved name. */
export function schemaName(survey: string, release: string): string {
  const name = safeIdentifier(`${survey}_${release}`, 's');
  return RESERVED_SCHEMAS.has(name) || name.startsWith('pg_') ? safeIdentifier(`s_${name}`, 's') : name;
}

/**
 * Table names start with a letter: `_stage_...` names are the loader's own staging tables,
 * and a user table can never take one.
 */
export function tableIdentifier(raw: string): string {
  const s = safeIdentifier(raw, 't');
  return s.startsWith('_') ? safeIdentifier(`t${s}`, 't') : s;
}

/**
 * Column names for a table, in order: safe identifiers, each unique within the table. A name
 * already taken (by an earlier column, or one the loader adds) gets `_2`, `_3`, ... in column
 * order: deterministic, and the first column keeps the plain name.
 */
export function uniqueColumnNames(raw: readonly string[]): { names: string[]; renamed: Array<{ index: number; from: string; to: string }> } {
  const used = new Set<string>(RESERVED_COLUMNS);
  const names: string[] = [];
  const renamed: Array<{ index: number; from: string; to: string }> = [];
  raw.forEach((r, index) => {
    const base = safeIdentifier(r, 'c');
    let name = base;
    for (let k = 2; used.has(name); k++) {
      const suffix = `_${k}`;
      name = `${base.slice(0, MAX_IDENTIFIER - suffix.length)}${suffix}`;
    }
    used.add(name);
    names.push(name);
    if (name !== base) renamed.push({ index, from: r, to: name });
  });
  return { names, renamed };
}
