/** Ingest tuning, with the defaults the benchmark is run with (README, "Ingest at scale"). */
export interface IngestSettings {
  /** Files per `ingest_batch` job: statements per file ≈ 6 / batchSize. */
  batchSize: number;
  /** Tries for a file that fails transiently (EIO, EMFILE...) before it is FAILED. */
  maxFileAttempts: number;
  /** First retry delay for transient file errors; doubles per attempt. */
  retryBaseDelaySeconds: number;
  /** graphile-worker attempts for a batch whose *job* fails (e.g. database unreachable). */
  maxJobAttempts: number;
}

export const DEFAULT_INGEST_SETTINGS: IngestSettings = {
  // 2,000, not 1,000: each batch has fixed costs (a job, five planned statements) that cheap
  // files feel. Measured with `npm run bench` (alternating runs): blobs 14,000-16,500 files/s
  // at 1,000 against 25,000-28,500 at 2,000; spectra within the noise (7,100-9,900 / 8,900-9,900).
  batchSize: 2000,
  maxFileAttempts: 3,
  retryBaseDelaySeconds: 2,
  maxJobAttempts: 5,
};
