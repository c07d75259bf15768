/** The ingest progress while the scan is still finding files: the total grows, the bar never moves back. */
import { describe, expect, it } from 'vitest';
import { createProgressReporter, type RunProgress } from '../../src/cli/progress.js';

const frame = (p: Partial<RunProgress>): RunProgress => ({ status: 'RUNNING', totalFiles: 0, processedFiles: 0, invalidFiles: 0, failedFiles: 0, filesPerSecond: null, ...p });

function frames(updates: RunProgress[], isTTY: boolean): string[] {
  const out: string[] = [];
  const progress = createProgressReporter((s) => out.push(s), isTTY, 0);
  for (const u of updates) progress.update(u);
  return out;
}

const percents = (lines: string[]) => lines.flatMap((l) => [...l.matchAll(/(\d+)%/g)].map((m) => Number(m[1])));

describe('ingest progress while the scan runs', () => {
  const updates = [
    frame({ totalFiles: 2000, processedFiles: 1000, scanDone: false }),
    frame({ totalFiles: 20000, processedFiles: 1500, scanDone: false }),
    frame({ totalFiles: 40000, processedFiles: 4000, scanDone: true }),
    frame({ totalFiles: 40000, processedFiles: 40000, scanDone: true, status: 'SUCCEEDED' }),
  ];

  it('says the total is still growing instead of drawing a bar that goes backwards (terminal)', () => {
    const out = frames(updates, true);
    expect(out[0]).toContain('1000/2000+ files (scanning: the total is still growing)');
    expect(out[1]).toContain('1500/20000+ files (scanning');
    expect(percents(out.slice(0, 2))).toEqual([]);
    expect(percents(out)).toEqual([10, 100]);
  });

  it('says so in plain lines too', () => {
    const out = frames(updates, false);
    expect(out[1]).toContain('1500/20000+ files (scanning: the total is still growing)');
    expect(out[2]).not.toContain('scanning');
  });
});
