/**
 * A small FITS *writer* for synthetic releases (the benchmark and the tests). The archive
 * itself never writes FITS; this exists so both can make realistic files without Python.
 * Cards are written in fixed format; CHECKSUM/DATASUM follow the FITS Checksum convention.
 */
import { onesComplementSum } from '../fits/checks/checksum.js';

export type CardInput = [keyword: string, value?: string | number | boolean | null, comment?: string];

const BLOCK = 2880;

export function formatCard([keyword, value, comment]: CardInput): string {
  if (keyword === 'COMMENT' || keyword === 'HISTORY' || keyword === '') return (keyword.padEnd(8) + (comment ?? '')).padEnd(80).slice(0, 80);
  if (keyword === 'END') return 'END'.padEnd(80);
  let v: string;
  if (value === undefined || value === null) v = '';
  else if (typeof value === 'boolean') v = (value ? 'T' : 'F').padStart(20);
  else if (typeof value === 'number') v = (Number.isInteger(value) ? String(value) : formatReal(value)).padStart(20);
  else v = `'${value.replace(/'/g, "''").padEnd(8)}'`.padEnd(20);
  const text = `${keyword.padEnd(8)}= ${v}${comment ? ` / ${comment}` : ''}`;
  if (text.length > 80) throw new Error(`card too long: ${text}`);
  return text.padEnd(80);
}

function formatReal(x: number): string {
  const s = x.toPrecision(15);
  const n = Number(s).toString();
  return n.includes('.') || n.includes('e') ? n.toUpperCase() : `${n}.0`;
}

/** Header + data of one HDU, each padded to whole blocks (header with blanks, data with zeros). */
export function buildHdu(cards: CardInput[], data: Uint8Array | null, checksum = false): Buffer {
  const dataBuf = padded(data ?? new Uint8Array(0), 0);
  if (!checksum) return Buffer.concat([headerBytes(cards), dataBuf]);
  const datasum = onesComplementSum(dataBuf) >>> 0;
  const withSums: CardInput[] = [...cards, ['CHECKSUM', '0000000000000000', 'HDU checksum'], ['DATASUM', String(datasum), 'data unit checksum']];
  let header = headerBytes(withSums);
  const sum = addOnes(onesComplementSum(header), datasum);
  withSums[withSums.length - 2] = ['CHECKSUM', encodeChecksum(~sum >>> 0), 'HDU checksum'];
  header = headerBytes(withSums);
  return Buffer.concat([header, dataBuf]);
}

function headerBytes(cards: CardInput[]): Buffer {
  const text = cards.map(formatCard).join('') + formatCard(['END']);
  return padded(Buffer.from(text, 'latin1'), 0x20);
}

function padded(bytes: Uint8Array, fill: number): Buffer {
  const size = Math.ceil(bytes.length / BLOCK) * BLOCK;
  const out = Buffer.alloc(size, fill);
  out.set(bytes, 0);
  return out;
}

function addOnes(a: number, b: number): number {
  let s = (a >>> 0) + (b >>> 0);
  while (s > 0xffffffff) s = (s & 0xffffffff) + Math.floor(s / 0x100000000);
  return s >>> 0;
}

/** The 16-character ASCII encoding of a 32-bit checksum (Seaman et al., Checksum convention). */
export function encodeChecksum(value: number): string {
  const exclude = new Set([0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60]);
  const asc = new Array<number>(16);
  for (let i = 0; i < 4; i++) {
    const byte = (value >>> ((3 - i) * 8)) & 0xff;
    const quotient = Math.floor(byte / 4) + 0x30;
    const ch = [quotient + (byte % 4), quotient, quotient, quotient];
    for (let changed = true; changed; ) {
      changed = false;
      for (let j = 0; j < 4; j += 2) {
        while (exclude.has(ch[j]) || exclude.has(ch[j + 1])) {
          ch[j]++;
          ch[j + 1]--;
          changed = true;
        }
      }
    }
    for (let j = 0; j < 4; j++) asc[4 * j + i] = ch[j];
  }
  return String.fromCharCode(...asc.map((_, i) => asc[(i + 15) % 16]));
}

export function float32BE(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], false);
  return out;
}

export function int16BE(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setInt16(i * 2, values[i], false);
  return out;
}
