/** Messages between the archive reader and its thread (./reader.ts, ./reader-thread.ts). */
export interface ReadFile {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
  checksum: string | null;
  /** The release directory (already checked by the main thread: ./open-served.ts checkRoot). */
  root: string;
  /** Too large to read whole: the main thread streams it. */
  stream: boolean;
}

export interface ReadRequest {
  seq: number;
  /** The archive's top directory (`<survey>_<release>`). */
  top: string;
  /** The files' bytes only (a single-file download), no tar headers or padding. */
  raw?: boolean;
  files: ReadFile[];
}

export type ReadEntry =
  | { kind: 'whole'; offset: number; length: number; hex: string }
  | { kind: 'stream' }
  | { kind: 'left-out'; problem: 'gone' | 'changed'; message: string };

export interface ReadResponse {
  seq: number;
  buffer?: ArrayBuffer;
  /** Bytes of `buffer` holding members (the rest is unused room). */
  used?: number;
  entries?: ReadEntry[];
  error?: string;
}
