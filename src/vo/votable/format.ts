/**
 * RESPONSEFORMAT (TAP, DALI §3.3.3) and FORMAT (SCS, SSA, SIA) values → the serialisation, and
 * the Content-Type it is sent with. Media types are matched without their parameters except
 * VOTable's `serialization`, and case-insensitively; short forms are DALI's and TOPCAT's.
 */
import { VoUsageError } from '../errors.js';

export type OutputFormat = 'votable' | 'votable-binary2' | 'csv' | 'tsv'; // 'votable' = TABLEDATA

const SHORT: Record<string, OutputFormat> = {
  votable: 'votable',
  'votable/td': 'votable',
  'votable/tabledata': 'votable',
  'votable/b2': 'votable-binary2',
  'votable/binary2': 'votable-binary2',
  'votable-binary2': 'votable-binary2',
  csv: 'csv',
  tsv: 'tsv',
};

const MEDIA: Record<string, OutputFormat> = {
  'application/x-votable+xml': 'votable',
  'text/xml': 'votable',
  'application/xml': 'votable',
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
};

export const ACCEPTED_FORMATS = [
  'votable',
  'application/x-votable+xml',
  'text/xml',
  'application/x-votable+xml;serialization=tabledata',
  'application/x-votable+xml;serialization=binary2',
  'votable/td',
  'votable/b2',
  'csv',
  'text/csv',
  'tsv',
  'text/tab-separated-values',
];

/** Absent or empty → VOTable TABLEDATA (the default every TAP client understands). */
export function parseOutputFormat(value: string | undefined): OutputFormat {
  const raw = (value ?? '').trim();
  if (raw === '') return 'votable';
  const lower = raw.toLowerCase();
  const short = SHORT[lower];
  if (short) return short;
  const [type, ...params] = lower.split(';').map((s) => s.trim());
  const format = MEDIA[type!];
  if (format) {
    if (format !== 'votable') return format;
    for (const p of params) {
      const [k, v] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
      if (k !== 'serialization') continue;
      if (v === 'binary2') return 'votable-binary2';
      if (v === 'tabledata') return 'votable';
      throw unknown(raw);
    }
    return 'votable';
  }
  throw unknown(raw);
}

function unknown(raw: string): VoUsageError {
  return new VoUsageError(`RESPONSEFORMAT ${JSON.stringify(raw)} is not supported; use one of: ${ACCEPTED_FORMATS.join(', ')}`);
}

export function contentTypeOf(format: OutputFormat): string {
  switch (format) {
    case 'votable':
      return 'application/x-votable+xml';
    case 'votable-binary2':
      return 'application/x-votable+xml;serialization=binary2';
    case 'csv':
      return 'text/csv; charset=UTF-8; header=present';
    case 'tsv':
      return 'text/tab-separated-values; charset=UTF-8';
  }
}
