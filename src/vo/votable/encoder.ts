/**
 * A table encoder: head() once, encodeRows() per batch, tail() once with the final status.
 * Pure (no I/O): the caller writes the pieces where it wants, so the same encoder serves a
 * streamed HTTP response, an async job's result file and a test's string.
 */
import { binary2Encoder } from './binary2.js';
import { delimitedEncoder } from './delimited.js';
import { documentHead, documentTail, type DocumentOptions, type QueryStatus, type VoInfo } from './document.js';
import type { VoField } from './fields.js';
import type { OutputFormat } from './format.js';
import { tabledataRows } from './tabledata.js';

export { votableErrorDocument } from './document.js';
export type { QueryStatus, VoInfo };

export interface TableEncoder {
  head(): string;
  encodeRows(rows: unknown[][]): Buffer | string;
  tail(status: QueryStatus): string;
}

export function createTableEncoder(o: {
  format: OutputFormat;
  fields: VoField[];
  infos?: VoInfo[];
  resourceType?: 'results';
  tableName?: string;
  description?: string;
}): TableEncoder {
  const doc: DocumentOptions = o;
  switch (o.format) {
    case 'votable': {
      const rows = tabledataRows(o.fields);
      return {
        head: () => documentHead(doc, '<DATA>\n<TABLEDATA>\n'),
        encodeRows: rows,
        tail: (status) => documentTail('</TABLEDATA>\n</DATA>\n', status),
      };
    }
    case 'votable-binary2': {
      const b2 = binary2Encoder(o.fields);
      return {
        head: () => documentHead(doc, '<DATA>\n<BINARY2>\n<STREAM encoding="base64">\n'),
        encodeRows: (rows) => b2.rows(rows),
        tail: (status) => b2.flush() + documentTail('</STREAM>\n</BINARY2>\n</DATA>\n', status),
      };
    }
    case 'csv':
    case 'tsv': {
      const d = delimitedEncoder(o.fields, o.format);
      return { head: d.head, encodeRows: (rows) => d.rows(rows), tail: () => '' };
    }
  }
}
