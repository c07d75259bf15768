/**
 * `crossmatch <file.csv> [--radius <arcsec>] [--all] [--include-drafts] [--json]`: the archive's
 * records near each position of a CSV file (columns ra and dec, degrees), in one statement
 * against the archive's database (DATABASE_URL or the embedded one in ARCHIVE_HOME).
 * `crossmatch --table <schema.table> [--against records|<schema.table>]`: a loaded catalogue
 * table's rows instead of a file, a page of rows at a time (crossmatch-table.ts), printed as
 * each page is matched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { crossmatch, DEFAULT_CROSSMATCH_RADIUS_ARCSEC, MAX_CROSSMATCH_RADIUS_ARCSEC, type CrossmatchMatch, type CrossmatchTable } from '../../db/queries/crossmatch.js';
import { crossmatchTablePage, type CrossmatchPair } from '../../db/queries/crossmatch-table.js';
import { catalogueTableByName } from '../../db/queries/catalogue-tables.js';
import type { Database } from '../../db/client.js';
import { CliError, EXIT, UsageError, type CliIo } from '../io.js';

/** Rows of a table matched per statement with --table: large enough to amortise the statement, small enough for memory. */
const TABLE_PAGE = 50_000;

const HELP = `Usage: astroarchive crossmatch <file.csv> [--radius <arcsec>] [--all] [--include-drafts] [--json]
       astroarchive crossmatch --table <schema.table> [--against records|<schema.table>] [--radius <arcsec>] [--all] [--include-drafts] [--json]

Match each position of a CSV file against the archive's records: for every row, the nearest
record whose position lies within the radius (or every such record with --all). The file has
a header line naming an "ra" and a "dec" column (degrees, ICRS; other columns are ignored).
All positions are matched in one database statement.

  --table           match the rows of this loaded catalogue table (it needs RA/Dec columns)
                    instead of a file, ${TABLE_PAGE.toLocaleString('en')} rows a statement
  --against         with --table: "records" (default) or another loaded table
  --radius          match radius in arcseconds (default ${DEFAULT_CROSSMATCH_RADIUS_ARCSEC}, at most ${MAX_CROSSMATCH_RADIUS_ARCSEC})
  --all             every record within the radius, not only the nearest
  --include-drafts  also records of draft (unpublished) releases
  --json            one JSON object instead of CSV

Output (CSV): row,ra,dec,record_id,record_ra,record_dec,distance_arcsec, one line per match
(row is the input's data row, from 1); rows without a match are left out. With --table, row
is the table's _row, and against a table the columns are match_row,match_ra,match_dec. A
summary goes to stderr. Reads DATABASE_URL, or the embedded database in ARCHIVE_HOME (the one
a running \`astroarchive start\` serves, if it runs); tables of draft releases need --include-drafts.`;

export async function crossmatchCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      radius: { type: 'string' },
      all: { type: 'boolean' },
      'include-drafts': { type: 'boolean' },
      json: { type: 'boolean' },
      table: { type: 'string' },
      against: { type: 'string' },
    },
  });
  if (values.help) {
    io.out(HELP + '\n');
    return EXIT.OK;
  }
  const radiusArcsec = values.radius === undefined ? DEFAULT_CROSSMATCH_RADIUS_ARCSEC : Number(values.radius);
  if (!(radiusArcsec > 0 && radiusArcsec <= MAX_CROSSMATCH_RADIUS_ARCSEC)) {
    throw new UsageError(`--radius must be a number of arcseconds in (0, ${MAX_CROSSMATCH_RADIUS_ARCSEC}]`);
  }
  if (values.table !== undefined) {
    if (positionals.length !== 0) throw new UsageError('give either a CSV file or --table, not both');
    return crossmatchTableCommand(values.table, values.against ?? 'records', radiusArcsec, values.all ?? false, values['include-drafts'] ?? false, values.json ?? false, io);
  }
  if (values.against !== undefined) throw new UsageError('--against goes with --table (a CSV file is matched against the records)');
  if (positionals.length !== 1) throw new UsageError('give one CSV file');
  const file = path.resolve(io.cwd, positionals[0]);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.USAGE);
  }
  const { ra, dec } = parsePositions(text, file);
  const config = loadConfig(io.env, io.cwd);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, home: config.home, poolSize: 1, shareRunning: true, log: (m) => io.err(m) });
  let matches: CrossmatchMatch[];
  const t = performance.now();
  try {
    matches = await crossmatch(database.pool, ra, dec, { radiusArcsec, all: values.all ?? false, includeDrafts: values['include-drafts'] ?? false });
  } finally {
    await database.close();
  }
  const seconds = (performance.now() - t) / 1000;
  const matched = new Set(matches.map((m) => m.index)).size;
  if (values.json) {
    io.out(
      JSON.stringify({
        positions: ra.length,
        radiusArcsec,
        matchedPositions: matched,
        matches: matches.map((m) => ({ row: m.index + 1, ra: ra[m.index], dec: dec[m.index], recordId: m.recordId, recordRa: m.ra, recordDec: m.dec, distanceArcsec: m.distanceArcsec })),
      }) + '\n',
    );
  } else {
    const lines = ['row,ra,dec,record_id,record_ra,record_dec,distance_arcsec'];
    for (const m of matches) lines.push([m.index + 1, ra[m.index], dec[m.index], m.recordId, m.ra, m.dec, m.distanceArcsec.toPrecision(6)].join(','));
    io.out(lines.join('\n') + '\n');
  }
  io.err(`${matched} of ${ra.length} positions matched within ${radiusArcsec}" (${matches.length} matches, ${seconds.toFixed(2)} s)\n`);
  return EXIT.OK;
}

