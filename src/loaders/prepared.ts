/**
 * Loader statements as named (prepared) statements: PostgreSQL parses and plans a loader's
 * SQL once per connection instead of on every batch. A loader's text depends only on the
 * operation's shape (its narrowed columns and embedded relations, src/loaders/narrow.ts and
 * embed.ts), never on the keys, which are parameters: a few dozen texts serve every request of
 * a busy API. For one small request (a file by id with its HDUs) the parse and plan were a
 * large part of PostgreSQL's work, on the same two cores as ours; PostGraphile prepares its
 * statements the same way.
 *
 * Bounded: the first MAX_NAMED distinct texts get a name (for the life of the process; each
 * connection prepares a name on first use, as pg does); later texts run unnamed, as before,
 * so a client cycling through shapes cannot grow every backend's memory without bound.
 */
import type { QueryConfig } from 'pg';

const MAX_NAMED = 200;
const names = new Map<string, string>();

export function loaderStatement(text: string, values: unknown[]): QueryConfig {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `astroarchive_loader_${names.size}`;
    names.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}

/**
 * A by-key loader's statement for `keys`: its text as written (`... = ANY($1)`, the keys as one
 * array) for a batch of several keys, and `... = $1` with the key itself for a batch of one.
 *
 * Why two texts: PostgreSQL plans a named statement's first five runs for their own
 * parameters, then switches to one generic plan only if that plan is not estimated dearer.
 * A generic `= ANY($1)` is estimated at 10 keys, so as soon as the statement joins (the
 * published-release check) or embeds relations, the generic plan looks several times dearer
 * than a one-key custom plan, and PostgreSQL re-plans the statement on every run, forever:
 * ~0.1 ms of server CPU per `file(id)`, more than running it (0.07 ms; measured on the API
 * bench's Q3). `= $1` has the same estimate both ways and keeps its generic plan. A batch of
 * several keys is estimated cheaper generic than custom, so its plan is cached already.
 */
export function keyedStatement(text: string, keys: readonly number[]): QueryConfig {
  if (keys.length === 1) {
    const single = singleKeyText(text);
    if (single !== null) return loaderStatement(single, [keys[0]]);
  }
  return loaderStatement(text, [keys]);
}

const singles = new Map<string, string | null>();

/** `text` with its one `= ANY($1)` written `= $1`; null when it has none or several (cached, bounded like the names). */
function singleKeyText(text: string): string | null {
  let single = singles.get(text);
  if (single === undefined) {
    const parts = text.split(' = ANY($1)');
    single = parts.length === 2 ? parts.join(' = $1') : null;
    if (singles.size < MAX_NAMED) singles.set(text, single);
  }
  return single;
}
