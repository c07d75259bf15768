/**
 * `top [--url U] [--interval 2] [--once]`: the `py-spy top` of the archive. Live processes,
 * their in-flight jobs (task, run, file, stage, elapsed) and each active run's progress and
 * rate. On a terminal it redraws every --interval seconds until Ctrl-C; otherwise (or with
 * --once) it prints one snapshot and exits.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { cliToken, createGraphQLClient, defaultGraphQLUrl, GraphQLRequestError, type GraphQLClient } from '../graphql-client.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

const HELP = `Usage: astroarchive top [--url <graphql url>] [--interval <seconds>] [--once]

Show live archive processes, what each in-flight job is doing (task, run, current file,
stage, elapsed) and the progress of each active run (files done, files/s). Redraws on a
terminal; prints one snapshot when not on a terminal or with --once.

Needs an admin token: ARCHIVE_TOKEN, or ARCHIVE_HOME/admin-token.`;

interface Snapshot {
  processes: Array<{ id: string; role: string; host: string; pid: number; startedAt: string; lastSeenAt: string }>;
  activity: Array<{ processId: string; jobId: string; task: string; runId: string | null; currentFile: string | null; stage: string | null; elapsedSeconds: number }>;
}

interface RunView {
  id: string;
  status: string;
  totalFiles: number;
  processedFiles: number;
  filesPerSecond: number | null;
  release: { name: string; survey: { name: string } };
}

async function snapshot(client: GraphQLClient): Promise<{ snap: Snapshot; runs: RunView[] }> {
  const snap = await client.request<Snapshot>(
    `query Top { processes { id role host pid startedAt lastSeenAt }
       activity { processId jobId task runId currentFile stage elapsedSeconds } }`,
  );
  const runIds = [...new Set(snap.activity.map((a) => a.runId).filter((r): r is string => r !== null))];
  const runs = await Promise.all(
    runIds.map(async (id) => {
      const { ingestionRun } = await client.request<{ ingestionRun: RunView | null }>(
        `query TopRun($id: ID!) { ingestionRun(id: $id) { id status totalFiles processedFiles filesPerSecond release { name survey { name } } } }`,
        { id },
      );
      return ingestionRun;
    }),
  );
  return { snap, runs: runs.filter((r): r is RunView => r !== null) };
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd()).join('\n') + '\n';
}

function shorten(s: string, n: number): string {
  return s.length <= n ? s : '…' + s.slice(s.length - n + 1);
}

export function renderTop({ snap, runs }: { snap: Snapshot; runs: RunView[] }, now = new Date()): string {
  const out: string[] = [`astroarchive top — ${now.toISOString()} — ${snap.processes.length} live process(es), ${snap.activity.length} job(s) in flight\n`];
  out.push(
    table(
      ['PROCESS', 'ROLE', 'PID', 'UP', 'JOBS'],
      snap.processes.map((p) => [
        p.id,
        p.role,
        String(p.pid),
        `${Math.round((now.getTime() - Date.parse(p.startedAt)) / 1000)}s`,
        String(snap.activity.filter((a) => a.processId === p.id).length),
      ]),
    ),
  );
  if (snap.activity.length) {
    out.push(
      table(
        ['PROCESS', 'JOB', 'TASK', 'RUN', 'STAGE', 'ELAPSED', 'FILE'],
        snap.activity.map((a) => [a.processId, a.jobId, a.task, a.runId ?? '-', a.stage ?? '-', `${a.elapsedSeconds.toFixed(1)}s`, shorten(a.currentFile ?? '-', 60)]),
      ),
    );
  }
  if (runs.length) {
    out.push(
      table(
        ['RUN', 'RELEASE', 'STATUS', 'PROGRESS', 'FILES/S'],
        runs.map((r) => [
          r.id,
          `${r.release.survey.name}/${r.release.name}`,
          r.status,
          `${r.processedFiles}/${r.totalFiles}${r.totalFiles ? ` (${Math.floor((100 * r.processedFiles) / r.totalFiles)}%)` : ''}`,
          r.filesPerSecond === null ? '-' : r.filesPerSecond.toFixed(0),
        ]),
      ),
    );
  }
  return out.join('\n');
}

export async function topCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { help: { type: 'boolean', short: 'h' }, url: { type: 'string' }, interval: { type: 'string' }, once: { type: 'boolean' } },
  });
  if (values.help) {
    io.out(HELP + '\n');
    return EXIT.OK;
  }
  const interval = Number(values.interval ?? 2);
  if (!(interval >= 0.2 && interval <= 3600)) throw new UsageError('--interval must be a number of seconds from 0.2 to 3600');
  const config = loadConfig(io.env, io.cwd);
  const client = createGraphQLClient(values.url ?? defaultGraphQLUrl(config), cliToken(config));
  const live = io.isTTY && Boolean(process.stdout.isTTY) && !values.once;
  try {
    if (!live) {
      io.out(renderTop(await snapshot(client)));
      return EXIT.OK;
    }
    const stop = io.waitForStop();
    let stopped = false;
    void stop.then(() => (stopped = true));
    while (!stopped) {
      const text = renderTop(await snapshot(client));
      io.out('\x1b[H\x1b[2J' + text + `\n(every ${interval}s; Ctrl-C to quit)\n`);
      await Promise.race([stop, new Promise((r) => setTimeout(r, interval * 1000))]);
    }
    return EXIT.OK;
  } catch (err) {
    if (err instanceof GraphQLRequestError) {
      io.err(`astroarchive top: ${err.message}\n`);
      return EXIT.UNAVAILABLE;
    }
    throw err;
  }
}
