/** The caller's identity (minting and revoking tokens: ./tokens.ts). */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';

export const viewerResolvers: Resolvers = {
  Query: {
    viewer: (_root, _args, ctx) => (ctx.viewer ? { tokenName: ctx.viewer.tokenName, role: ctx.viewer.role } : null),
  },
};
