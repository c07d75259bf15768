/**
 * One catalogue table loaded into the database: its columns (type, unit, UCD, nulls, range)
 * and its rows, a page of 20 at a time through the API's keyset pages.
 */
import { useState } from 'preact/hooks';
import { useQuery } from '../api';
import { CATALOGUE_TABLE_QUERY, type CatalogueTableData } from '../record/graphql';
import { cardValue } from './header-cards';
import { ErrorNote, formatCount, Loading } from './ui';

const ROWS = 20;

export function CatalogueTable({ id }: { id: string }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors.length ? cursors[cursors.length - 1] : null;
  const q = useQuery<CatalogueTableData>(CATALOGUE_TABLE_QUERY, { id, first: ROWS, after });
  if (q.error) return <ErrorNote error={q.error} />;
  const t = q.data?.catalogueTable;
  if (!q.data) return <Loading what="the table" />;
  if (!t) return <p class="note">This table is not available.</p>;
  const first = cursors.length * ROWS + 1;
  return (
    <section class="catalogue" aria-labelledby={`table-${t.id}`}>
      <h3 id={`table-${t.id}`}>
        <code>{t.qualifiedName}</code> <span class="note">{formatCount(t.rowCount)} rows</span>
      </h3>
      <details>
        <summary>{t.columns.length} columns</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Type</th>
                <th scope="col">Unit</th>
                <th scope="col">UCD</th>
                <th scope="col">Description</th>
                <th scope="col" class="num">
                  Nulls
                </th>
                <th scope="col" class="num">
                  Min
                </th>
                <th scope="col" class="num">
                  Max
                </th>
              </tr>
            </thead>
            <tbody>
              {t.columns.map((c) => (
                <tr key={c.name}>
                  <td class="mono">{c.name}</td>
                  <td>{c.type}</td>
                  <td>{c.unit ?? ''}</td>
                  <td>{c.ucd ?? ''}</td>
                  <td>{c.description ?? ''}</td>
                  <td class="num">{formatCount(c.nullCount)}</td>
                  <td class="num">{cardValue(c.min)}</td>
                  <td class="num">{cardValue(c.max)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <div class="table-wrap">
        <table class="rows" data-testid="catalogue-rows">
          <caption class="note">
            Rows {formatCount(first)}–{formatCount(first + t.rows.edges.length - 1)} of {formatCount(t.rowCount)}
          </caption>
          <thead>
            <tr>
              {t.columns.map((c) => (
                <th key={c.name} scope="col">
                  {c.name}
                  {c.unit && <span class="unit"> [{c.unit}]</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.rows.edges.map((e, i) => (
              <tr key={i}>
                {t.columns.map((c) => (
                  <td key={c.name} class="mono">
                    {cardValue(e.row[c.name])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="pager">
        <button type="button" class="button-quiet" disabled={cursors.length === 0 || q.loading} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous rows
        </button>
        <button type="button" class="button-quiet" disabled={!t.rows.pageInfo.hasNextPage || q.loading} onClick={() => setCursors((c) => [...c, t.rows.pageInfo.endCursor!])}>
          Next rows
        </button>
      </div>
    </section>
  );
}
