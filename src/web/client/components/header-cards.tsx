/**
 * A file's HDUs and their header cards, with one search box that filters the cards of every HDU
 * (keyword, value or comment, case-insensitive) in the browser: the cards are already here.
 */
import { useState } from 'preact/hooks';
import type { Hdu } from '../record/graphql';

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

export function HeaderCards({ hdus }: { hdus: Hdu[] }) {
  const [filter, setFilter] = useState('');
  const f = filter.trim().toLowerCase();
  const match = (c: Hdu['header'][number]) => !f || c.keyword.toLowerCase().includes(f) || cardValue(c.value).toLowerCase().includes(f) || (c.comment ?? '').toLowerCase().includes(f);
  const total = hdus.reduce((n, h) => n + h.header.length, 0);
  const shown = hdus.reduce((n, h) => n + h.header.filter(match).length, 0);

  return (
    <>
      <div class="card-filter">
        <label for="card-filter">Search the header cards</label>
        <input id="card-filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} placeholder="keyword, value or comment" autocomplete="off" />
        <span class="note" role="status" data-testid="card-count">
          {f ? `${shown} of ${total} cards match` : `${total} cards in ${hdus.length} HDU${hdus.length === 1 ? '' : 's'}`}
        </span>
      </div>
      {hdus.map((h) => {
        const cards = h.header.filter(match);
        return (
          <details key={h.index} class="hdu" open={h.index === 0 || (!!f && cards.length > 0)}>
            <summary>
              HDU {h.index}: {h.type}
              {h.bitpix !== null ? `, BITPIX ${h.bitpix}` : ''}, {shape(h)}
              <span class="note">
                {' '}
                ({f ? `${cards.length} of ${h.header.length}` : h.header.length} cards)
              </span>
            </summary>
            {cards.length > 0 && (
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
            )}
          </details>
        );
      })}
    </>
  );
}
