/**
 * Header-walk benchmark of the FITS layer: open + readStructure + close of many small
 * 2-HDU spectra on one core (this process), page cache warm.
 *
 *   npx tsx scripts/bench-fits-headers.ts [N=20000] [--keep]
 *
 * Each file: an empty primary header plus a 1-D float32 spectrum HDU with a realistic
 * ~60-card header (WCS, instrument, provenance keywords) and 4000 pixels. Target: >= 20,000
 * files/s. Prints files/s and cards/s.
 */
import { closeSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSource } from '../src/fits/source.js';
import { readStructure } from '../src/fits/structure.js';

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20_000);
const keep = process.argv.includes('--keep');

function card(s: string): string {
  return s.padEnd(80).slice(0, 80);
}
function kv(key: string, value: string | number | boolean, comment = ''): string {
  const v = typeof value === 'boolean' ? (value ? 'T' : 'F').padStart(20)
    : typeof value === 'string' ? `'${value.padEnd(8)}'`.padEnd(20)
    : String(value).padStart(20);
  return card(`${key.padEnd(8)}= ${v}${comment ? ' / ' + comment : ''}`);
}
function block(cards: string[]): string {
  const text = cards.join('') + card('END');
  return text.padEnd(Math.ceil(text.length / 2880) * 2880);
}

function makeFile(i: number): Buffer {
  const primary = block([
    kv('SIMPLE', true, 'conforms to FITS standard'), kv('BITPIX', 8), kv('NAXIS', 0), kv('EXTEND', true),
    kv('ORIGIN', 'ESO-PARANAL'), kv('TELESCOP', 'ESO-VLT-U2'), kv('INSTRUME', 'UVES'), kv('OBJECT', `STAR-${i}`),
    kv('RA', 150.123 + i * 1e-4, '[deg] pointing'), kv('DEC', -2.5, '[deg] pointing'), kv('EQUINOX', 2000.0),
    kv('RADESYS', 'ICRS'), kv('MJD-OBS', 59000.123456), kv('DATE-OBS', '2020-05-31T02:57:46.1'),
    kv('EXPTIME', 1200.0, '[s] total integration'), kv('PRODCATG', 'SCIENCE.SPECTRUM'),
    card('HIERARCH ESO OBS ID = 200012345 / observation block id'),
    card('HIERARCH ESO DET DIT = 1200.0000 / [s] integration time'),
  ]);
  const spec: string[] = [
    kv('XTENSION', 'IMAGE', 'image extension'), kv('BITPIX', -32), kv('NAXIS', 1), kv('NAXIS1', 4000),
    kv('PCOUNT', 0), kv('GCOUNT', 1), kv('EXTNAME', 'SPECTRUM'), kv('WCSAXES', 1),
    kv('CTYPE1', 'AWAV'), kv('CUNIT1', 'Angstrom'), kv('CRPIX1', 1.0), kv('CRVAL1', 3732.2),
    kv('CDELT1', 0.0151, '[Angstrom] bin'), kv('CD1_1', 0.0151), kv('SPECSYS', 'BARYCENT'),
    kv('BUNIT', 'erg/s/cm2/Angstrom'), kv('OBJECT', `STAR-${i}`), kv('RA', 150.123), kv('DEC', -2.5),
    kv('EQUINOX', 2000.0), kv('RADESYS', 'ICRS'), kv('MJD-OBS', 59000.123456), kv('MJD-END', 59000.1378),
    kv('EXPTIME', 1200.0), kv('TEXPTIME', 1200.0), kv('SPEC_RES', 42000.0), kv('SPEC_BIN', 0.0151),
    kv('WAVELMIN', 373.22), kv('WAVELMAX', 379.26), kv('SNR', 45.2), kv('SPEC_ERR', 0.002), kv('SPEC_SYE', 0.0001),
    kv('LAMNLIN', 812), kv('LAMRMS', 0.0013), kv('CRDER1', 0.0002), kv('CSYER1', 0.0001),
    kv('FLUXCAL', 'ABSOLUTE'), kv('CONTNORM', false), kv('TOT_FLUX', true), kv('FLUXERR', -2),
    kv('PROCSOFT', 'uves/6.1.8'), kv('REFERENC', ''), kv('PROV1', `UVES.2020-05-31T02:57:46.123.fits`),
    kv('NCOMBINE', 1), kv('OBID1', 200012345), kv('PROG_ID', '105.20ZZ.001'), kv('OBSTECH', 'ECHELLE'),
    kv('DATASUM', '1234567890'), kv('CHECKSUM', 'hcHjjc9ghcEghc9g'),
    card("ABSTRACT= 'A long abstract that needs the CONTINUE convention because it does not fit &'"),
    card("CONTINUE  'on one card, as ESO Phase 3 headers often do.'"),
    card('COMMENT   Spectrum extracted with the optimal-extraction recipe'),
    card('HISTORY   uves_obs_scired: reduction finished'),
    kv('VOCLASS', 'SPECTRUM V2.0'), kv('VOPUB', 'ESO/SAF'), kv('DISPELEM', 'CD#3'), kv('BSCALE', 1.0),
    kv('BZERO', 0.0), kv('DATAMIN', -0.5), kv('DATAMAX', 12.7),
  ];
  const header = block(spec);
  const data = Buffer.alloc(Math.ceil((4000 * 4) / 2880) * 2880);
  return Buffer.concat([Buffer.from(primary, 'latin1'), Buffer.from(header, 'latin1'), data]);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-fits-'));
try {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = join(dir, `spec${i}.fits`);
    writeFileSync(p, makeFile(i));
    paths.push(p);
  }
  for (const p of paths) readFileSync(p); // warm the page cache

  // Two figures: the walk as readStructure does it (cards parsed lazily, only the structural
  // keywords read), and the walk plus every card parsed (what ingest pays when it stores
  // the keywords).
  let cards = 0;
  const walk = (allCards: boolean): number => {
    const t0 = process.hrtime.bigint();
    cards = 0;
    for (const p of paths) {
      const fd = openSync(p, 'r');
      try {
        const { hdus, issues } = readStructure(fileSource(fd, fstatSync(fd).size));
        if (hdus.length !== 2 || issues.length || hdus[1].naxis[0] !== 4000) throw new Error(`${p}: bad walk`);
        if (allCards) cards += hdus[0].cards.length + hdus[1].cards.length;
      } finally {
        closeSync(fd);
      }
    }
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  for (const allCards of [false, true]) {
    walk(allCards); // JIT warm-up
    const runs = [walk(allCards), walk(allCards), walk(allCards)];
    const best = Math.min(...runs);
    console.log(allCards ? `walk + every card parsed (${cards / n} cards/file):` : 'structure walk (open + fstat + readStructure + close):');
    console.log(`  runs ${runs.map((t) => (n / t).toFixed(0)).join(', ')} files/s; best ${(n / best).toFixed(0)} files/s` +
      (allCards ? `, ${(cards / best / 1e6).toFixed(2)} M cards/s` : ''));
  }
  console.log(`${n} files, 1 core`);
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
