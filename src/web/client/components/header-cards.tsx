/**
 * A file's HDUs and their header cards. The page knows each HDU's shape and card count; an
 * HDU's cards are asked for only when its section is open (the primary's is, at first), so a
 * file of many extensions costs one small answer per section read, not all of them at once.
 * The search box asks the server for the matching cards of every HDU (keyword, value or
 * comment, case-insensitive): only what was found travels, and the sections with matches open.
 */
import { useEffect, useState } from 'preact/hooks';
import { useQuery } from '../api';
import { CARD_SEARCH_QUERY, HDU_CARDS_QUERY, type Hdu, type HduCardsData, type HeaderCard } from '../record/graphql';
import { ErrorNote } from './ui';

/** Typing pauses this long before the search is asked: one request per word, not per key. */
const SEARCH_DELAY_MS = 250;

export function cardValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v && 're' in v && 'im' in v) return `(${(v as { re: number }).re}, ${(v as { im: number }).im})`;
  return String(v);
}

function shape(h: Hdu): string {
  const dims = h.imageShape ?? h.naxis;
  return dims.length ? dims.join(' × ') : 'no data';
}

function CardTable({ cards }: { cards: HeaderCard[] }) {
  if (cards.length === 0) return null;
  return (
    <div class="table-wrap">
      <table class="cards">
        <thead>
          <tr>
            <th scope="col">Keyword</th>
            <th scope="col">Value</th>
            <th scope="col">Comment</th>
          </tr>
        </thead>
        <tbody>
          {cards.map((c, i) => (
            <tr key={i}>
              <td class="mono">{c.keyword}</td>
              <td class="mono">{cardValue(c.value)}</td>
              <td>{c.comment ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One open section's cards, asked for when it mounts (it mounts only while open). */
function HduCards({ fileId, index }: { fileId: string; index: number }) {
  const q = useQuery<HduCardsData>(HDU_CARDS_QUERY, { file: fileId, index });
  if (q.error) return <ErrorNote error={q.error} />;
  const cards = q.data?.file?.hdus[0]?.header;
  if (!cards) return <p class="note">Loading the cards…</p>;
  return <CardTable cards={cards} />;
}

export function HeaderCards({ fileId, hdus }: { fileId: string; hdus: Hdu[] }) {
  const [filter, setFilter] = useState('');
  const [asked, setAsked] = useState('');
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set(hdus.length ? [hdus[0]!.index] : []));
  useEffect(() => {
    const t = setTimeout(() => setAsked(filter.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [filter]);
  const search = useQuery<HduCardsData>(CARD_SEARCH_QUERY, asked ? { file: fileId, match: asked } : null);
  const found = asked && search.data?.file ? new Map(search.data.file.hdus.map((h) => [h.index, h.header])) : null;
  const total = hdus.reduce((n, h) => n + h.cardCount, 0);
  const shown = found ? [...found.values()].reduce((n, c) => n + c.length, 0) : 0;
  const toggle = (index: number, isOpen: boolean) =>
    setOpen((s) => {
      if (s.has(index) === isOpen) return s;
      const n = new Set(s);
      if (isOpen) n.add(index);
      else n.delete(index);
      return n;
    });

  return (
    <>
      <div class="card-filter">
        <label for="card-filter">Search the header cards</label>
        <input id="card-filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} placeholder="keyword, value or comment" autocomplete="off" />
        <span class="note" role="status" data-testid="card-count">
          {asked
            ? found
              ? `${shown} of ${total} cards match`
              : 'Searching…'
            : `${total} cards in ${hdus.length} HDU${hdus.length === 1 ? '' : 's'}`}
        </span>
      </div>
      {search.error && <ErrorNote error={search.error} />}
      {hdus.map((h) => {
        const matches = found?.get(h.index);
        const isOpen = found ? (matches?.length ?? 0) > 0 : open.has(h.index);
        return (
          <details key={h.index} class="hdu" open={isOpen} onToggle={(e) => !found && toggle(h.index, e.currentTarget.open)}>
            <summary>
              HDU {h.index}: {h.type}
              {h.bitpix !== null ? `, BITPIX ${h.bitpix}` : ''}, {shape(h)}
              <span class="note">
                {' '}
                ({found ? `${matches?.length ?? 0} of ${h.cardCount}` : h.cardCount} cards)
              </span>
            </summary>
            {found ? <CardTable cards={matches ?? []} /> : isOpen && <HduCards fileId={fileId} index={h.index} />}
          </details>
        );
      })}
    </>
  );
}
