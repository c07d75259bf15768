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
