/**
 * A release's page (/releases/:id): what it holds (counts by kind and by status), its files a
 * page at a time with kind and status filters (in the URL), its ingestion runs with their stage
 * timings, and for an admin, while it is a draft, the Publish button.
 */
import { useQuery } from '../api';
import { PublishButton } from '../components/publish-button';
import { useViewer } from '../components/viewer';
import { ErrorNote, formatBytes, formatCount, formatUtc, Loading, StatusBadge, usePageTitle } from '../components/ui';
import { navigate, type PageProps } from '../router';
import { pageLinks } from '../release/pager';
import { COUNTS_QUERY, FILE_PAGE, RELEASE_QUERY, STATUSES, type CountsData, type ReleaseData, type Run } from '../release/graphql';
import { KIND_LABELS, KINDS, type Kind } from '../search/state';

function seconds(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(0)} ms` : s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;
}

function RunCard({ run }: { run: Run }) {
  const total = run.stages.reduce((n, s) => n + s.seconds, 0);
  const wall = run.startedAt && run.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : null;
  return (
    <section class="run" aria-label={`Run ${run.id}`}>
      <h3>
        Run {run.id} <StatusBadge status={run.status} />
      </h3>
      <p class="run-summary">
        {run.startedAt ? formatUtc(run.startedAt) : 'not started'}
        {wall !== null && `, ${seconds(wall)}`} · {formatCount(run.processedFiles)} of {formatCount(run.totalFiles)} files: {formatCount(run.ingestedFiles)} ingested,{' '}
        {formatCount(run.invalidFiles)} invalid, {formatCount(run.failedFiles)} failed, {formatCount(run.skippedFiles)} skipped
        {run.missingFiles > 0 && `, ${formatCount(run.missingFiles)} missing`}
        {run.filesPerSecond !== null && ` · ${run.filesPerSecond.toFixed(1)} files/s`}
        {run.queriesPerFile !== null && ` · ${run.queriesPerFile.toFixed(3)} statements per file`}
      </p>
      {run.error && <p class="error">{run.error}</p>}
      {run.stages.length > 0 && (
        <table class="stages">
          <caption class="note">Time in each stage, longest first (summed over workers)</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" class="num">
                Time
              </th>
              <th scope="col">
                <span class="visually-hidden">Share</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...run.stages].sort((x, y) => y.seconds - x.seconds).map((s) => (
              <tr key={s.name}>
                <td>{s.name}</td>
                <td class="num">{seconds(s.seconds)}</td>
                <td class="bar-cell">
                  <span class="bar" style={{ width: `${total > 0 ? Math.max(0.5, (100 * s.seconds) / total) : 0}%` }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Counts({ id }: { id: string }) {
  const q = useQuery<CountsData>(COUNTS_QUERY, { id });
  if (q.error) return <ErrorNote error={q.error} />;
  const r = q.data?.release;
  if (!r) return <Loading what="the counts" />;
  return (
    <div class="counts" data-testid="counts">
      <dl>
        {KINDS.map((k) => (
          <div key={k}>
            <dt>{KIND_LABELS[k]}</dt>
            <dd>{formatCount(r[`k_${k}`].totalCount)}</dd>
          </div>
        ))}
      </dl>
      <dl>
        {STATUSES.map((s) => (
          <div key={s}>
            <dt>
              <StatusBadge status={s} />
            </dt>
            <dd>{formatCount(r[`s_${s}`].totalCount)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export function ReleasePage({ params, query }: PageProps) {
  const viewer = useViewer();
  const kind = (KINDS as readonly string[]).includes(query.get('kind') ?? '') ? (query.get('kind') as Kind) : null;
  const status = (STATUSES as readonly string[]).includes(query.get('status') ?? '') ? query.get('status') : null;
  const after = query.get('after');
  const q = useQuery<ReleaseData>(RELEASE_QUERY, { id: params.id, first: FILE_PAGE, after, kind, status });
  const r = q.data?.release;
  usePageTitle(r ? `${r.survey.name} ${r.name}` : `Release ${params.id}`);
  const setFilter = (k: string, v: string | null) => {
    const p = new URLSearchParams(query);
    if (v) p.set(k, v);
    else p.delete(k);
    p.delete('after');
    p.delete('back');
    navigate(`/releases/${params.id}${p.size ? `?${p}` : ''}`);
  };

  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data)
    return (
      <>
        <h1 tabIndex={-1}>Release {params.id}</h1>
        <Loading what="the release" />
      </>
    );
  if (!r)
    return (
      <>
        <h1 tabIndex={-1}>Release {params.id}</h1>
        <p>There is no release {params.id}, or it is a draft: sign in to see drafts.</p>
      </>
    );
  const label = `${r.survey.name} ${r.name}`;
  const page = r.files;
  const links = pageLinks(query, page.pageInfo.endCursor, page.pageInfo.hasNextPage);
  const href = (p: URLSearchParams) => `/releases/${r.id}${p.size ? `?${p}` : ''}`;

  return (
    <article class="release">
      <h1 tabIndex={-1}>
        {label} <StatusBadge status={r.published ? 'published' : 'draft'} />
      </h1>
      <div class="actions">
        <a class="button button-quiet" href={`/?release=${r.id}`}>
          Search this release
        </a>
        {r.published && (
          <a class="button button-quiet" href={`/releases/${r.id}/archive`} download>
            Download all (tar)
          </a>
        )}
        {viewer?.role === 'admin' && !r.published && <PublishButton id={r.id} label={label} files={r.fileCount} onPublished={q.reload} />}
      </div>
      {!r.published && <p class="warning-note">A draft: only token holders see it.</p>}

      <h2>Contents</h2>
      <p>{formatCount(r.fileCount)} files.</p>
      <Counts id={r.id} />

      <h2 id="files-title">Files</h2>
      <div class="file-filters">
        <label>
          Kind{' '}
          <select value={kind ?? ''} onChange={(e) => setFilter('kind', e.currentTarget.value || null)}>
            <option value="">all</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select value={status ?? ''} onChange={(e) => setFilter('status', e.currentTarget.value || null)}>
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <span class="note" data-testid="file-count">
          {formatCount(page.totalCount)} {page.totalCount === 1 ? 'file' : 'files'}
          {kind || status ? ' match' : ''}
        </span>
      </div>
      <div class="table-wrap">
        <table aria-labelledby="files-title" data-testid="files">
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Size
              </th>
            </tr>
          </thead>
          <tbody>
            {page.edges.map(({ node: f }) => (
              <tr key={f.id}>
                <td class="mono path">{f.record ? <a href={`/records/${f.record.id}`}>{f.path}</a> : f.path}</td>
                <td>{f.kind.toLowerCase()}</td>
                <td>
                  <StatusBadge status={f.status} />
                  {f.missing && <span class="note"> missing</span>}
                </td>
                <td class="num nowrap">{formatBytes(f.sizeBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="File pages">
        {links.first && links.previous && links.previous.toString() !== links.first.toString() && (
          <a class="button button-quiet" href={href(links.first)}>
            First page
          </a>
        )}
        {links.previous && (
          <a class="button button-quiet" href={href(links.previous)} rel="prev">
            Previous {FILE_PAGE}
          </a>
        )}
        {links.next && (
          <a class="button button-quiet" href={href(links.next)} rel="next">
            Next {FILE_PAGE}
          </a>
        )}
      </nav>

      <h2>Ingestion runs</h2>
      {r.runs.length === 0 ? <p class="note">No runs.</p> : r.runs.map((run) => <RunCard key={run.id} run={run} />)}
    </article>
  );
}
