/**
 * What the read/validate stages hand to the write stage for one file. Plain data, because
 * it crosses from a worker thread to the main thread by structured clone.
 */
import type { FileKind, FitsIssue, SkyPosition, SpectralRange } from '../../fits/types.js';
import type { ProductRules } from '../rules.js';
import type { ObsCoreFields } from './obscore.js';

export interface FileTask {
  id: number;
  /** Relative path within the release, '/'-separated. */
  path: string;
  /** Absolute real path to open (the run's real root + path). */
  absPath: string;
  /** What the scan saw: a file that differs when opened is not read (FILE_CHANGED). */
  expected?: { sizeBytes: number; mtimeMs: number };
}

export interface HduRow {
  index: number;
  type: string;
  bitpix: number | null;
  naxis: number[];
  /** Packed (fits/header-text.ts), as stored. */
  header: string;
}

export interface CatalogueSummary {
  rowCount: number;
  columns: Array<{ name: string; type: string; unit: string | null; nullCount: number; min: unknown; max: unknown }>;
}

export interface RecordDraft {
  productType: string;
  /** The source name as the data gives it (e.g. OBJECT), trimmed; null when absent. */
  sourceName: string | null;
  center: SkyPosition | null;
  footprint: SkyPosition[] | null;
  spectralRange: SpectralRange | null;
  catalogue: CatalogueSummary | null;
  /** ObsCore-shaped columns and the sky index (./obscore.ts). */
  obscore: ObsCoreFields;
}

export type AnalysisOutcome =
  /** Read and checked; INVALID when any ERROR issue was found. */
  | 'INGESTED'
  | 'INVALID'
  /** Could not be read for a reason that will not go away by itself (EACCES, gone). */
  | 'FAILED'
  /** Could not be read now (EIO, EMFILE, ...): retry later. */
  | 'TRANSIENT';

export interface FileAnalysis {
  id: number;
  path: string;
  outcome: AnalysisOutcome;
  kind: FileKind;
  sizeBytes: number;
  checksum: string | null;
  hdus: HduRow[];
  issues: FitsIssue[];
  record: RecordDraft | null;
  /** Seconds per stage for this file (read, validate, checksum, ...). */
  stages: Record<string, number>;
  /** For TRANSIENT/FAILED: the system error. */
  error?: string;
}

export interface AnalyzeRequest {
  files: FileTask[];
  rules: ProductRules;
}
