/**
 * The API benchmark's reference server: PostGraphile 5 (Amber preset, grafserv on node:http)
 * over the archive's own database, run as a child process of the bench so that its RSS is
 * its own. Started by run-api.ts as `node --import tsx postgraphile-server.ts` (the same
 * loader our server runs under), with DATABASE_URL and PORT (0: any free port). Prints one
 * JSON line `{"port":N}` on stdout when it listens.
 *
 * The archive's per-file tables have no foreign keys (README: an FK check per row was ~30% of
 * PostgreSQL's CPU per spectrum), so PostGraphile would see no relations; smart tags declare
 * them (RELATIONS below), which is how PostGraphile documents doing it.
 *
 * `GET /__bench/statements` answers `{"statements":N}`: every statement this process sent
 * (pg Client#query calls, counted below), so the bench can count a request's statements as
 * it does ours with `x-astroarchive-trace: 1`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

// PostGraphile 5 / grafast use Promise.withResolvers (ES2024), which Node 20 lacks: the
// standard polyfill, installed before postgraphile is imported (hence the dynamic imports).
const P = Promise as unknown as { withResolvers?: () => unknown };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (v: T | PromiseLike<T>) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** Relations our schema leaves undeclared, as PostGraphile smart tags (`@foreignKey`). */
export const RELATIONS = {
  files: ['(release_id) references releases (id)'],
  records: ['(file_id) references files (id)', '(source_id) references sources (id)', '(release_id) references releases (id)'],
  hdus: ['(file_id) references files (id)'],
  validation_issues: ['(file_id) references files (id)'],
};

let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const { postgraphile } = await import('postgraphile');
const { PostGraphileAmberPreset } = await import('postgraphile/presets/amber');
const { makePgService } = await import('postgraphile/adaptors/pg');
const { grafserv } = await import('postgraphile/grafserv/node');
const { jsonPgSmartTags } = await import('postgraphile/utils');

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('postgraphile-server: DATABASE_URL is not set');

// Amber offers `condition` on indexed columns only; Q1 and Q2 ask for a release's spectra,
// so `files.kind` is made filterable too (unindexed on both sides: the same scan for both).
const classes: Record<string, { tags: Record<string, string[]>; attribute?: Record<string, { tags: Record<string, string> }> }> =
  Object.fromEntries(Object.entries(RELATIONS).map(([table, fks]) => [table, { tags: { foreignKey: fks } }]));
classes.files.attribute = { kind: { tags: { behavior: '+filterBy' } } };
const tags = jsonPgSmartTags({ version: 1, config: { class: classes } });

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [tags],
  pgServices: [makePgService({ connectionString, schemas: ['public'] })],
  grafserv: { graphqlPath: '/graphql', watch: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const handle = serv.createHandler();
const server = http.createServer((req, res) => {
  if (req.url === '/__bench/statements') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statements }));
    return;
  }
  handle(req, res, () => {
    res.writeHead(404);
    res.end();
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + '\n');
});
// Built on the first request otherwise: build it now so that startup is not billed to a query.
await pgl.getSchemaResult();

const stop = () => {
  server.close();
  server.closeAllConnections();
  void Promise.resolve(pgl.release()).finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
