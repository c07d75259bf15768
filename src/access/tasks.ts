/** Messages between the API and its access threads (./pool.ts <-> ./worker.ts). */
import type { FileOnDisk, OpenProblemCode } from './open-file.js';
import type { SpectrumValues } from './spectrum-read.js';

export type AccessTask =
  | { op: 'spectrum'; file: FileOnDisk; maxPoints: number }
  /** Render the preview and write it to outPath (atomically). */
  | { op: 'preview'; file: FileOnDisk; outPath: string };

export type AccessResult =
  | { op: 'spectrum'; spectrum: SpectrumValues | null }
  | { op: 'preview'; png: Uint8Array; width: number; height: number; problem: string | null };

export interface AccessRequest {
  seq: number;
  task: AccessTask;
}

export interface AccessReply {
  seq: number;
  result?: AccessResult;
  /** The file could not be used as it is now (changed, gone, ...): the caller's answer says why. */
  problem?: { code: OpenProblemCode; message: string };
  /** A bug: the stack, for the log. */
  error?: string;
}
