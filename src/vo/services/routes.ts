/**
 * HTTP routes of the simple IVOA services, each with its VOSI capabilities and availability:
 *
 *   GET  /scs?RA=&DEC=&SR=[&VERB=&MAXREC=]        Simple Cone Search 1.03 over ivoa.obscore
 *   GET  /scs/<schema>.<table>?RA=&DEC=&SR=       ... over one catalogue table with a position
 *   GET  /ssa?REQUEST=queryData&POS=&SIZE=&...    SSA 1.1 over spectra (getData: a redirect)
 *   GET|POST /sia/query?POS=&BAND=&...            SIA 2.0 over images and cubes
 *   GET|POST /datalink?ID=...                     DataLink 1.1 {links}
 *
 * Every query runs as the caller's TAP role (withTapSession): anonymous callers see published
 * releases only, a bearer token drafts too, and the database enforces it. A token that is
 * present but wrong is refused (401), as everywhere in the archive. Errors are answered the way
 * each standard says: Cone Search and SSA with HTTP 200 and an error VOTable (SCS 1.03 §2.3:
 * INFO name="Error"; SSA: QUERY_STATUS=ERROR), SIA 2.0 and DataLink (DALI) with 400.
 */
import express from 'express';
import type pg from 'pg';
import { authenticate } from '../../auth/bearer.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Logger } from '../../log.js';
import { ArchiveError } from '../../errors.js';
import { publicBaseUrl } from '../../http/public-url.js';
import { describeQueryError, VoUsageError } from '../errors.js';
import { queryRows, streamQuery } from '../stream-query.js';
import { RowBudget } from '../row-budget.js';
import { ServiceBusyError, type SessionGate } from '../session-gate.js';
import { cancelBackend } from '../../db/cancel.js';
import { loadTapCatalogue } from '../tap/catalogue.js';
import { withTapSession, type TapViewer } from '../tap/session.js';
import { createTableEncoder, votableErrorDocument } from '../votable/encoder.js';
import { voFieldForPgType, type VoField } from '../votable/fields.js';
import { BUILTIN_TYPNAMES } from '../votable/pg-types.js';
import { contentTypeOf, parseOutputFormat, type OutputFormat } from '../votable/format.js';
import { DATALINK_CONTENT_TYPE, LINK_FIELDS, datasetsSql, detailsSql, linkRows, parseDatalink, recordIdOf, type DatasetDetails, type DatasetRow } from './datalink.js';
import { ParamError, ServiceParams } from './params.js';
import { asVotable11, parseScs, SCS_MAX_SR, SCS_MAXREC_LIMIT, scsCatalogueSql, scsErrorDocument, scsObscoreSql, type ColumnMeta, type ScsStatement } from './scs.js';
import { parseSia, siaQuerySql } from './sia.js';
import { parseSsa, SSA_MAX_SIZE, SSA_MAXREC_LIMIT, ssaGetDataSql, ssaInputParams, ssaQuerySql } from './ssa.js';
import { availabilityDocument, capabilitiesDocument } from './vosi.js';

const VOTABLE_TYPE = 'application/x-votable+xml';
const PUBLISHER = 'astroarchive';

type Answer = 'scs' | 'ssa' | 'dali';

export interface VoServiceDeps {
  database: Database;
  config: Config;
  logger: Logger;
  /** The process's bound on TAP and simple-service queries at once (shared with the TAP routes). */
  gate?: SessionGate;
}

/** The caller's TAP role: a token (any valid one) sees drafts. */
async function viewerOf(deps: VoServiceDeps, req: express.Request): Promise<TapViewer> {
  const viewer = await authenticate(deps.database, req.headers.authorization);
  return viewer ? 'token' : 'anonymous';
}

