/** The caller's identity and minting tokens. */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { requireRole } from '../../auth/access.js';
import { createToken } from '../../auth/tokens.js';

export const viewerResolvers: Resolvers = {
  Query: {
    viewer: (_root, _args, ctx) => (ctx.viewer ? { tokenName: ctx.viewer.tokenName, role: ctx.viewer.role } : null),
  },
  Mutation: {
    createToken: (_root, { name, role }, ctx) => {
      requireRole(ctx.viewer, 'createToken');
      return createToken(ctx.database, name, role);
    },
  },
};
