/**
 * Glob patterns for product rules, matched against '/'-separated release paths:
 * `*` and `?` stay within one path segment, `**` crosses segments (`a/**\/b` also matches
 * `a/b`), `{x,y}` alternates, `[abc]` is a character class (`[!abc]` negated; never '/').
 * A pattern without '/' matches the file name in any directory, as .gitignore does, since
 * "*.log" means every log file.
 *
 * Not compiled to a RegExp: V8's regular expressions backtrack, and a glob's stars become
 * nested quantifiers. `***************z` (eight `.*` in a row) took seconds per file name and
 * stalled every ingest that shared the worker; picomatch's expressions backtrack the same way
 * (`*a*a*a*a*a*a*z` against 64 a's: 0.7 s). Here a pattern is a list of tokens run as an NFA,
 * a set of positions advanced one character at a time, so a match costs at most
 * (path length) x (pattern length) steps, whatever the pattern.
 */

/** A compiled pattern. `steps` counts the NFA's position updates (tests check it stays linear). */
export interface Glob {
  test(path: string): boolean;
  steps: number;
}

/** Longest pattern accepted (characters), and most alternatives its `{,}` may expand to. */
export const MAX_GLOB_LENGTH = 1024;
export const MAX_GLOB_ALTERNATIVES = 64;

const LIT = 0;
const ONE = 1; // ?
const CLASS = 2; // [...]
const STAR = 3; // * : any run of non-'/' characters
const GLOBSTAR = 4; // ** : any run of characters
const OPTIONAL_DIRS = 5; // before `**\/`: reads nothing; either on into `**\/`, or past it (no directory at all)
const SLASH = 47;

interface Program {
  kind: Uint8Array;
  /** LIT: the character code. */
  code: Int32Array;
  classes: Array<((c: number) => boolean) | null>;
  /** The literal characters every match must end with (a cheap first check). */
  suffix: string;
  /** The NFA's working sets, reused by every match: positions now, positions next, and */
  cur: Int32Array;
  next: Int32Array;
  n: number;
  /** the generation that last added each position (no clearing between characters). */
  seen: Int32Array;
  gen: number;
}

export function compileGlob(pattern: string): Glob {
  if (pattern.length > MAX_GLOB_LENGTH) throw new Error(`glob is longer than ${MAX_GLOB_LENGTH} characters`);
  const anchored = pattern.includes('/') ? pattern.replace(/^\//, '') : `**/${pattern}`;
  const programs = expandBraces(anchored, pattern).map(tokenize);
  const glob: Glob = {
    steps: 0,
    test(path) {
      for (const p of programs) if (run(p, path, glob)) return true;
      return false;
    },
  };
  return glob;
}

/** `{a,b}` alternatives, expanded (nested braces too), never inside a `[...]` class. */
function expandBraces(p: string, original: string, out: string[] = []): string[] {
  let open = -1;
  for (let i = 0; i < p.length && open < 0; i++) {
    if (p[i] === '[') {
      const end = p.indexOf(']', i + 1);
      if (end >= 0) i = end;
    } else if (p[i] === '{') open = i;
  }
  if (open < 0) {
    out.push(p);
    if (out.length > MAX_GLOB_ALTERNATIVES) throw new Error(`glob expands to more than ${MAX_GLOB_ALTERNATIVES} {,} alternatives`);
    return out;
  }
  const parts: string[] = [];
  let depth = 0;
  let start = open + 1;
  let close = -1;
  for (let i = open + 1; i < p.length && close < 0; i++) {
    const c = p[i];
    if (c === '[') {
      const end = p.indexOf(']', i + 1);
      if (end >= 0) i = end;
    } else if (c === '{') depth++;
    else if (c === '}' && depth) depth--;
    else if (c === '}') close = i;
    else if (c === ',' && !depth) {
      parts.push(p.slice(start, i));
      start = i + 1;
    }
  }
  if (close < 0) throw new Error(`unclosed "{" in glob ${JSON.stringify(original)}`);
  parts.push(p.slice(start, close));
  for (const part of parts) expandBraces(p.slice(0, open) + part + p.slice(close + 1), original, out);
  return out;
}

function tokenize(p: string): Program {
  const kind: number[] = [];
  const code: number[] = [];
  const classes: Program['classes'] = [];
  const push = (k: number, c = 0, cls: ((c: number) => boolean) | null = null) => {
    kind.push(k);
    code.push(c);
    classes.push(cls);
  };
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      let n = 1;
      while (p[i + n] === '*') n++;
      i += n - 1;
      // A run of stars is one `*` or one `**`: `***` means no more than `**`.
      if (n === 1) push(STAR);
      else if (p[i + 1] === '/') {
        push(OPTIONAL_DIRS);
        push(GLOBSTAR);
        push(LIT, SLASH);
        i++;
      } else push(GLOBSTAR);
    } else if (c === '?') push(ONE);
    else if (c === '[' && p.indexOf(']', i + 1) >= 0) {
      const end = p.indexOf(']', i + 1);
      push(CLASS, 0, classTest(p.slice(i + 1, end)));
      i = end;
    } else push(LIT, p.charCodeAt(i));
  }
  let suffix = '';
  for (let k = kind.length - 1; k >= 0 && kind[k] === LIT && !(k > 1 && kind[k - 2] === OPTIONAL_DIRS); k--) suffix = String.fromCharCode(code[k]) + suffix;
  const m = kind.length + 1;
  return {
    kind: Uint8Array.from(kind),
    code: Int32Array.from(code),
    classes,
    suffix,
    cur: new Int32Array(m),
    next: new Int32Array(m),
    n: 0,
    seen: new Int32Array(m).fill(-1),
    gen: 0,
  };
}

