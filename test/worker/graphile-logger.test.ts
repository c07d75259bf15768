/** graphile-worker's lines keep a job's identity, never its payload (a write-once batch carries 120-140 kB of files). */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { graphileLogger } from '../../src/worker/graphile-logger.js';

describe('graphile-worker log lines', () => {
  it('keep the job id, task and attempts, and leave the payload out', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = graphileLogger(createLogger('debug', sink));
    const paths = Array.from({ length: 2000 }, (_, i) => `spectra/${i}.fits`);
    const job = { id: '42', task_identifier: 'ingest_batch', attempts: 1, max_attempts: 5, key: 'ingest:7:100', payload: { runId: 7, files: { paths } } };
    log.scope({ label: 'worker', workerId: 'w1' }).info('Completed task 42', { job });
    log.scope({ job }).error('Failed task 42');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const rec = JSON.parse(line);
      expect(rec.job).toMatchObject({ id: '42', task_identifier: 'ingest_batch', attempts: 1, max_attempts: 5, key: 'ingest:7:100' });
      expect(line).not.toContain('payload');
      expect(line.length).toBeLessThan(1000);
    }
    expect(JSON.parse(lines[0])).toMatchObject({ label: 'worker', workerId: 'w1', msg: 'Completed task 42', level: 30 });
    expect(JSON.parse(lines[1]).level).toBe(50);
  });
});
