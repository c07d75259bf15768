/**
 * Loads every table of one catalogue file into its release's schema (`<survey>_<release>`):
 * plan the tables on a thread, then per table: a fresh staging table, COPY (FORMAT binary) of
 * the rows the thread encodes, indexes, sources of the id column, and the swap (one
 * transaction: the old table dropped, the staging table renamed, the registry row written).
 *
 * A table whose registry row already carries the file's checksum is left alone: re-ingesting
 * unchanged bytes loads nothing. A table that cannot be loaded (a TFORM with no column type,
 * a ragged CSV, a value past its type, too many columns, anything PostgreSQL refuses) is an
 * issue on the file naming the HDU and column, and the file is INVALID; its staging table is
 * dropped and the table loaded before, if any, stays. Only a failure of the archive itself
 * (the database gone, the thread dead) fails the job, which then reruns from the start (and
 * after its last attempt, jobs/load_catalogue.ts marks the file FAILED).
 */
import path from 'node:path';
import type pg from 'pg';
import { loadCatalogueFile } from '../db/queries/catalogue-file.js';
import { endCatalogueLoad, type LoadIssue } from '../db/queries/catalogue-load-end.js';
import { createSchema, createStaging, dropStaging, dropTables, indexStaging, linkSources, stagingName, swapIn } from '../db/queries/catalogue-swap.js';
import { compileRules, DEFAULT_RULES } from '../ingest/rules.js';
import { LoadProblem } from './copy-binary.js';
import { copyFrom } from './copy-in.js';
import { LoadReader } from './load-reader.js';
import { schemaName, quoteIdent } from './names.js';
import { LOAD_ISSUE, type TablePlan } from './plan.js';

export interface LoadOptions {
  /** The run that queued this load: it ends this load in its count (catalogue-load-end.ts). */
  runId?: number | null;
  /** Bytes of COPY data per chunk (default 1 MiB). */
  chunkBytes?: number;
  /** Test hook: runs inside the swap transaction, before COMMIT (a throw there is a crash mid-swap). */
  beforeCommit?: (plan: TablePlan) => Promise<void>;
  onStage?: (stage: string) => void;
}

export interface TableOutcome {
  hdu: number;
  table: string | null;
  rows: number;
  status: 'loaded' | 'unchanged' | 'rejected';
}

export interface FileLoadResult {
  tables: TableOutcome[];
}

export async function loadCatalogue(pool: pg.Pool, fileId: number, opts: LoadOptions = {}): Promise<FileLoadResult> {
  const client = await pool.connect();
  // One load of a file at a time (a re-ingest can queue a new job while one still runs): the
  // second waits, then finds the table loaded from the same checksum. A session lock, so a
  // dead process's lock goes with its connection.
  const key = fileId % 2147483647;
  let broken: Error | undefined;
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('catalogue file'), $1::int)`, [key]);
    try {
      return await loadTables(pool, client, fileId, opts);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext('catalogue file'), $1::int)`, [key]).catch((err: Error) => (broken = err));
    }
  } finally {
    client.release(broken);
  }
}

