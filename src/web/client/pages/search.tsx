/**
 * The archive's front page (/): the search box and filters, then the matching records as a
 * paged list and on an all-sky plot, linked (hovering or focusing a row highlights its marker;
 * hovering a marker highlights its row, clicking it brings the row into view). The whole search
 * is in the URL.
 */
import { Fragment } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useQuery } from '../api';
import { SkyPlot, type SkyView } from '../components/sky-plot';
import { FIELD_MAX_RADIUS } from '../sky/field';
import { useToken } from '../auth';
import { ErrorNote, formatBytes, formatCount, Loading, StatusBadge, usePageTitle } from '../components/ui';
import { navigate, type PageProps } from '../router';
import { SearchForm } from '../search/form';
import { RELEASES_QUERY, SEARCH_QUERY, type ReleaseOption, type SearchRecord, type SearchResult } from '../search/graphql';
import { formatAngle, formatDec, formatRa } from '../search/query';
import { PAGE_SIZE, readSearch, searchRequest, searchUrl, type SearchState } from '../search/state';

const fileName = (r: SearchRecord): string => r.file.path.split('/').pop() || r.file.path;

/** The source's name, or the file's when it has none. */
function recordName(r: SearchRecord): string {
  return r.targetName ?? fileName(r);
}

export function SearchPage({ query }: PageProps) {
  const applied = readSearch(query);
  const request = searchRequest(applied);
  const title = applied.q ? `Search: ${applied.q}` : '';
  usePageTitle(title);

  // Cursors of the pages before this one, for "Previous"; a new search starts a new trail.
  const trail = useRef<{ key: string; cursors: string[] }>({
    key: '',
    cursors: [],
  });
  const searchKey = JSON.stringify({ ...applied, after: '', projection: '' });
  if (trail.current.key !== searchKey) trail.current = { key: searchKey, cursors: [] };

  const releases = useQuery<{ releases: ReleaseOption[] }>(RELEASES_QUERY, {});
  const variables = request.problems.length
    ? null
    : {
        filter: request.filter,
        orderBy: request.orderBy,
        first: PAGE_SIZE,
        after: applied.after || null,
        prefix: request.query.kind === 'name' ? request.query.name : null,
        withSources: request.query.kind === 'name',
      };
  const result = useQuery<SearchResult>(SEARCH_QUERY, variables);
  const [highlight, setHighlight] = useState<string | null>(null);
  // Searches carry the token as soon as there is one; who it names arrives later (the layout's
  // viewer query), and until then the page must not tell a signed-in user to sign in.
  const token = useToken();
  const table = useRef<HTMLTableSectionElement>(null);

  const go = (s: SearchState, replace = false) => navigate(searchUrl(s), replace);
  const edges = result.data?.records.edges ?? [];
  const cone = request.query.kind === 'cone' ? request.query : null;
  const items = useMemo(
    () =>
      edges.map((e) => ({
        id: e.node.id,
        name: `${recordName(e.node)}, ${e.node.dataproductType}${e.node.center ? `, at ${formatRa(e.node.center.ra)} ${formatDec(e.node.center.dec)}` : ''}`,
        center: e.node.center,
        footprint: e.node.footprint,
      })),
    [result.data],
  );
  const pageNumber = trail.current.cursors.length + 1;
  const fieldOk = cone !== null && cone.radius <= FIELD_MAX_RADIUS;
  const view: SkyView = applied.projection === 'field' ? (fieldOk ? 'field' : 'aitoff') : applied.projection || (fieldOk ? 'field' : 'aitoff');
  const viewName = view === 'field' ? 'close-up of the search cone (gnomonic, north up, east left)' : `all-sky map (${view === 'aitoff' ? 'Aitoff' : 'Mollweide'} projection, RA 0h at the centre, growing to the left)`;
  useEffect(() => setHighlight(null), [result.data]);

  const select = (id: string) => {
    setHighlight(id);
    const row = table.current?.querySelector<HTMLElement>(`tr[data-id="${id}"]`);
    row?.scrollIntoView({ block: 'nearest' });
    row?.querySelector<HTMLElement>('a')?.focus({ preventScroll: true });
  };
  const next = () => {
    const end = result.data?.records.pageInfo.endCursor;
    if (!end) return;
    trail.current.cursors.push(applied.after);
    go({ ...applied, after: end });
  };
  const previous = () => {
    const before = trail.current.cursors.pop() ?? '';
    go({ ...applied, after: before });
  };

  const names = result.data?.sources?.edges.map((e) => e.node.name) ?? [];
  const suggestions = request.query.kind === 'name' ? names.filter((n) => n.toLowerCase() !== (request.query as { name: string }).name.toLowerCase()) : [];

  return (
    <>
      <h1 tabIndex={-1}>Search the archive</h1>
      <SearchForm applied={applied} releases={releases.data?.releases ?? []} onSubmit={(s) => go(s)} />
      {request.problems.length > 0 && (
        <div class="error" role="alert">
          <strong>Cannot search:</strong> {request.problems.join('; ')}.
        </div>
      )}
      {result.error && <ErrorNote error={result.error} />}
      {suggestions.length > 0 && (
        <p class="suggestions" data-testid="suggestions">
          Sources whose names start with “{(request.query as { name: string }).name}”:{' '}
          {suggestions.map((n, i) => (
            <Fragment key={n}>
              {i > 0 && ', '}
              <a href={searchUrl({ ...applied, q: n, after: '' })}>{n}</a>
            </Fragment>
          ))}
        </p>
      )}
      {variables && !result.data && !result.error && <Loading what="results" />}
      {result.data && (
        <section class="results" aria-labelledby="results-title" aria-busy={result.loading}>
          <div class="results-list">
            <div class="results-head">
              <h2 id="results-title" data-testid="result-count">
                {formatCount(result.data.records.totalCount)} {result.data.records.totalCount === 1 ? 'record' : 'records'}
                {cone && ` within ${formatAngle(cone.radius)} of ${formatRa(cone.ra)} ${formatDec(cone.dec)}`}
                {request.query.kind === 'name' && ` of “${request.query.name}”`}
              </h2>
              <Pager
                page={pageNumber}
                total={result.data.records.totalCount}
                hasPrevious={pageNumber > 1 || !!applied.after}
                hasNext={result.data.records.pageInfo.hasNextPage}
                onPrevious={previous}
                onNext={next}
                busy={result.loading}
              />
            </div>
            {edges.length === 0 ? (
              <p class="note">
                Nothing matches.{' '}
                {request.query.kind === 'name' &&
                  suggestions.length === 0 &&
                  'Names are matched whole (case does not matter): try the start of a name to see suggestions, or a position.'}
                {/* A new archive's first release is a draft until it is published: say where it is. */}
                {!token && <span data-testid="drafts-hint"> Only published releases are searched: sign in to search drafts too.</span>}
              </p>
            ) : (
              <div class="table-wrap">
                <table class="results-table">
                  <caption class="visually-hidden">Matching records, page {pageNumber}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Product</th>
                      <th scope="col">Release</th>
                      <th scope="col">Position (RA, Dec)</th>
                      {cone && (
                        <th scope="col" class="num">
                          Distance
                        </th>
                      )}
                      <th scope="col" class="num">
                        Size
                      </th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody ref={table} onMouseLeave={() => setHighlight(null)}>
                    {edges.map(({ node: r, distance }) => (
                      <tr
                        key={r.id}
                        data-id={r.id}
                        class={r.id === highlight ? 'highlight' : undefined}
                        onMouseEnter={() => setHighlight(r.id)}
                        onFocusIn={() => setHighlight(r.id)}
                      >
                        <td>
                          <a href={`/records/${r.id}`}>{recordName(r)}</a>
                          {/* A source's records all bear its name: the file tells them apart. */}
                          {r.targetName !== null && <span class="sub">{fileName(r)}</span>}
                        </td>
                        <td>
                          {r.dataproductType}
                          {r.productType !== r.dataproductType && <span class="sub">{r.productType}</span>}
                        </td>
                        <td>
                          <a href={`/releases/${r.release.id}`}>
                            {r.release.survey.name} {r.release.name}
                          </a>
                        </td>
                        <td class="mono nowrap">{r.center ? `${formatRa(r.center.ra)} ${formatDec(r.center.dec)}` : '—'}</td>
                        {cone && <td class="num">{distance === null ? '—' : formatAngle(distance)}</td>}
                        <td class="num nowrap">{formatBytes(r.accessEstsize)}</td>
                        <td>
                          <StatusBadge status={r.file.status} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
          <div class="results-sky">
            <div class="sky-head">
              <h2 id="sky-title">On the sky</h2>
              <span class="inline">
                <label for="sky-projection">View</label>{' '}
                <select id="sky-projection" value={view} onChange={(e) => go({ ...applied, projection: e.currentTarget.value as SkyView }, true)}>
                  {fieldOk && <option value="field">Close-up of the cone</option>}
                  <option value="aitoff">All sky: Aitoff</option>
                  <option value="mollweide">All sky: Mollweide</option>
                </select>
              </span>
            </div>
            <SkyPlot
              items={items}
              cone={cone}
              view={view}
              highlighted={highlight}
              onHover={setHighlight}
              onSelect={select}
              onOpen={(id) => navigate(`/records/${id}`)}
              label={`Sky plot, ${viewName}, of the ${edges.length} records listed${cone ? ' and the search cone' : ''}`}
            />
            <p class="note small">
              This page's {edges.length} records
              {cone ? ', and the search cone in red' : ''}; footprints where the files give them. Hover a marker to find its row; or focus the plot (Tab) and use the arrow keys, Enter to open.
            </p>
          </div>
        </section>
      )}
    </>
  );
}

function Pager(p: { page: number; total: number; hasPrevious: boolean; hasNext: boolean; busy: boolean; onPrevious(): void; onNext(): void }) {
  const pages = Math.max(1, Math.ceil(p.total / PAGE_SIZE));
  return (
    <nav class="pager" aria-label="Result pages">
      <button type="button" class="button-quiet" disabled={!p.hasPrevious || p.busy} onClick={p.onPrevious}>
        Previous
      </button>
      <span>
        Page {p.page} of {pages}
      </span>
      <button type="button" class="button-quiet" disabled={!p.hasNext || p.busy} onClick={p.onNext}>
        Next
      </button>
    </nav>
  );
}
