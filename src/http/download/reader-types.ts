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

/**
 * A chunk of a release archive built whole on the thread (`kind: 'tar'`): the files' members
 * (headers, data, padding) back to back in one buffer the main thread writes as it is, and
 * their SHA256SUMS lines; the main thread does no work per file. Columns, not one object per
 * file: cheaper to copy between threads.
 */
export interface TarRequest {
  kind: 'tar';
  seq: number;
  /** The archive's top directory (`<survey>_<release>`). */
  top: string;
  paths: string[];
  sizes: number[];
  mtimesMs: number[];
  checksums: Array<string | null>;
  /** Each file's release directory (already checked by the main thread: ./open-served.ts checkRoot). */
  roots: string[];
  /** A chunk buffer the main thread has finished writing, handed back to be filled again (or null). */
  spare: ArrayBuffer | null;
}

export interface TarResponse {
  seq: number;
  buffer?: ArrayBuffer;
  /** Bytes of `buffer` holding members. */
  used?: number;
  /** SHA256SUMS lines of the members in `buffer`, in order. */
  sums?: string;
  /** Members in `buffer`, and their files' bytes (without headers and padding). */
  files?: number;
  bytes?: number;
  /** Files left out, by their index in the request, in order. */
  leftOut?: Array<{ index: number; problem: 'gone' | 'changed'; message: string }>;
  error?: string;
}
