/** What the dashboard asks for: everything anyone may see, and the admin's part on top. */
export interface RunRow {
  id: string;
  status: string;
  totalFiles: number;
  processedFiles: number;
  ingestedFiles: number;
  invalidFiles: number;
  failedFiles: number;
  scanDone: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  filesPerSecond: number | null;
  queriesPerFile: number | null;
  release: { id: string; name: string; survey: { name: string } };
}

export interface RunDetail {
  id: string;
  stages: Array<{ name: string; seconds: number }>;
  throughput: Array<{ seconds: number; filesPerSecond: number; processedFiles: number }>;
}

export interface RunsData {
  ingestionRuns: RunRow[];
}

export interface RunDetailData {
  ingestionRun: RunDetail | null;
}

export interface AdminData {
  processes: Array<{ id: string; role: string; host: string; pid: number; startedAt: string }>;
  activity: Array<{ processId: string; jobId: string; task: string; runId: string | null; currentFile: string | null; stage: string | null; elapsedSeconds: number }>;
  profiles: Array<{ id: string; processId: string; kind: string; seconds: number; sampleCount: number; status: string; createdAt: string; error: string | null }>;
  databaseActivity: Array<{
    pid: number;
    state: string;
    ageSeconds: number;
    waitEventType: string | null;
    waitEvent: string | null;
    query: string;
    blockedBy: number[];
    applicationName: string | null;
    backendType: string | null;
  }>;
  topStatements: { available: boolean; reason: string | null; statements: Array<{ query: string; calls: number; totalSeconds: number; meanMs: number; rows: number }> };
}

const RUN_FIELDS = `id status totalFiles processedFiles ingestedFiles invalidFiles failedFiles scanDone startedAt finishedAt filesPerSecond queriesPerFile
  release { id name survey { name } }`;

/** The newest runs. */
export const RUNS = `query DashboardRuns($first: Int!) { ingestionRuns(first: $first) { ${RUN_FIELDS} } }`;

/** One run's stages and files/s over its life. */
export const RUN_DETAIL = `query DashboardRun($id: ID!) {
  ingestionRun(id: $id) { id stages { name seconds } throughput(points: 60) { seconds filesPerSecond processedFiles } }
}`;

export const ADMIN = `query DashboardAdmin {
  processes { id role host pid startedAt }
  activity { processId jobId task runId currentFile stage elapsedSeconds }
  profiles(first: 10) { id processId kind seconds sampleCount status createdAt error }
  databaseActivity { pid state ageSeconds waitEventType waitEvent query blockedBy applicationName backendType }
  topStatements(first: 10) { available reason statements { query calls totalSeconds meanMs rows } }
}`;

export const CAPTURE = `mutation Capture($seconds: Int!, $target: String!) {
  captureProfile(seconds: $seconds, target: $target) { id status }
}`;
