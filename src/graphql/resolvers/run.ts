/** Ingestion runs: progress counters and the rates derived from them. */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { requireRole } from '../../auth/access.js';
import { badInput } from '../../errors.js';
import { retryFailed } from '../../ingest/retry.js';
import { submitIngest } from '../../ingest/submit.js';
import { parseId } from '../ids.js';
import type { RunModel } from '../models.js';
import { ifVisible } from '../visibility.js';
import type { GraphQLContext } from '../context.js';
import DataLoader from 'dataloader';
import { loadRunIssues, type RunIssueRow } from '../../db/queries/run-issues.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Seconds from start to finish (or to now, while running); null before the run started. */
function elapsedSeconds(run: RunModel): number | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ?? new Date();
  return (end.getTime() - run.startedAt.getTime()) / 1000;
}

interface SlowFileRow {
  path: string;
  stage: string;
  seconds: number;
}

/**
 * `IngestionRun.issues`: one statement for every run of a request that asks with the same
 * `first` (a release's runs list costs one, not one per run).
 */
const issueLoaders = new WeakMap<GraphQLContext, Map<number, DataLoader<number, RunIssueRow[]>>>();
function runIssues(ctx: GraphQLContext, runId: number, first: number): Promise<RunIssueRow[]> {
  let byFirst = issueLoaders.get(ctx);
  if (!byFirst) issueLoaders.set(ctx, (byFirst = new Map()));
  let loader = byFirst.get(first);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = await loadRunIssues(ctx.database.pool, ids, first);
      const byRun = new Map<number, RunIssueRow[]>(ids.map((id) => [id, []]));
      for (const r of rows) byRun.get(r.runId)?.push(r);
      return ids.map((id) => byRun.get(id)!);
    });
    byFirst.set(first, loader);
  }
  return loader.load(runId);
}

export const runResolvers: Resolvers = {
  Query: {
    ingestionRun: async (_root, { id }, ctx) => ifVisible(ctx, await ctx.loaders.runById.load(parseId(id, 'id'))),
  },
  Mutation: {
    ingestRelease: (_root, { input }, ctx) => {
      requireRole(ctx.viewer, 'ingestRelease', 'ingest');
      return submitIngest(ctx.database, ctx.config.dataRoot, input);
    },
    retryFailed: async (_root, { runId }, ctx) => {
      requireRole(ctx.viewer, 'retryFailed', 'ingest');
      // retryFailed answers NOT_FOUND for an unknown run, CONFLICT for an active one.
      return retryFailed(ctx.database, parseId(runId, 'runId'));
    },
  },
  IngestionRun: {
    release: async (run, _args, ctx) => (await ctx.loaders.releaseById.load(run.releaseId))!,
    // Loads may end before the statement counting them commits (run-fragments.ts, loadsDone).
    catalogueLoadsPending: (run) => Math.max(0, run.catalogueLoads - run.catalogueLoadsDone),
    startedAt: (run) => iso(run.startedAt),
    finishedAt: (run) => iso(run.finishedAt),
    filesPerSecond: (run) => {
      const seconds = elapsedSeconds(run);
      return seconds === null || seconds <= 0 ? null : run.processedFiles / seconds;
    },
    queriesPerFile: (run) => (run.processedFiles === 0 ? null : run.queries / Math.max(run.processedFiles, 1)),
    stages: (run) =>
      Object.entries((run.stageSeconds ?? {}) as Record<string, number>).map(([name, seconds]) => ({ name, seconds: Number(seconds) })),
    slowestFiles: (run, { limit }) => {
      const n = limit ?? 10;
      if (n < 0) throw badInput('limit must be 0 or more', 'limit');
      const rows = Array.isArray(run.slowestFiles) ? (run.slowestFiles as SlowFileRow[]) : [];
      return rows.slice(0, n);
    },
    issues: (run, { first }, ctx) => {
      const n = first ?? 100;
      if (n < 0 || n > 1000) throw badInput('first must be between 0 and 1000', 'first');
      return n === 0 ? [] : runIssues(ctx, run.id, n);
    },
  },
};
