/**
 * Relations carried in their parent's statement. When the operation selects File.record,
 * File.issues, File.hdus, Record.source or Record.file, the statements that load files or
 * records add one JSON column per relation (a correlated subquery over the same indexes the
 * relation's own loader would use), and each row's relations are primed into their loaders.
 * A nested page then costs one statement for all its levels instead of one per level: on a
 * 2-core machine, each statement's round trip (a write, a wake-up of the server process, the
 * reply) cost more of our CPU than parsing its rows (README, "API benchmark").
 *
 * The rows are what the relation's loader would return: the same columns (narrowed the same
 * way), the same order (issues by id, HDUs by index). JSON numbers, strings, booleans and
 * arrays are what pg's parsers give for these columns (ids are parsed as numbers there too).
 */
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import { files, hdus, records, sources, validationIssues } from '../db/schema.js';
import type { SelectedFields } from '../graphql/selection.js';

/** What a loader adds to its SELECT list, and what it does with each row it gets back. */
export interface Embeds {
  /** `, (...) AS "__record", ...`, or '' */
  sql: string;
  /** Takes the embedded relations off `row` (left undefined) and primes their loaders. */
  take(row: Record<string, unknown>): void;
}

/** The loaders embedded relations are primed into. */
export interface Primers {
  record(fileId: number, record: Record<string, unknown> | null): void;
  source(id: number, source: Record<string, unknown> | null): void;
  issues(fileId: number, issues: Record<string, unknown>[]): void;
  hdus(fileId: number, hdus: Record<string, unknown>[]): void;
  file(id: number, file: Record<string, unknown> | null): void;
}

/** `json_build_object('prop', alias."col", ...)` for `props` of `table` (plus `extra` pairs). */
function jsonObject(table: Table, alias: string, props: readonly string[], extra = ''): string {
  const columns = getTableColumns(table);
  const pairs = props.map((p) => `'${p}', ${alias}."${columns[p].name}"`);
  return `json_build_object(${pairs.join(', ')}${extra})`;
}

const allProps = (table: Table) => Object.keys(getTableColumns(table));
const SOURCE_PROPS = ['id', 'name'];
const sourceJson = (ref: string) => `(SELECT ${jsonObject(sources, 'src_e', SOURCE_PROPS)} FROM sources src_e WHERE src_e.id = ${ref})`;

/** What an operation's embeds are, whichever request runs it: the SQL, and how to take each row apart. */
interface Plan {
  sql: string;
  takers: Taker[];
}
type Taker = (row: Record<string, unknown>, prime: Primers) => void;

/**
 * Plans per operation (SelectedFields is made once per document) and carried columns: the SQL
 * text is built once, not on every request (a request only binds its primers).
 */
const plans = new WeakMap<SelectedFields, Map<string, Map<readonly string[], Plan>>>();

function planned(kind: string, selected: SelectedFields | undefined, props: readonly string[], make: () => Plan, prime: Primers): Embeds {
  let plan: Plan | undefined;
  if (selected) {
    let perKind = plans.get(selected);
    if (!perKind) plans.set(selected, (perKind = new Map()));
    let perProps = perKind.get(kind);
    if (!perProps) perKind.set(kind, (perProps = new Map()));
    plan = perProps.get(props);
    if (!plan) perProps.set(props, (plan = make()));
  } else {
    plan = make();
  }
  const { sql, takers } = plan;
  if (takers.length === 0) return { sql, take: () => {} };
  return {
    sql,
    take: (row) => {
      for (const t of takers) t(row, prime);
    },
  };
}

/** Relations of a file row `f` the operation selects. `recordProps`: the record columns to carry. */
export function fileEmbeds(selected: SelectedFields | undefined, recordProps: readonly string[], prime: Primers): Embeds {
  return planned('File', selected, recordProps, () => filePlan(selected, recordProps), prime);
}

function filePlan(selected: SelectedFields | undefined, recordProps: readonly string[]): Plan {
  const fields = selected?.get('File');
  const parts: string[] = [];
  const takers: Taker[] = [];
  if (fields?.has('record')) {
    const withSource = selected?.get('Record')?.has('source') ?? false;
    // Record.accessEstsize: the file's size, from the file row at hand.
    const withSize = selected?.get('Record')?.has('accessEstsize') ?? false;
    const extra = (withSource ? `, '__source', ${sourceJson('rec_e.source_id')}` : '') + (withSize ? `, 'fileSizeBytes', f.size_bytes` : '');
    parts.push(`(SELECT ${jsonObject(records, 'rec_e', recordProps, extra)} FROM records rec_e WHERE rec_e.file_id = f.id) AS "__record"`);
    takers.push((row, prime) => {
      const record = row.__record as Record<string, unknown> | null;
      row.__record = undefined; // not `delete`: that would turn the row into a slow dictionary object
      if (record && withSource) {
        if (record.sourceId !== null) prime.source(record.sourceId as number, (record.__source as Record<string, unknown> | null) ?? null);
        record.__source = undefined;
      }
      prime.record(row.id as number, record);
    });
  }
  // A file's issues (by id) and HDUs (by index): one JSON array each, primed as the loader's list.
  const lists = [
    { field: 'issues', table: validationIssues, alias: 'i_e', order: 'id', prime: (p: Primers) => p.issues },
    { field: 'hdus', table: hdus, alias: 'h_e', order: 'index', prime: (p: Primers) => p.hdus },
  ] as const;
  for (const { field, table, alias, order, prime: primerOf } of lists) {
    if (!fields?.has(field)) continue;
    const column = `__${field}`;
    parts.push(
      `(SELECT coalesce(json_agg(${jsonObject(table, alias, allProps(table))} ORDER BY ${alias}.${order}), '[]') FROM ${getTableName(table)} ${alias} WHERE ${alias}.file_id = f.id) AS "${column}"`,
    );
    takers.push((row, prime) => {
      primerOf(prime)(row.id as number, row[column] as Record<string, unknown>[]);
      row[column] = undefined;
    });
  }
  return { sql: parts.length ? `, ${parts.join(', ')}` : '', takers };
}

/** Relations of a record row `rec` the operation selects. `fileProps`: the file columns to carry. */
export function recordEmbeds(selected: SelectedFields | undefined, fileProps: readonly string[], prime: Primers): Embeds {
  return planned('Record', selected, fileProps, () => recordPlan(selected, fileProps), prime);
}

function recordPlan(selected: SelectedFields | undefined, fileProps: readonly string[]): Plan {
  const fields = selected?.get('Record');
  const parts: string[] = [];
  const takers: Taker[] = [];
  if (fields?.has('source') || fields?.has('targetName')) {
    parts.push(`${sourceJson('rec.source_id')} AS "__source"`);
    takers.push((row, prime) => {
      if (row.sourceId !== null) prime.source(row.sourceId as number, (row.__source as Record<string, unknown> | null) ?? null);
      row.__source = undefined;
    });
  }
  // Record.accessEstsize: kept on the row (src/graphql/resolvers/file-size.ts reads it).
  if (fields?.has('accessEstsize')) parts.push(`(SELECT f_s.size_bytes FROM files f_s WHERE f_s.id = rec.file_id) AS "fileSizeBytes"`);
  if (fields?.has('file')) {
    parts.push(`(SELECT ${jsonObject(files, 'f_e', fileProps)} FROM files f_e WHERE f_e.id = rec.file_id) AS "__file"`);
    takers.push((row, prime) => {
      prime.file(row.fileId as number, (row.__file as Record<string, unknown> | null) ?? null);
      row.__file = undefined;
    });
  }
  return { sql: parts.length ? `, ${parts.join(', ')}` : '', takers };
}
