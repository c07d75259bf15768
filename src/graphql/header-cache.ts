/**
 * Parsed header cards, remembered by the stored header text. Q3-style reads (one file with
 * its HDUs' cards) parse the same few headers again and again, and parsing was the largest
 * piece of such a request that was ours alone. Keyed by the text itself, so a re-ingest that
 * changes a header can never be answered from an old parse; bounded, oldest out first.
 * The cards are shared between requests: nothing downstream mutates them (graphql-js only
 * reads resolver results).
 */
import { parseHeader } from '../fits/header.js';
import { unpackHeader } from '../fits/header-text.js';

type Cards = ReturnType<typeof parseHeader>['cards'];

const MAX_ENTRIES = 256;
const cache = new Map<string, Cards>();

export function headerCards(stored: string): Cards {
  let cards = cache.get(stored);
  if (cards === undefined) {
    cards = parseHeader(unpackHeader(stored)).cards;
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(stored, cards);
  }
  return cards;
}
