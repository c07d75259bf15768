/**
 * SQL text with its literals replaced by `?`, for showing what the database is running without
 * showing the data in it (a file path, a token hash, a name typed into a search box). A small
 * tokenizer, not a regular expression: a quote inside a comment, a `--` inside a string or a
 * `$tag$` body must not throw the rest of the statement off.
 *
 * Replaced: string constants ('...', E'...' with backslash escapes, B'...', X'...', N'...',
 * U&'...', $$...$$ and $tag$...$tag$ bodies) and numeric constants (42, 1.5e3, .5, 0x1F,
 * 1_000). Dropped: comments (-- and nested block comments), which may hold anything.
 * Kept: identifiers (also "quoted" ones, and digits inside names such as t1), keywords,
 * operators and parameters ($1). Runs of whitespace become one space. A literal cut off by
 * the server's own truncation (track_activity_query_size) still becomes `?`.
 */

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;

/** End index (exclusive) of a quoted run starting at `i` (the opening quote). */
function quotedEnd(sql: string, i: number, quote: string, backslashEscapes: boolean): number {
  let j = i + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (backslashEscapes && c === '\\') j += 2;
    else if (c === quote) {
      if (sql[j + 1] === quote) j += 2; // doubled quote: one quote character
      else return j + 1;
    } else j++;
  }
  return sql.length; // unterminated (cut off): the rest is the literal
}

/** End of a nested block comment starting at `i` ("/*"). */
function blockCommentEnd(sql: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < sql.length) {
    if (sql.startsWith('/*', j)) {
      depth++;
      j += 2;
    } else if (sql.startsWith('*/', j)) {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  return sql.length;
}

/** End of a numeric constant starting at `i`, or -1 when none starts there. */
function numberEnd(sql: string, i: number): number {
  let j = i;
  if (sql[j] === '0' && /[xXoObB]/.test(sql[j + 1] ?? '') && /[0-9A-Fa-f_]/.test(sql[j + 2] ?? '')) {
    j += 2;
    while (j < sql.length && /[0-9A-Fa-f_]/.test(sql[j])) j++;
    return j;
  }
  const digits = () => {
    const s = j;
    while (j < sql.length && (DIGIT.test(sql[j]) || (sql[j] === '_' && DIGIT.test(sql[j + 1] ?? '')))) j++;
    return j > s;
  };
  const whole = digits();
  if (sql[j] === '.' && sql[j + 1] !== '.') {
    j++;
    if (!digits() && !whole) return -1;
  } else if (!whole) return -1;
  if (/[eE]/.test(sql[j] ?? '')) {
    const k = j;
    j++;
    if (sql[j] === '+' || sql[j] === '-') j++;
    if (!digits()) j = k; // "1e" followed by a name: not an exponent
  }
  return j;
}

/** A `$tag$` opening at `i`, or null ($1 is a parameter, not a dollar quote). */
function dollarTag(sql: string, i: number): string | null {
  const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 66));
  return m ? m[0] : null;
}

export function stripSqlLiterals(sql: string): string {
  let out = '';
  let space = false;
  const emit = (s: string) => {
    if (space && out.length > 0) out += ' ';
    space = false;
    out += s;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      space = true;
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
      space = true;
    } else if (c === '/' && sql[i + 1] === '*') {
      i = blockCommentEnd(sql, i);
      space = true;
    } else if (c === "'") {
      i = quotedEnd(sql, i, "'", false);
      emit('?');
    } else if (/[eE]/.test(c) && sql[i + 1] === "'") {
      i = quotedEnd(sql, i + 1, "'", true);
      emit('?');
    } else if (/[bBxXnN]/.test(c) && sql[i + 1] === "'") {
      i = quotedEnd(sql, i + 1, "'", false);
      emit('?');
    } else if (/[uU]/.test(c) && sql[i + 1] === '&' && sql[i + 2] === "'") {
      i = quotedEnd(sql, i + 2, "'", false);
      emit('?');
    } else if (c === '"') {
      const end = quotedEnd(sql, i, '"', false);
      emit(sql.slice(i, end));
      i = end;
    } else if (c === '$') {
      const tag = dollarTag(sql, i);
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        i = close < 0 ? sql.length : close + tag.length;
        emit('?');
      } else {
        let j = i + 1;
        while (j < sql.length && DIGIT.test(sql[j])) j++;
        emit(sql.slice(i, Math.max(j, i + 1)));
        i = Math.max(j, i + 1);
      }
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < sql.length && IDENT_PART.test(sql[j])) j++;
      emit(sql.slice(i, j));
      i = j;
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(sql[i + 1] ?? ''))) {
      const end = numberEnd(sql, i);
      if (end > i) {
        emit('?');
        i = end;
      } else {
        emit(c);
        i++;
      }
    } else {
      // Operators and punctuation: glued to what precedes them only when the source did so.
      emit(c);
      i++;
    }
  }
  return out;
}

/** Stripped, then cut to `max` characters (an ellipsis marks the cut). */
export function displaySql(sql: string, max = 2000): string {
  const s = stripSqlLiterals(sql);
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
