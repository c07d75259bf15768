/** Messages between a catalogue load and its thread (load-thread.ts, load-reader.ts). */
import type { ColumnStatsOut } from './column-stats.js';
import type { CatalogueRules, TablePlan } from './plan.js';

export type ThreadRequest =
  | { op: 'plan'; absPath: string; relPath: string; rules: CatalogueRules }
  | { op: 'open'; hdu: number; chunkBytes?: number }
  | { op: 'next' }
  | { op: 'close' };

export type ThreadReply =
  | { op: 'plan'; plans: TablePlan[] }
  | { op: 'opened' }
  | { op: 'chunk'; bytes: Uint8Array }
  | { op: 'done'; rows: number; stats: ColumnStatsOut[] }
  | { op: 'closed' }
  | { op: 'error'; message: string; problem: { code: string; message: string; column: string | null } | null };
