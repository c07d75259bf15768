/**
 * What the ingestion dashboard lists: recent runs (visible ones: anonymous callers see runs of
 * published releases), a run's throughput over its life, and the captured profiles (admin).
 */
import DataLoader from 'dataloader';
import { desc, eq } from 'drizzle-orm';
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { canSeeDrafts, requireRole } from '../../auth/access.js';
import { loadRunThroughput, type ThroughputPoint } from '../../db/queries/run-throughput.js';
import { ingestionRuns, releases } from '../../db/schema.js';
import { badInput } from '../../errors.js';
import { listProfiles } from '../../monitor/profile-requests.js';
import type { GraphQLContext } from '../context.js';
import { toProfile } from './monitor.js';

function firstOf(first: number | null | undefined, dflt: number, max: number, name = 'first'): number {
  const n = first ?? dflt;
  if (!Number.isInteger(n) || n < 1 || n > max) throw badInput(`${name} must be between 1 and ${max}`, name);
  return n;
}

/** `IngestionRun.throughput`: one statement for every run of a request asking with the same `points`. */
const throughputLoaders = new WeakMap<GraphQLContext, Map<number, DataLoader<number, ThroughputPoint[]>>>();
function throughput(ctx: GraphQLContext, runId: number, points: number): Promise<ThroughputPoint[]> {
  let byPoints = throughputLoaders.get(ctx);
  if (!byPoints) throughputLoaders.set(ctx, (byPoints = new Map()));
  let loader = byPoints.get(points);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const m = await loadRunThroughput(ctx.database.pool, ids, points);
      return ids.map((id) => m.get(id) ?? []);
    });
    byPoints.set(points, loader);
  }
  return loader.load(runId);
}

export const ingestDashboardResolvers: Resolvers = {
  Query: {
    ingestionRuns: async (_root, { first }, ctx) => {
      const n = firstOf(first, 20, 100);
      const q = ctx.database.db.select({ run: ingestionRuns }).from(ingestionRuns).innerJoin(releases, eq(releases.id, ingestionRuns.releaseId));
      const rows = await (canSeeDrafts(ctx.viewer) ? q : q.where(eq(releases.status, 'published'))).orderBy(desc(ingestionRuns.id)).limit(n);
      return rows.map((r) => r.run);
    },
    profiles: async (_root, { first }, ctx) => {
      requireRole(ctx.viewer, 'profiles');
      return (await listProfiles(ctx.database, firstOf(first, 20, 100))).map((row) => toProfile(row, ctx.config));
    },
  },
  IngestionRun: {
    throughput: (run, { points }, ctx) => throughput(ctx, run.id, firstOf(points, 60, 500, 'points')),
  },
};
