/**
 * /ingest — the ingestion dashboard, live (polled every 2 s while the tab is visible): recent
 * runs with their progress, a run's files/s over its life and its stage timings, and for
 * admins the processes with what their jobs do, a profile capture button, the captured
 * profiles and the database's activity. Anonymous visitors see runs of published releases
 * (the API decides: Query.ingestionRuns); the admin panels ask only when signed in as admin.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useQuery } from '../api';
import type { PageProps } from '../router';
import { ErrorNote, Loading, StatusBadge, formatCount, formatUtc, usePageTitle } from '../components/ui';
import { useViewer } from '../components/viewer';
import { StageBars, ThroughputChart } from '../ingest/charts';
import { DatabasePanel } from '../ingest/database-panel';
import { usePolling } from '../ingest/poll';
import { ProcessesPanel } from '../ingest/processes-panel';
import { ADMIN, RUN_DETAIL, RUNS, type AdminData, type RunDetailData, type RunRow, type RunsData } from '../ingest/queries';
import '../dashboard.css';

const POLL_MS = 2000;
const RUNS_SHOWN = 10;

/** How often a running run's chart and stages are asked for: less often as its release grows. */
function detailPollMs(files: number): number {
  return files <= 20_000 ? POLL_MS : files <= 200_000 ? 10_000 : 30_000;
}

function percent(run: RunRow): string {
  if (run.totalFiles === 0) return run.scanDone ? '100%' : '…';
  return `${Math.floor((100 * run.processedFiles) / run.totalFiles)}%`;
}

function RunsTable({ runs, selected, onSelect }: { runs: RunRow[]; selected: string | null; onSelect(id: string): void }) {
  return (
    <div class="table-wrap">
      <table class="runs-table">
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">release</th>
            <th scope="col">status</th>
            <th scope="col">progress</th>
            <th scope="col" class="num">files/s</th>
            <th scope="col" class="num">statements/file</th>
            <th scope="col">started</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} class={r.id === selected ? 'run-row-selected' : undefined}>
              <td>
                <button type="button" class="link" aria-pressed={r.id === selected} onClick={() => onSelect(r.id)}>
                  Run {r.id}
                </button>
              </td>
              <td>
                <a href={`/releases/${r.release.id}`}>
                  {r.release.survey.name} {r.release.name}
                </a>
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>
                <progress class="progress" max={Math.max(1, r.totalFiles)} value={r.processedFiles} aria-label={`Run ${r.id} progress`} />
                <div data-testid={`run-progress-${r.id}`}>
                  {formatCount(r.processedFiles)} / {formatCount(r.totalFiles)}
                  {r.scanDone ? '' : '+'} files ({percent(r)})
                  {r.failedFiles + r.invalidFiles > 0 && (
                    <span class="note">
                      {' '}
                      · {formatCount(r.invalidFiles)} invalid, {formatCount(r.failedFiles)} failed
                    </span>
                  )}
                </div>
              </td>
              <td class="num">{r.filesPerSecond === null ? '—' : r.filesPerSecond.toFixed(0)}</td>
              <td class="num">{r.queriesPerFile === null ? '—' : r.queriesPerFile.toFixed(4)}</td>
              <td class="nowrap">{r.startedAt ? formatUtc(r.startedAt) : 'queued'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RunDetail({ run }: { run: RunRow }) {
  const { data, error, reload } = useQuery<RunDetailData>(RUN_DETAIL, { id: run.id });
  // A finished run's figures no longer change: poll only while it runs. The throughput is a pass
  // over the release's files (IngestionRun.throughput; measured ~1.5-2.8 s for 1M files on
  // PostgreSQL 15 on a busy 2-core VM): a large run's chart is asked less often.
  usePolling(reload, detailPollMs(run.totalFiles), run.status === 'RUNNING' || run.status === 'QUEUED');
  // One more look when the run ends, so the chart shows its last batches.
  const status = useRef(run.status);
  useEffect(() => {
    if (status.current !== run.status) reload();
    status.current = run.status;
  }, [run.status]);
  const d = data?.ingestionRun;
  return (
    <div class="dash-grid">
      <section class="dash-panel" aria-labelledby="tp-heading">
        <h2 id="tp-heading">
          Run {run.id}: files/s over its life
        </h2>
        {error ? <ErrorNote error={error} /> : <ThroughputChart points={d?.throughput ?? []} label={`Files per second over run ${run.id}`} />}
      </section>
      <section class="dash-panel" aria-labelledby="stage-heading">
        <h2 id="stage-heading">Where the time went</h2>
        <p class="note">Seconds per stage, summed over batches (and over analysis threads for per-file stages): they can exceed the wall time.</p>
        {d ? <StageBars stages={d.stages} /> : !error && <Loading what="the stages" />}
      </section>
    </div>
  );
}

function AdminPanels() {
  const { data, error, reload } = useQuery<AdminData>(ADMIN, {});
  usePolling(reload, POLL_MS);
  if (error) return <ErrorNote error={error} />;
  if (!data) return <Loading what="processes and database activity" />;
  return (
    <div class="dash-grid">
      <ProcessesPanel data={data} onCaptured={reload} />
      <DatabasePanel activity={data.databaseActivity} top={data.topStatements} />
    </div>
  );
}

export function IngestPage(_props: PageProps) {
  usePageTitle('Ingestion');
  const viewer = useViewer();
  const { data, error, loading, reload } = useQuery<RunsData>(RUNS, { first: RUNS_SHOWN });
  usePolling(reload, POLL_MS);
  const [picked, setPicked] = useState<string | null>(null);
  const runs = data?.ingestionRuns ?? [];
  const selected = runs.find((r) => r.id === picked) ?? runs.find((r) => r.status === 'RUNNING') ?? runs[0];

  return (
    <>
      <h1 tabIndex={-1}>Ingestion</h1>
      <p class="note">
        Updated every 2 s while this tab is visible.{' '}
        {viewer?.role === 'admin' ? '' : 'Signed-in administrators also see processes, profiles and the database’s activity; without a token only published releases’ runs are listed.'}
      </p>
      <h2>Runs</h2>
      {error ? (
        <ErrorNote error={error} />
      ) : !data ? (
        loading && <Loading what="runs" />
      ) : runs.length === 0 ? (
        <p class="note">No runs to show.</p>
      ) : (
        <RunsTable runs={runs} selected={selected?.id ?? null} onSelect={setPicked} />
      )}
      {selected && <RunDetail key={selected.id} run={selected} />}
      {viewer?.role === 'admin' && <AdminPanels />}
    </>
  );
}
