/**
 * What this process's jobs are doing right now (the `py-spy dump` of the project): each
 * in-flight job notes its task, run, current file and stage here as it moves. Updating is a
 * property write, so jobs can report as often as they like; the heartbeat publishes a
 * snapshot to the database every few seconds for `Query.activity`.
 */
export interface ActivityEntry {
  jobId: string;
  task: string;
  runId: string | null;
  currentFile: string | null;
  stage: string | null;
  /** ms since epoch when the job started. */
  since: number;
}

export interface JobActivityHandle {
  stage(name: string): void;
  file(path: string | null): void;
  end(): void;
}

export class ActivityBoard {
  private readonly entries = new Map<string, ActivityEntry>();

  start(jobId: string, task: string, runId: string | number | null): JobActivityHandle {
    const entry: ActivityEntry = { jobId, task, runId: runId == null ? null : String(runId), currentFile: null, stage: null, since: Date.now() };
    this.entries.set(jobId, entry);
    return {
      stage: (name) => {
        entry.stage = name;
      },
      file: (path) => {
        entry.currentFile = path;
      },
      end: () => {
        this.entries.delete(jobId);
      },
    };
  }

  snapshot(): ActivityEntry[] {
    return [...this.entries.values()].map((e) => ({ ...e }));
  }
}
