/**
 * `ingest <dir> --survey S --release R [--url U] [--wait] [--json]`: submit a release
 * directory through the `ingestRelease` mutation and, with --wait, follow the run to its end.
 * The directory is read by the server: absolute inside its ARCHIVE_DATA_ROOT, or relative to it.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { cliCredentials, createGraphQLClient, defaultGraphQLUrl, GraphQLRequestError } from '../graphql-client.js';
import { createProgressReporter } from '../progress.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

const HELP = `Usage: astroarchive ingest <dir> --survey <name> --release <name> [--url <graphql url>] [--wait] [--json]

Ingest a data release directory. <dir> is read by the server: an absolute path inside its
ARCHIVE_DATA_ROOT, or a path relative to it.

  --survey   survey name (created on first use)
  --release  release name (a draft release is created on first ingest)
  --url      GraphQL endpoint (default http://HOST:PORT/graphql from the environment)
  --wait     follow the run to its end (progress bar on a terminal)
  --json     print one JSON object on stdout: runId, releaseId, status, totalFiles,
             ingestedFiles, invalidFiles, failedFiles, skippedFiles, missingFiles,
             skippedEntries (symlinks, FIFOs, unreadable directories... left out: the run's
             issues say why), seconds, filesPerSecond, queries

Sends ARCHIVE_TOKEN, or the admin token in ARCHIVE_HOME/admin-token (written by
\`astroarchive start\`).
Exit status: 0 the run finished (invalid files included), 2 bad usage, 3 the archive refused
or could not be reached, 4 the run failed.`;

const RUN_FIELDS = `id status totalFiles processedFiles ingestedFiles invalidFiles failedFiles skippedFiles
  missingFiles skippedEntries scanDone startedAt finishedAt filesPerSecond queriesPerFile queries error release { id name survey { name } }`;

interface RunView {
  id: string;
  status: string;
  totalFiles: number;
  processedFiles: number;
  ingestedFiles: number;
  invalidFiles: number;
  failedFiles: number;
  skippedFiles: number;
  missingFiles: number;
  skippedEntries: number;
  scanDone: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  filesPerSecond: number | null;
  queriesPerFile: number | null;
  queries: number;
  error: string | null;
  release: { id: string; name: string; survey: { name: string } };
}

const FINISHED = new Set(['SUCCEEDED', 'PARTIAL', 'FAILED']);

export async function ingestCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      survey: { type: 'string' },
      release: { type: 'string' },
      url: { type: 'string' },
      wait: { type: 'boolean' },
      json: { type: 'boolean' },
      'poll-ms': { type: 'string' },
    },
  });
  if (values.help) {
    io.out(HELP + '\n');
    return EXIT.OK;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one directory to ingest');
  if (!values.survey) throw new UsageError('--survey <name> is required');
  if (!values.release) throw new UsageError('--release <name> is required');
  const config = loadConfig(io.env, io.cwd);
  const credentials = cliCredentials(config);
  if (!credentials.token) {
    // Every ingest needs a token: say where one comes from rather than send a request bound to fail.
    io.err(`astroarchive ingest: no token: set ARCHIVE_TOKEN, or make ${credentials.file} readable (\`astroarchive start\` writes the admin token there; ARCHIVE_HOME sets the folder)\n`);
    return EXIT.UNAVAILABLE;
  }
  const client = createGraphQLClient(values.url ?? defaultGraphQLUrl(config), credentials.token);
  const pollMs = Number(values['poll-ms'] ?? 500);
  const began = Date.now();
  try {
    const { ingestRelease: submitted } = await client.request<{ ingestRelease: RunView }>(
      `mutation Ingest($input: IngestReleaseInput!) { ingestRelease(input: $input) { ${RUN_FIELDS} } }`,
      { input: { survey: values.survey, release: values.release, path: positionals[0] } },
    );
    let run = submitted;
    if (!values.json) io.err(`run ${run.id} queued for ${run.release.survey.name}/${run.release.name}\n`);
    if (values.wait) {
      const progress = createProgressReporter(io.err, io.isTTY && !values.json);
      while (!FINISHED.has(run.status)) {
        await new Promise((r) => setTimeout(r, pollMs));
        const { ingestionRun } = await client.request<{ ingestionRun: RunView | null }>(
          `query Run($id: ID!) { ingestionRun(id: $id) { ${RUN_FIELDS} } }`,
          { id: run.id },
        );
        if (!ingestionRun) throw new GraphQLRequestError(`run ${run.id} disappeared`, 'NOT_FOUND');
        run = ingestionRun;
        if (!values.json) progress.update(run);
      }
      progress.done();
    }
    const seconds = run.startedAt ? ((run.finishedAt ? Date.parse(run.finishedAt) : Date.now()) - Date.parse(run.startedAt)) / 1000 : (Date.now() - began) / 1000;
    if (values.json) {
      io.out(
        JSON.stringify({
          runId: run.id,
          releaseId: run.release.id,
          status: run.status,
          totalFiles: run.totalFiles,
          ingestedFiles: run.ingestedFiles,
          invalidFiles: run.invalidFiles,
          failedFiles: run.failedFiles,
          skippedFiles: run.skippedFiles,
          missingFiles: run.missingFiles,
          skippedEntries: run.skippedEntries,
          seconds,
          filesPerSecond: run.filesPerSecond,
          queries: run.queries,
        }) + '\n',
      );
    } else if (values.wait) {
      io.err(
        `run ${run.id} ${run.status}: ${run.totalFiles} files — ${run.ingestedFiles} ingested, ${run.invalidFiles} invalid, ` +
          `${run.failedFiles} failed, ${run.skippedFiles} skipped (unchanged)${run.missingFiles ? `, ${run.missingFiles} missing from disk` : ''}\n` +
          (run.skippedEntries ? `  ${run.skippedEntries} entries left out (symlinks, FIFOs, unreadable directories...): see the run's issues\n` : '') +
          `  ${seconds.toFixed(1)} s, ${run.filesPerSecond ? Math.round(run.filesPerSecond) : 0} files/s, ${run.queries} SQL statements (${run.queriesPerFile?.toFixed(4) ?? '-'} per file)\n` +
          (run.error ? `  error: ${run.error}\n` : ''),
      );
    }
    return run.status === 'FAILED' ? EXIT.RUN_FAILED : EXIT.OK;
  } catch (err) {
    if (err instanceof GraphQLRequestError) {
      const refused = err.code === 'UNAUTHENTICATED' || err.code === 'FORBIDDEN';
      io.err(`astroarchive ingest: ${err.message}${refused ? ` (${credentials.sent})` : ''}\n`);
      return EXIT.UNAVAILABLE;
    }
    throw err;
  }
}