/** Answers a failure in the service's own error form; a failure after the answer began ends it. */
function fail(deps: VoServiceDeps, res: express.Response, kind: Answer, thrown: unknown): void {
  // The caller's mistakes the database found (a NUL in a name, rows too large) are theirs to fix.
  const err = describeQueryError(thrown) ?? thrown;
  if (err instanceof ServiceBusyError && !res.headersSent) {
    res.status(503).setHeader('retry-after', String(err.retryAfterS));
    res.type(kind === 'scs' ? 'text/xml' : VOTABLE_TYPE).send(kind === 'scs' ? scsErrorDocument(err.message) : votableErrorDocument(err.message));
    return;
  }
  const usage = err instanceof ParamError || err instanceof VoUsageError;
  const auth = err instanceof ArchiveError && err.code === 'UNAUTHENTICATED';
  const timeout = (err as { code?: string }).code === '57014';
  if (!usage && !auth && !timeout) deps.logger.error({ err }, 'IVOA service request failed');
  if (res.headersSent) {
    res.end();
    return;
  }
  const message = usage || auth ? (err as Error).message : timeout ? 'the query took longer than this service allows: narrow it' : 'internal error (logged on the server)';
  // SCS and SSA clients read errors from the document of a 200 answer; DALI services use 400.
  const status = auth ? 401 : !usage && !timeout ? 500 : kind === 'dali' ? 400 : 200;
  res.status(status).type(kind === 'scs' ? 'text/xml' : VOTABLE_TYPE);
  res.send(kind === 'scs' ? scsErrorDocument(message) : votableErrorDocument(message));
}

function paramsOf(req: express.Request): ServiceParams {
  return ServiceParams.from(req.query as Record<string, unknown>, req.method === 'POST' ? (req.body as Record<string, unknown>) : undefined);
}

/** Fields from the cursor's types and the service's metadata, by output name. */
function describeWith(meta: Map<string, ColumnMeta>, votable11 = false) {
  return (cols: { name: string; typname: string }[]): VoField[] =>
    cols.map((c) => {
      const m = meta.get(c.name) ?? {};
      const given = Object.entries(m).filter(([, v]) => v != null);
      const f = voFieldForPgType(c.name, c.typname, Object.fromEntries(given));
      if (!votable11) return f;
      // VOTable 1.1 has no xtype (a timestamp stays an ISO 8601 string) and no empty integer
      // cell (NULL needs a VALUES null="..." sentinel): integers go out as doubles, exact up
      // to 2^53, and 64-bit ones as their decimal text, exact always.
      delete f.xtype;
      if (f.datatype === 'short' || f.datatype === 'int') f.datatype = 'double';
      if (f.datatype === 'long') Object.assign(f, { datatype: 'char', arraysize: '*' });
      return f;
    });
}

/** Runs one statement in the caller's TAP session and streams it as a VOTable (or CSV/TSV). */
async function stream(
  deps: VoServiceDeps,
  req: express.Request,
  res: express.Response,
  viewer: TapViewer,
  stmt: { sql: string; params: unknown[] },
  o: { format: OutputFormat; maxrec: number; describe: (cols: { name: string; typname: string }[]) => VoField[]; contentType?: string },
): Promise<void> {
  res.status(200).type(o.contentType ?? contentTypeOf(o.format));
  const { maxBatchBytes, maxResultBytes } = deps.config.tapLimits;
  await session(deps, req, viewer, (client) => streamQuery(client, stmt, { format: o.format, maxrec: o.maxrec, out: res, describe: o.describe, maxBatchBytes, maxOutputBytes: maxResultBytes }));
  res.end();
}

/**
 * A cone: one plain statement (LIMIT maxrec + 1; at most SCS_MAXREC_LIMIT rows are held), not
 * a cursor: fewer round trips, and the status is known before the document is written, which
 * Cone Search's VOTable 1.1 needs (1.1 allows no INFO after the TABLE, where a streamed answer
 * says OVERFLOW). Values stay PostgreSQL's text, as streamQuery's do.
 */
async function cone(deps: VoServiceDeps, req: express.Request, res: express.Response, viewer: TapViewer, stmt: ScsStatement, maxrec: number): Promise<void> {
  // Bounded in bytes as a stream's reads are: a catalogue table's rows can be wide.
  const max = deps.config.tapLimits.maxBatchBytes;
  const result = await session(deps, req, viewer, (c) => queryRows(c, stmt, new RowBudget(max, () => cancelBackend(c as unknown as pg.Client))));
  const overflow = result.rows.length > maxrec;
  const fields = describeWith(stmt.meta, true)(result.fields.map((f) => ({ name: f.name, typname: BUILTIN_TYPNAMES[f.dataTypeID] ?? 'text' })));
  const enc = createTableEncoder({ format: 'votable', fields });
  let head = asVotable11(enc.head());
  if (overflow) head = head.replace('<INFO name="QUERY_STATUS" value="OK"/>', '<INFO name="QUERY_STATUS" value="OVERFLOW"/>');
  const body = enc.encodeRows(overflow ? result.rows.slice(0, maxrec) : result.rows);
  res.status(200).type('text/xml;content=x-votable').send(head + body.toString() + enc.tail({ status: 'OK' }));
}

