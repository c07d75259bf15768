/**
 * `crossmatch <file.csv> [--radius <arcsec>] [--all] [--include-drafts] [--json]`: the archive's
 * records near each position of a CSV file (columns ra and dec, degrees), in one statement
 * against the archive's database (DATABASE_URL or the embedded one in ARCHIVE_HOME).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { crossmatch, DEFAULT_CROSSMATCH_RADIUS_ARCSEC, MAX_CROSSMATCH_RADIUS_ARCSEC, type CrossmatchMatch } from '../../db/queries/crossmatch.js';
import { CliError, EXIT, UsageError, type CliIo } from '../io.js';

const HELP = `Usage: astroarchive crossmatch <file.csv> [--radius <arcsec>] [--all] [--include-drafts] [--json]

Match each position of a CSV file against the archive's records: for every row, the nearest
record whose position lies within the radius (or every such record with --all). The file has
a header line naming an "ra" and a "dec" column (degrees, ICRS; other columns are ignored).
All positions are matched in one database statement.

  --radius          match radius in arcseconds (default ${DEFAULT_CROSSMATCH_RADIUS_ARCSEC}, at most ${MAX_CROSSMATCH_RADIUS_ARCSEC})
  --all             every record within the radius, not only the nearest
  --include-drafts  also records of draft (unpublished) releases
  --json            one JSON object instead of CSV

Output (CSV): row,ra,dec,record_id,record_ra,record_dec,distance_arcsec, one line per match
(row is the input's data row, from 1); rows without a match are left out. A summary goes to
stderr. Reads DATABASE_URL, or the embedded database in ARCHIVE_HOME.`;

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
    },
  });
  if (values.help) {
    io.out(HELP + '\n');
    return EXIT.OK;
  }
  if (positionals.length !== 1) throw new UsageError('give one CSV file');
  const radiusArcsec = values.radius === undefined ? DEFAULT_CROSSMATCH_RADIUS_ARCSEC : Number(values.radius);
  if (!(radiusArcsec > 0 && radiusArcsec <= MAX_CROSSMATCH_RADIUS_ARCSEC)) {
    throw new UsageError(`--radius must be a number of arcseconds in (0, ${MAX_CROSSMATCH_RADIUS_ARCSEC}]`);
  }
  const file = path.resolve(io.cwd, positionals[0]);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.USAGE);
  }
  const { ra, dec } = parsePositions(text, file);
  const config = loadConfig(io.env, io.cwd);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, home: config.home, poolSize: 1, log: (m) => io.err(m) });
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
