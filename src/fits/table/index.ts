/** Public API of the FITS table layer: column layout, streamed rows, checks, summaries. */
export type {
  AsciiCode,
  AsciiColumn,
  BinCode,
  BinColumn,
  ElementCode,
  LayoutResult,
  ParsedAsciiForm,
  ParsedBinForm,
  TableColumn,
  TableLayout,
} from './columns.js';
export { binWidth, parseAsciiForm, parseBinForm, parseTdim, readTableLayout } from './columns.js';
export type { Cell, ReadRowsOptions, Row, RowBatch, Scalar } from './rows.js';
export { DEFAULT_CHUNK_BYTES, iterateRows, readRows } from './rows.js';
export { TABLE_ISSUE, checkTableLayout } from './checks.js';
export type { ColumnSummary, StatValue, SummarizeOptions, TableSummary } from './summary.js';
export { columnType, summarizeTable } from './summary.js';
