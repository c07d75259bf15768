/**
 * Bearer tokens, admin only: mint (the secret is in this one response), list, revoke. No
 * field ever carries a token's hash: the hash is what a request is checked against, so it
 * is as good as the secret to anyone able to send it straight to the database.
 */
import type { GqlResolvers as Resolvers, GqlToken } from '../../__generated__/resolvers-types.js';
import { requireRole } from '../../auth/access.js';
import { createToken, listTokens, revokeToken, type TokenRecord } from '../../auth/tokens.js';
import { notFound } from '../../errors.js';
import { parseId } from '../ids.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toToken(t: TokenRecord): GqlToken {
  return {
    id: String(t.id),
    name: t.name,
    role: t.role,
    createdAt: t.createdAt.toISOString(),
    expiresAt: iso(t.expiresAt),
    revokedAt: iso(t.revokedAt),
    lastUsedAt: iso(t.lastUsedAt),
  };
}

export const tokenResolvers: Resolvers = {
  Query: {
    tokens: async (_root, _args, ctx) => {
      requireRole(ctx.viewer, 'tokens');
      return (await listTokens(ctx.database)).map(toToken);
    },
  },
  Mutation: {
    createToken: async (_root, { name, role, expiresInDays }, ctx) => {
      requireRole(ctx.viewer, 'createToken');
      const t = await createToken(ctx.database, name, role, { expiresInDays });
      return { id: String(t.id), name: t.name, role: t.role, token: t.token, expiresAt: iso(t.expiresAt) };
    },
    revokeToken: async (_root, { id }, ctx) => {
      requireRole(ctx.viewer, 'revokeToken');
      const row = await revokeToken(ctx.database, parseId(id, 'id'));
      if (!row) throw notFound(`no token ${id}; Query.tokens lists them`);
      return toToken(row);
    },
  },
};