/** One character class, as a table for ASCII (the common case) and its RegExp beyond. */
function classTest(body: string): (c: number) => boolean {
  const source = body.replace(/\\/g, '\\\\');
  const re = new RegExp(`[${source.startsWith('!') ? '^' + source.slice(1) : source}]`);
  const ascii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) ascii[c] = c !== SLASH && re.test(String.fromCharCode(c)) ? 1 : 0;
  return (c) => (c < 128 ? ascii[c] === 1 : re.test(String.fromCharCode(c)));
}

/** The NFA: `cur` holds the pattern positions reachable after the characters read so far. */
function run(prog: Program, s: string, glob: Glob): boolean {
  if (!s.endsWith(prog.suffix)) return false;
  const { kind, code, classes } = prog;
  const m = kind.length;
  let cur = prog.cur;
  prog.n = 0;
  prog.gen++;
  add(prog, 0, glob);
  for (let i = 0; i < s.length; i++) {
    const nCur = prog.n;
    const t = cur;
    cur = prog.next;
    prog.next = t;
    prog.n = 0;
    prog.gen++;
    const c = s.charCodeAt(i);
    for (let j = 0; j < nCur; j++) {
      const q = cur[j];
      if (q === m) continue;
      const k = kind[q];
      if (k === LIT) {
        if (code[q] === c) add(prog, q + 1, glob);
      } else if (k === STAR) {
        if (c !== SLASH) add(prog, q, glob);
      } else if (k === GLOBSTAR) add(prog, q, glob);
      else if (k === ONE) {
        if (c !== SLASH) add(prog, q + 1, glob);
      } else if (k === CLASS && c !== SLASH && classes[q]!(c)) add(prog, q + 1, glob);
    }
    if (prog.n === 0) break;
  }
  prog.cur = cur;
  for (let j = 0; j < prog.n; j++) if (prog.next[j] === m) return true;
  return false;
}

/** Adds position q to `next`, and every position reachable from it without reading (skipped stars). */
function add(prog: Program, q: number, glob: Glob): void {
  const { kind, seen, next } = prog;
  const m = kind.length;
  while (seen[q] !== prog.gen) {
    seen[q] = prog.gen;
    next[prog.n++] = q;
    glob.steps++;
    if (q === m) return;
    const k = kind[q];
    if (k === OPTIONAL_DIRS) add(prog, q + 3, glob);
    else if (k !== STAR && k !== GLOBSTAR) return;
    q++;
  }
}
