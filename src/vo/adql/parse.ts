/**
 * ADQL text -> tree (ast.ts), through the parser generated from adql.pegjs. Every failure is an
 * AdqlError with the line and column and a short message: what was found, and what could come
 * there (peggy's full list of expectations can name dozens of keywords; a few are enough).
 */
import { parse, SyntaxError as PeggySyntaxError, type PeggyExpectation } from './adql-parser.generated.js';
import type { AdqlQuery } from './ast.js';
import { AdqlError } from './errors.js';

/** Longer queries are refused before parsing (the service's own clients send a few kB). */
export const MAX_QUERY_LENGTH = 100_000;
const MAX_EXPECTED_SHOWN = 8;

function describe(e: PeggyExpectation): string {
  if (e.type === 'literal') return JSON.stringify(e.ignoreCase ? e.text!.toUpperCase() : e.text);
  if (e.type === 'end') return 'end of query';
  if (e.type === 'class') return (e.parts ?? []).map((p) => JSON.stringify(Array.isArray(p) ? `${p[0]}-${p[1]}` : p)).join(' or ');
  return e.description ?? e.type;
}

function syntaxMessage(err: PeggySyntaxError): string {
  if (!err.expected) return err.message; // a message the grammar wrote (error(...)): already says what to do
  const expected = [...new Set(err.expected.filter((e) => e.type !== 'other' || e.description !== 'whitespace').map(describe))].sort();
  const shown = expected.length > MAX_EXPECTED_SHOWN ? [...expected.slice(0, MAX_EXPECTED_SHOWN), '...'] : expected;
  const found = err.found === null ? 'end of query' : JSON.stringify(err.found);
  return `ADQL syntax error: unexpected ${found}; expected ${shown.join(', ')}`;
}

export function parseAdql(text: string): AdqlQuery {
  if (text.length > MAX_QUERY_LENGTH) throw new AdqlError(`query too long (${text.length} characters; at most ${MAX_QUERY_LENGTH})`);
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof PeggySyntaxError) {
      const { line, column } = err.location.start;
      throw new AdqlError(syntaxMessage(err), { line, column });
    }
    if (err instanceof RangeError) throw new AdqlError('query nested too deeply');
    throw err;
  }
}
