/**
 * `tokens [list] | tokens create <name> --role admin|ingest [--expires-in-days N] | tokens
 * revoke <id>`: manage bearer tokens through the API (Query.tokens, createToken, revokeToken).
 * `create` prints the secret alone on stdout, so `TOKEN=$(astroarchive tokens create ...)`
 * works; everything else goes to stderr or is a table.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { cliToken, createGraphQLClient, defaultGraphQLUrl, GraphQLRequestError } from '../graphql-client.js';
import { EXIT, intOption, UsageError, type CliIo } from '../io.js';

const HELP = `Usage: astroarchive tokens [list] [--json] [--url <graphql url>]
       astroarchive tokens create <name> --role admin|ingest [--expires-in-days N] [--url <graphql url>]
       astroarchive tokens revoke <id> [--url <graphql url>]

List, mint and revoke bearer tokens. Tokens are stored hashed: the secret is printed once,
by \`create\` (alone on stdout). A revoked or expired token is refused (HTTP 401) at once.

  --role             admin (everything) or ingest (start and retry ingests, see drafts)
  --expires-in-days  1 to 3650; without it the token is valid until revoked
  --json             list as JSON
  --url              GraphQL endpoint (default http://HOST:PORT/graphql from the environment)

Needs an admin token: ARCHIVE_TOKEN, or ARCHIVE_HOME/admin-token.`;

interface TokenView {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const FIELDS = 'id name role createdAt expiresAt revokedAt lastUsedAt';

function state(t: TokenView, now: number): string {
  if (t.revokedAt) return `revoked ${t.revokedAt.slice(0, 10)}`;
  if (t.expiresAt && Date.parse(t.expiresAt) <= now) return `expired ${t.expiresAt.slice(0, 10)}`;
  return t.expiresAt ? `until ${t.expiresAt.slice(0, 10)}` : 'active';
}

function table(tokens: TokenView[]): string {
  const now = Date.now();
  const head = ['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED', 'STATE'];
  const rows = tokens.map((t) => [t.id, t.name, t.role, t.createdAt.slice(0, 10), t.lastUsedAt ? t.lastUsedAt.slice(0, 16).replace('T', ' ') : 'never', state(t, now)]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd()).join('\n') + '\n';
}

export async function tokensCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      role: { type: 'string' },
      'expires-in-days': { type: 'string' },
      json: { type: 'boolean' },
      url: { type: 'string' },
    },
  });
  if (values.help) {
    io.out(HELP + '\n');
    return EXIT.OK;
  }
  const [action = 'list', arg, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const config = loadConfig(io.env, io.cwd);
  const client = createGraphQLClient(values.url ?? defaultGraphQLUrl(config), cliToken(config));
  try {
    if (action === 'list') {
      const { tokens } = await client.request<{ tokens: TokenView[] }>(`query Tokens { tokens { ${FIELDS} } }`);
      io.out(values.json ? JSON.stringify(tokens) + '\n' : table(tokens));
      return EXIT.OK;
    }
    if (action === 'create') {
      if (!arg) throw new UsageError('tokens create needs a name: who or what will use the token');
      const role = values.role;
      if (role !== 'admin' && role !== 'ingest') throw new UsageError('--role must be admin or ingest');
      const days = intOption('--expires-in-days', values['expires-in-days'], 1, 3650) ?? null;
      const { createToken: t } = await client.request<{ createToken: { id: string; name: string; role: string; token: string; expiresAt: string | null } }>(
        `mutation CreateToken($name: String!, $role: TokenRole!, $days: Int) { createToken(name: $name, role: $role, expiresInDays: $days) { id name role token expiresAt } }`,
        { name: arg, role, days },
      );
      io.err(`token ${t.id} "${t.name}" (${t.role}) ${t.expiresAt ? `valid until ${t.expiresAt}` : 'valid until revoked'}; it cannot be shown again:`);
      io.out(t.token + '\n');
      return EXIT.OK;
    }
    if (action === 'revoke') {
      if (!arg) throw new UsageError('tokens revoke needs a token id (see astroarchive tokens)');
      const { revokeToken: t } = await client.request<{ revokeToken: TokenView }>(`mutation RevokeToken($id: ID!) { revokeToken(id: $id) { ${FIELDS} } }`, { id: arg });
      io.out(`token ${t.id} "${t.name}" revoked at ${t.revokedAt}\n`);
      return EXIT.OK;
    }
    throw new UsageError(`unknown action "${action}": list, create or revoke`);
  } catch (err) {
    if (err instanceof GraphQLRequestError) {
      io.err(`astroarchive tokens: ${err.message}\n`);
      return EXIT.UNAVAILABLE;
    }
    throw err;
  }
}