function session<T>(deps: VoServiceDeps, req: express.Request, viewer: TapViewer, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTapSession(deps.database.pool, viewer, { timeoutMs: deps.config.tapLimits.syncTimeoutMs, publicBase: publicBaseUrl(req, deps.config), gate: deps.gate }, fn);
}

/** GET <base>/capabilities and <base>/availability for one service. */
function vosiRoutes(router: express.Router, deps: VoServiceDeps, path: string, capability: (base: string) => Parameters<typeof capabilitiesDocument>[1]): void {
  router.get(`${path}/capabilities`, (req, res) => {
    const root = publicBaseUrl(req, deps.config);
    res.type('text/xml').send(capabilitiesDocument(`${root}${path}`, capability(root)));
  });
  router.get(`${path}/availability`, async (_req, res) => {
    let up = true;
    try {
      await deps.database.pool.query('SELECT 1');
    } catch {
      up = false;
    }
    res.type('text/xml').send(availabilityDocument(up, up ? 'service is accepting queries' : 'the database does not answer'));
  });
}

export function voServicesRouter(deps: VoServiceDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 2000 });
  const maxrecDefault = deps.config.tapLimits.maxrecDefault;

  // ---- Simple Cone Search 1.03
  const scsExtra =
    `    <maxSR>${SCS_MAX_SR}</maxSR>\n    <maxRecords>${SCS_MAXREC_LIMIT}</maxRecords>\n    <verbosity>true</verbosity>\n` +
    '    <testQuery><ra>0</ra><dec>0</dec><sr>0.001</sr></testQuery>\n';
  vosiRoutes(router, deps, '/scs', (root) => ({ standardID: 'ivo://ivoa.net/std/ConeSearch', xsiType: 'cs:ConeSearch', accessURL: `${root}/scs?`, extra: scsExtra }));
  router.get('/scs', async (req, res) => {
    try {
      const q = parseScs(paramsOf(req), maxrecDefault);
      const viewer = await viewerOf(deps, req);
      await cone(deps, req, res, viewer, scsObscoreSql(q), q.maxrec);
    } catch (err) {
      fail(deps, res, 'scs', err);
    }
  });
  router.get('/scs/:table', async (req, res) => {
    try {
      const viewer = await viewerOf(deps, req);
      const name = req.params.table;
      const dot = name.indexOf('.');
      const table = dot > 0 ? (await loadTapCatalogue(deps.database.pool, viewer)).table(name.slice(0, dot), name.slice(dot + 1)) : undefined;
      // Unknown and invisible tables read the same: nothing tells a draft's table exists.
      if (!table || table.schema === 'tap_schema' || table.schema === 'ivoa') {
        res.status(404).type('text/xml').send(scsErrorDocument(`no catalogue table ${JSON.stringify(name)} with a position here (names are <schema>.<table>, as in TAP)`));
        return;
      }
      const q = parseScs(paramsOf(req), maxrecDefault);
      await cone(deps, req, res, viewer, scsCatalogueSql(q, table), q.maxrec);
    } catch (err) {
      fail(deps, res, 'scs', err);
    }
  });

  // ---- SSA 1.1
  vosiRoutes(router, deps, '/ssa', (root) => ({
    standardID: 'ivo://ivoa.net/std/SSA',
    xsiType: 'ssa:SimpleSpectralAccess',
    accessURL: `${root}/ssa?`,
    version: '1.1',
    extra:
      '    <complianceLevel>query</complianceLevel>\n    <dataSource>pointed</dataSource>\n    <creationType>archival</creationType>\n' +
      `    <supportedFrame>ICRS</supportedFrame>\n    <maxSearchRadius>${SSA_MAX_SIZE / 2}</maxSearchRadius>\n` +
      `    <maxRecords>${SSA_MAXREC_LIMIT}</maxRecords>\n    <defaultMaxRecords>${maxrecDefault}</defaultMaxRecords>\n` +
      '    <maxAperture>360</maxAperture>\n    <testQuery><queryDataCmd>REQUEST=queryData&amp;FORMAT=ALL&amp;MAXREC=1</queryDataCmd></testQuery>\n',
  }));
  router.get('/ssa', async (req, res) => {
    try {
      const q = parseSsa(paramsOf(req), maxrecDefault);
      const viewer = await viewerOf(deps, req);
      if (q.request === 'getData') {
        const stmt = ssaGetDataSql(q.pubDids[0]);
        const rows = await session(deps, req, viewer, async (c) => (await c.query<{ access_url: string }>(stmt.sql, stmt.params)).rows);
        if (!rows[0]) throw new ParamError(`PUBDID: no spectrum ${q.pubDids[0]} here, or none this caller may see`);
        res.redirect(303, rows[0].access_url);
        return;
      }
      const stmt = ssaQuerySql(q, PUBLISHER);
      if (q.metadata) {
        // The interface's description: its inputs as PARAMs, the fields, no rows (SSA 1.1 §8.1.2).
        const enc = createTableEncoder({ format: 'votable', fields: stmt.fields });
        const head = enc.head().replace('<TABLE', `${ssaInputParams()}<TABLE`);
        res.status(200).type(VOTABLE_TYPE).send(head + enc.encodeRows([]).toString() + enc.tail({ status: 'OK' }));
        return;
      }
      await stream(deps, req, res, viewer, stmt, { format: 'votable', maxrec: q.maxrec, describe: () => stmt.fields, contentType: VOTABLE_TYPE });
    } catch (err) {
      fail(deps, res, 'ssa', err);
    }
  });

  // ---- SIA 2.0
  vosiRoutes(router, deps, '/sia', (root) => ({ standardID: 'ivo://ivoa.net/std/SIA#query-2.0', accessURL: `${root}/sia/query`, version: '2.0' }));
  const sia = async (req: express.Request, res: express.Response) => {
    try {
      const params = paramsOf(req);
      const format = parseOutputFormat(params.one('RESPONSEFORMAT'));
      const q = parseSia(params, maxrecDefault);
      const viewer = await viewerOf(deps, req);
      const obscore = (await loadTapCatalogue(deps.database.pool, viewer)).table('ivoa', 'obscore');
      const meta = new Map<string, ColumnMeta>((obscore?.columns ?? []).map((c) => [c.name, { ucd: c.ucd, unit: c.unit, utype: c.utype, description: c.description, xtype: c.xtype }]));
      await stream(deps, req, res, viewer, siaQuerySql(q), { format, maxrec: q.maxrec, describe: describeWith(meta) });
    } catch (err) {
      fail(deps, res, 'dali', err);
    }
  };
  router.get('/sia/query', sia);
  router.post('/sia/query', form, sia);

  // ---- DataLink 1.1
  vosiRoutes(router, deps, '/datalink', (root) => ({ standardID: 'ivo://ivoa.net/std/DataLink#links-1.1', accessURL: `${root}/datalink`, version: '1.1' }));
  const datalink = async (req: express.Request, res: express.Response) => {
    try {
      const params = paramsOf(req);
      const fmt = params.one('RESPONSEFORMAT');
      if (fmt !== undefined && parseOutputFormat(fmt) !== 'votable') throw new VoUsageError('RESPONSEFORMAT: DataLink answers are TABLEDATA VOTables only');
      const { ids } = parseDatalink(params);
      const viewer = await viewerOf(deps, req);
      const recordIds = [...new Set(ids.map(recordIdOf).filter((n): n is number => n !== null))];
      const found = new Map<string, DatasetRow>();
      if (recordIds.length) {
        const stmt = datasetsSql(recordIds);
        const rows = await session(deps, req, viewer, async (c) => (await c.query<DatasetRow>(stmt.sql, stmt.params)).rows);
        for (const r of rows) found.set(r.obs_publisher_did, r);
      }
      // Only records the caller's role returned: the details of nothing else are read.
      const details = new Map<number, DatasetDetails>();
      const visible = [...found.values()].map((r) => Number(r.record_id));
      if (visible.length) {
        const stmt = detailsSql(visible);
        const { rows } = await deps.database.pool.query(stmt.sql, stmt.params);
        for (const r of rows) details.set(Number(r.record_id), { sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes), tables: r.tables });
      }
      const enc = createTableEncoder({ format: 'votable', fields: LINK_FIELDS });
      const body = linkRows(ids, found, details, publicBaseUrl(req, deps.config));
      res.status(200).type(DATALINK_CONTENT_TYPE).send(enc.head() + enc.encodeRows(body).toString() + enc.tail({ status: 'OK' }));
    } catch (err) {
      fail(deps, res, 'dali', err);
    }
  };
  router.get('/datalink', datalink);
  router.post('/datalink', form, datalink);
  return router;
}
