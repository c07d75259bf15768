/**
 * Measured from inside (issue 5): live processes, what their jobs are doing, and profiles a
 * process captures of itself on request. All of it needs an admin token: process ids, file
 * paths and profiles say a lot about a deployment.
 */
import { GraphQLError } from 'graphql';
import type { GqlResolvers as Resolvers, GqlProfile } from '../../__generated__/resolvers-types.js';
import { requireRole } from '../../auth/access.js';
import type { Config } from '../../config.js';
import { badInput } from '../../errors.js';
import { localProfileProcessId } from '../../monitor/profile-listener.js';
import {
  flattenActivity,
  liveProcesses,
  loadProfile,
  ProfileFailedError,
  ProfilePendingError,
  profileUrl,
  requestProfile,
  type ProfileRow,
} from '../../monitor/profile-requests.js';
import { parseId } from '../ids.js';

export function toProfile(row: ProfileRow, config: Config): GqlProfile {
  return {
    id: String(row.id),
    processId: row.processId,
    kind: row.kind,
    seconds: row.seconds,
    sampleCount: row.sampleCount ?? 0,
    url: profileUrl(config, row.id, row.kind),
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    error: row.error,
    topFunctions: (row.topFunctions ?? []).map((f) => ({ ...f, file: f.file ?? null, line: f.line ?? null })),
  };
}

export const monitorResolvers: Resolvers = {
  Query: {
    processes: async (_root, _args, ctx) => {
      requireRole(ctx.viewer, 'processes');
      return (await liveProcesses(ctx.database)).map((p) => ({
        id: p.id,
        role: p.role,
        host: p.host,
        pid: p.pid,
        startedAt: p.startedAt.toISOString(),
        lastSeenAt: p.lastSeenAt.toISOString(),
      }));
    },
    activity: async (_root, _args, ctx) => {
      requireRole(ctx.viewer, 'activity');
      return flattenActivity(await liveProcesses(ctx.database));
    },
    profile: async (_root, { id }, ctx) => {
      requireRole(ctx.viewer, 'profile');
      const row = await loadProfile(ctx.database, parseId(id, 'id'));
      return row ? toProfile(row, ctx.config) : null;
    },
  },
  Mutation: {
    captureProfile: async (_root, { seconds, target, kind }, ctx) => {
      requireRole(ctx.viewer, 'captureProfile');
      const to = target ?? localProfileProcessId();
      if (!to) throw badInput('this API process runs no profile listener; name a process with `target` (see Query.processes)', 'target');
      try {
        const row = await requestProfile(ctx.database, { seconds, target: to, kind: kind ?? 'CPU' });
        return toProfile(row, ctx.config);
      } catch (err) {
        if (err instanceof ProfileFailedError) throw new GraphQLError(err.message, { extensions: { code: 'PROFILE_FAILED' } });
        if (err instanceof ProfilePendingError) {
          // Not a failure: say where the profile will be, so the caller can fetch it later.
          const url = profileUrl(ctx.config, err.profileId, err.kind);
          throw new GraphQLError(`${err.message}: it will appear at ${url} (HTTP 409 until then); Query.profile(id: "${err.profileId}") reads it`, {
            extensions: { code: 'PROFILE_PENDING', profileId: String(err.profileId), url },
          });
        }
        throw err;
      }
    },
  },
};
