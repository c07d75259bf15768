/**
 * Synthetic catalogue tables for `bench --catalogue`, written as a FITS BINTABLE and (for
 * `psql \copy`) the same rows as CSV, streamed a chunk of rows at a time.
 *   narrow: id (K), ra, dec, 7 more float64 (D): 10 numeric columns.
 *   galah:  sobject_id (K), star_id (16A), flags (2 x J), ra, dec and 178 more float64: 184
 *           columns, 180 of them float64, as GALAH DR3's main table.
 */
import fs from 'node:fs';
import { buildHdu, type CardInput } from '../fits-writer.js';

export interface Shape {
  name: 'narrow' | 'galah';
  rows: number;
}

interface Col {
  name: string;
  form: 'K' | 'J' | 'D' | '16A';
  unit?: string;
}

export function shapeColumns(shape: Shape): Col[] {
  if (shape.name === 'narrow') {
    return [{ name: 'id', form: 'K' }, { name: 'ra', form: 'D', unit: 'deg' }, { name: 'dec', form: 'D', unit: 'deg' }, ...Array.from({ length: 7 }, (_, i) => ({ name: `v${i + 1}`, form: 'D' as const }))];
  }
  return [
    { name: 'sobject_id', form: 'K' },
    { name: 'star_id', form: '16A' },
    { name: 'flag_sp', form: 'J' },
    { name: 'flag_fe_h', form: 'J' },
    { name: 'ra', form: 'D', unit: 'deg' },
    { name: 'dec', form: 'D', unit: 'deg' },
    ...Array.from({ length: 178 }, (_, i) => ({ name: `p${String(i + 1).padStart(3, '0')}`, form: 'D' as const })),
  ];
}

const WIDTH = { K: 8, J: 4, D: 8, '16A': 16 } as const;

/** Writes `<base>.fits` and `<base>.csv` with the same rows; returns their sizes. */
export function writeShape(shape: Shape, base: string): { fitsBytes: number; csvBytes: number } {
  const cols = shapeColumns(shape);
  const rowBytes = cols.reduce((n, c) => n + WIDTH[c.form], 0);
  const cards: CardInput[] = [
    ['XTENSION', 'BINTABLE'], ['BITPIX', 8], ['NAXIS', 2], ['NAXIS1', rowBytes], ['NAXIS2', shape.rows], ['PCOUNT', 0], ['GCOUNT', 1], ['TFIELDS', cols.length],
    ['EXTNAME', shape.name.toUpperCase()],
  ];
  cols.forEach((c, i) => {
    cards.push([`TTYPE${i + 1}`, c.name], [`TFORM${i + 1}`, c.form]);
    if (c.unit) cards.push([`TUNIT${i + 1}`, c.unit]);
  });
  const fd = fs.openSync(`${base}.fits`, 'w');
  const csv = fs.openSync(`${base}.csv`, 'w');
  try {
    fs.writeSync(fd, buildHdu([['SIMPLE', true], ['BITPIX', 8], ['NAXIS', 0], ['EXTEND', true]], null));
    fs.writeSync(fd, buildHdu(cards, null));
    fs.writeSync(csv, cols.map((c) => c.name).join(',') + '\n');
    const chunkRows = Math.max(1, Math.floor((4 << 20) / rowBytes));
    const buf = Buffer.alloc(chunkRows * rowBytes);
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    for (let first = 0; first < shape.rows; first += chunkRows) {
      const n = Math.min(chunkRows, shape.rows - first);
      const lines: string[] = [];
      let pos = 0;
      for (let r = 0; r < n; r++) {
        const id = first + r + 1;
        const cells: string[] = [];
        for (const c of cols) {
          if (c.form === 'K') {
            buf.writeBigInt64BE(BigInt(id) + 131220000000000n, pos);
            cells.push(String(BigInt(id) + 131220000000000n));
          } else if (c.form === 'J') {
            const v = Math.floor(rand() * 1024);
            buf.writeInt32BE(v, pos);
            cells.push(String(v));
          } else if (c.form === '16A') {
            const s = `star_${id}`.padEnd(16).slice(0, 16);
            buf.write(s, pos, 'latin1');
            cells.push(s.trimEnd());
          } else {
            const v = c.name === 'ra' ? rand() * 360 : c.name === 'dec' ? Math.asin(2 * rand() - 1) * (180 / Math.PI) : rand() * 100 - 50;
            buf.writeDoubleBE(v, pos);
            cells.push(String(v));
          }
          pos += WIDTH[c.form];
        }
        lines.push(cells.join(','));
      }
      fs.writeSync(fd, buf, 0, n * rowBytes);
      fs.writeSync(csv, lines.join('\n') + '\n');
    }
    const dataBytes = rowBytes * shape.rows;
    const pad = (2880 - (dataBytes % 2880)) % 2880;
    if (pad) fs.writeSync(fd, Buffer.alloc(pad));
    // On disk before anything is timed: otherwise the kernel writes these gigabytes back while
    // the first load runs, and charges that load for it (see run-catalogue.ts).
    fs.fsyncSync(fd);
    fs.fsyncSync(csv);
  } finally {
    fs.closeSync(fd);
    fs.closeSync(csv);
  }
  return { fitsBytes: fs.statSync(`${base}.fits`).size, csvBytes: fs.statSync(`${base}.csv`).size };
}
