/**
 * CHECKSUM / DATASUM verification per the FITS Checksum convention (Seaman et al., FITS
 * Standard 4.0 Appendix J): the 32-bit 1's complement sum of big-endian words. DATASUM holds
 * the data unit's sum as an unsigned decimal string; CHECKSUM is chosen so that the sum over
 * the whole HDU (header + padded data) is -0 (0xFFFFFFFF).
 *
 * Why 16-bit halves: the high and low halves of every word are added into two plain numbers
 * (exact in a double for any chunk we read) and the end-around carries are folded once per
 * chunk, which is the cfitsio trick and avoids 64-bit arithmetic per word.
 */
import { hduIssue } from '../issues.js';
import type { ByteSource, FitsIssue, HduInfo } from '../types.js';

const CHUNK = 1 << 20; // 1 MiB, a multiple of 4

/** Adds the big-endian 32-bit words of `bytes` (length a multiple of 4) to a running sum. */
export function onesComplementSum(bytes: Uint8Array, sum = 0): number {
  let hi = sum >>> 16;
  let lo = sum & 0xffff;
  const n = bytes.length - (bytes.length % 4);
  for (let i = 0; i < n; i += 4) {
    hi += (bytes[i] << 8) | bytes[i + 1];
    lo += (bytes[i + 2] << 8) | bytes[i + 3];
  }
  return fold(hi, lo);
}

/** 1's complement addition of two 32-bit sums. */
export function addSums(a: number, b: number): number {
  return fold((a >>> 16) + (b >>> 16), (a & 0xffff) + (b & 0xffff));
}

function fold(hi: number, lo: number): number {
  let hicarry = Math.floor(hi / 65536);
  let locarry = Math.floor(lo / 65536);
  while (hicarry || locarry) {
    hi = (hi % 65536) + locarry;
    lo = (lo % 65536) + hicarry;
    hicarry = Math.floor(hi / 65536);
    locarry = Math.floor(lo / 65536);
  }
  return (hi * 65536 + lo) >>> 0;
}

/** Sum of src[start, start + length), streamed in chunks. */
export function sumRange(src: ByteSource, start: number, length: number): number {
  let sum = 0;
  for (let off = 0; off < length; off += CHUNK) {
    sum = onesComplementSum(src.read(start + off, Math.min(CHUNK, length - off)), sum);
  }
  return sum;
}

export function checkChecksums(src: ByteSource, hdus: readonly HduInfo[]): FitsIssue[] {
  const issues: FitsIssue[] = [];
  for (const hdu of hdus) {
    const checksum = hdu.keywords.get('CHECKSUM');
    const datasum = hdu.keywords.get('DATASUM');
    if (checksum === undefined && datasum === undefined) continue;
    const paddedData = Math.ceil(hdu.dataSize / 2880) * 2880;
    if (hdu.dataStart + paddedData > src.size) continue; // truncated: reported by the structure walk
    const dataSum = sumRange(src, hdu.dataStart, paddedData);
    if (datasum !== undefined) {
      const expected = typeof datasum === 'string' && /^\s*\d+\s*$/.test(datasum) ? Number(datasum.trim()) : NaN;
      if (expected !== dataSum) {
        issues.push(
          hduIssue('ERROR', 'FITS_DATASUM_MISMATCH', hdu, 'DATASUM', `is ${JSON.stringify(datasum)} but the data unit sums to ${dataSum}: the data were modified or damaged`),
        );
      }
    }
    if (checksum !== undefined) {
      const total = addSums(sumRange(src, hdu.headerStart, hdu.dataStart - hdu.headerStart), dataSum);
      if (total !== 0xffffffff) {
        issues.push(
          hduIssue('ERROR', 'FITS_CHECKSUM_MISMATCH', hdu, 'CHECKSUM', `HDU does not sum to -0 (got 0x${total.toString(16).padStart(8, '0')}): header or data modified since CHECKSUM was written`),
        );
      }
    }
  }
  return issues;
}
