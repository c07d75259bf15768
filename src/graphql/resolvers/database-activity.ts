/**
 * The database's side of "what is running now" (admin only: statement texts, application
 * names and pids say a lot about a deployment, even with their literals stripped).
 */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { requireRole } from '../../auth/access.js';
import { loadDatabaseActivity, loadTopStatements } from '../../db/queries/database-activity.js';
import { badInput } from '../../errors.js';

export const databaseActivityResolvers: Resolvers = {
  Query: {
    databaseActivity: async (_root, _args, ctx) => {
      requireRole(ctx.viewer, 'databaseActivity');
      return loadDatabaseActivity(ctx.database.pool);
    },
    topStatements: async (_root, { first }, ctx) => {
      requireRole(ctx.viewer, 'topStatements');
      const n = first ?? 10;
      if (!Number.isInteger(n) || n < 1 || n > 100) throw badInput('first must be between 1 and 100', 'first');
      const top = await loadTopStatements(ctx.database.pool, n);
      return { available: top.available, reason: top.available ? null : top.reason, statements: top.statements };
    },
  },
};