/** The ra and dec columns of a CSV text (header names, any case; simple quoting). */
export function parsePositions(text: string, name: string): { ra: number[]; dec: number[] } {
  const rows = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (rows.length === 0) throw new CliError(`${name} is empty: it needs a header line with ra and dec columns`, EXIT.USAGE);
  const cells = (line: string) => line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const header = cells(rows[0]).map((h) => h.toLowerCase());
  const raCol = header.indexOf('ra');
  const decCol = header.indexOf('dec');
  if (raCol < 0 || decCol < 0) throw new CliError(`${name}: the header line must name an "ra" and a "dec" column (found: ${header.join(', ')})`, EXIT.USAGE);
  const ra: number[] = [];
  const dec: number[] = [];
  for (let i = 1; i < rows.length; i++) {
    const c = cells(rows[i]);
    const a = Number(c[raCol]);
    const d = Number(c[decCol]);
    if (c[raCol] === '' || c[decCol] === '' || !Number.isFinite(a) || !(d >= -90 && d <= 90)) {
      throw new CliError(`${name}, line ${i + 1}: ra must be a number and dec a number in [-90, 90] (got "${c[raCol] ?? ''}", "${c[decCol] ?? ''}")`, EXIT.USAGE);
    }
    ra.push(a);
    dec.push(d);
  }
  return { ra, dec };
}

async function crossmatchTableCommand(name: string, against: string, radiusArcsec: number, all: boolean, includeDrafts: boolean, json: boolean, io: CliIo): Promise<number> {
  const config = loadConfig(io.env, io.cwd);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, home: config.home, poolSize: 1, shareRunning: true, log: (m) => io.err(m) });
  const t = performance.now();
  let rows = 0;
  let pairs = 0;
  const matched = new Set<number>();
  const all_: CrossmatchPair[] = [];
  try {
    const source = await tableSide(database, name, '--table', includeDrafts);
    const other = against.toLowerCase() === 'records' ? undefined : await tableSide(database, against, '--against', includeDrafts);
    if (!json) io.out(`row,ra,dec,${other ? 'match_row,match_ra,match_dec' : 'record_id,record_ra,record_dec'},distance_arcsec\n`);
    for (let after = 0; ; ) {
      const page = await crossmatchTablePage(database.pool, source, after, TABLE_PAGE, { table: other, radiusArcsec, all, includeDrafts });
      for (const p of page.pairs) matched.add(p.row);
      pairs += page.pairs.length;
      if (json) all_.push(...page.pairs);
      else if (page.pairs.length) io.out(page.pairs.map((p) => [p.row, p.ra, p.dec, p.matchId, p.matchRa, p.matchDec, p.distanceArcsec.toPrecision(6)].join(',')).join('\n') + '\n');
      if (page.lastRow === null) break;
      rows += page.lastRow - after; // _row counts from 1 without gaps
      if (!page.hasMore) break;
      after = page.lastRow;
    }
  } finally {
    await database.close();
  }
  const seconds = (performance.now() - t) / 1000;
  if (json) {
    io.out(JSON.stringify({ table: name, against, radiusArcsec, rows, matchedRows: matched.size, matches: all_.map((p) => ({ row: p.row, ra: p.ra, dec: p.dec, matchId: p.matchId, matchRa: p.matchRa, matchDec: p.matchDec, distanceArcsec: p.distanceArcsec })) }) + '\n');
  }
  io.err(`${matched.size} of ${rows} rows of ${name} matched within ${radiusArcsec}" against ${against} (${pairs} matches, ${seconds.toFixed(2)} s)\n`);
  return EXIT.OK;
}

/** A loaded table by qualified name, as a cross-match side; a one-line error otherwise. */
async function tableSide(database: Database, name: string, option: string, includeDrafts: boolean): Promise<CrossmatchTable> {
  const t = await catalogueTableByName(database.pool, name);
  if (!t) throw new CliError(`${option} ${name}: no such loaded table (name it schema.table, e.g. gama_dr4.stellarmass)`, EXIT.USAGE);
  if (!t.published && !includeDrafts) throw new CliError(`${option} ${name}: the table is in a draft release; add --include-drafts`, EXIT.USAGE);
  if (t.raColumn === null || t.decColumn === null) throw new CliError(`${option} ${name}: the table has no RA/Dec columns`, EXIT.USAGE);
  return { schema: t.schemaName, table: t.tableName, raColumn: t.raColumn, decColumn: t.decColumn };
}