async function loadTables(pool: pg.Pool, client: pg.PoolClient, fileId: number, opts: LoadOptions): Promise<FileLoadResult> {
  const file = await loadCatalogueFile(pool, fileId);
  if (!file || file.kind !== 'CATALOGUE' || file.root === null || file.recordId === null) {
    // Nothing to load (the file changed kind or went away), but the run still counts the load.
    await endCatalogueLoad(pool, { fileId, runId: opts.runId ?? null, issues: [], status: null });
    return { tables: [] };
  }
  const rule = compileRules(file.rules ?? DEFAULT_RULES).ruleFor(file.path);
  const schema = schemaName(file.survey, file.release);
  const reader = new LoadReader();
  const issues: LoadIssue[] = [];
  const outcomes: TableOutcome[] = [];
  try {
    opts.onStage?.('plan');
    const plans = await reader.plan(path.join(file.root, file.path), file.path, rule.catalogue);
    // CSV has no HDU: its issues say so with a null HDU (its registry row uses 0).
    const hduOf = (plan: TablePlan) => (plans.length === 1 && plan.hdu === 0 ? null : plan.hdu);
    for (const plan of plans) {
      for (const n of plan.notes) issues.push({ ...n, hdu: hduOf(plan) });
      const before = file.loaded.find((t) => t.hdu === plan.hdu);
      if (plan.rejected) {
        issues.push({ ...plan.rejected, hdu: hduOf(plan) });
        outcomes.push({ hdu: plan.hdu, table: before?.tableName ?? null, rows: 0, status: 'rejected' });
        continue;
      }
      if (before && file.checksum !== null && before.checksum === file.checksum && before.schemaName === schema) {
        outcomes.push({ hdu: plan.hdu, table: before.tableName, rows: plan.rowCount, status: 'unchanged' });
        continue;
      }
      const staging = stagingName(file.id, plan.hdu);
      const sky = plan.raColumn !== null;
      try {
        opts.onStage?.('copy');
        await createSchema(client, schema);
        const fields = ['_row', ...(sky ? ['_hpx'] : []), ...plan.columns.map((c) => c.sqlName)].map(quoteIdent).join(', ');
        // The staging table is created in the COPY's own transaction, so the COPY can FREEZE
        // its rows: written visible to all, the index builds that read them next do not set
        // every tuple's hint bits (a write of every page, with data checksums a full-page
        // image in the WAL after a checkpoint), nor does the first VACUUM have to freeze them;
        // with wal_level=minimal the rows skip the WAL altogether. A failed COPY takes the
        // table with it.
        let rows: number;
        await client.query('BEGIN');
        try {
          await createStaging(client, schema, staging, plan.columns, sky, false);
          rows = await copyFrom(client, `COPY ${quoteIdent(schema)}.${quoteIdent(staging)} (${fields}) FROM STDIN (FORMAT binary, FREEZE)`, reader.chunks(plan.hdu, opts.chunkBytes));
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
        opts.onStage?.('index');
        await indexStaging(client, schema, staging, plan.raColumn && plan.decColumn ? { ra: plan.raColumn, dec: plan.decColumn } : null, plan.idColumn, pool);
        if (plan.idColumn) await linkSources(client, schema, staging, plan.idColumn);
        const columns = plan.columns.map((c, i) => ({ ...c, ...reader.lastStats[i] }));
        opts.onStage?.('swap');
        const table = await swapIn(
          client,
          staging,
          plan.baseName,
          {
            recordId: file.recordId,
            fileId: file.id,
            releaseId: file.releaseId,
            hdu: plan.hdu,
            schema,
            columns,
            rowCount: rows,
            raColumn: plan.raColumn,
            decColumn: plan.decColumn,
            idColumn: plan.idColumn,
            checksum: file.checksum,
          },
          opts.beforeCommit && (() => opts.beforeCommit!(plan)),
        );
        outcomes.push({ hdu: plan.hdu, table: `${schema}.${table}`, rows, status: 'loaded' });
      } catch (err) {
        await dropStaging(client, schema, staging).catch(() => undefined);
        const problem = describe(err);
        if (!problem) throw err;
        issues.push({ severity: 'ERROR', code: problem.code, message: problem.message, hdu: hduOf(plan), keyword: problem.column });
        outcomes.push({ hdu: plan.hdu, table: before?.tableName ?? null, rows: 0, status: 'rejected' });
      }
    }
    // Tables of HDUs the file no longer has (a new version of it).
    const gone = file.loaded.filter((t) => !plans.some((p) => p.hdu === t.hdu));
    await dropTables(client, file.id, gone);
    // A rejected table makes the file INVALID: its status says that not all its tables are there.
    const rejected = issues.some((i) => i.severity === 'ERROR');
    await endCatalogueLoad(pool, { fileId: file.id, runId: opts.runId ?? null, issues, status: rejected ? 'INVALID' : null });
    return { tables: outcomes };
  } finally {
    await reader.close();
  }
}

/**
 * A problem with the data (an issue on the file) rather than with the archive (the job fails
 * and reruns): our own LoadProblems, and PostgreSQL refusing the rows themselves (data
 * exceptions, class 22; program limits, class 54, e.g. a row too big for a page).
 */
function describe(err: unknown): { code: string; message: string; column: string | null } | null {
  if (err instanceof LoadProblem) return { code: err.code, message: err.message, column: err.column };
  const code = (err as { code?: string }).code;
  if (typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'))) {
    return { code: LOAD_ISSUE.NOT_LOADED, message: `PostgreSQL refused the table's rows (${code}): ${(err as Error).message}; the table is not loaded`, column: (err as { column?: string }).column ?? null };
  }
  return null;
}
