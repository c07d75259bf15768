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
  batchSize: 1000,
  maxFileAttempts: 3,
  retryBaseDelaySeconds: 2,
  maxJobAttempts: 5,
};
