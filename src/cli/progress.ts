/**
 * Run progress for a person: a redrawn bar on a terminal, a plain line every few seconds
 * otherwise (logs and CI keep readable output).
 */
export interface RunProgress {
  status: string;
  totalFiles: number;
  processedFiles: number;
  invalidFiles: number;
  failedFiles: number;
  filesPerSecond: number | null;
  /** False while the scan is still finding files (the total grows); undefined if unknown. */
  scanDone?: boolean;
}

export function createProgressReporter(write: (s: string) => void, isTTY: boolean, plainEveryMs = 5000) {
  let lastPlain = 0;
  let drew = false;
  return {
    update(p: RunProgress) {
      const frac = p.totalFiles > 0 ? Math.min(1, p.processedFiles / p.totalFiles) : 0;
      const rate = p.filesPerSecond ? `${Math.round(p.filesPerSecond)} files/s` : '';
      // While the scan runs, the total is what it found so far: a fraction of it would move
      // backwards as the total grows, so the bar waits for the scan and the total says "so far".
      const scanning = p.scanDone === false && p.status !== 'SUCCEEDED' && p.status !== 'PARTIAL' && p.status !== 'FAILED';
      const counts = `${p.processedFiles}/${p.totalFiles}${scanning ? '+ files (scanning: the total is still growing)' : ' files'}${p.invalidFiles ? `, ${p.invalidFiles} invalid` : ''}${p.failedFiles ? `, ${p.failedFiles} failed` : ''}`;
      if (isTTY) {
        const width = 30;
        const filled = Math.round(frac * width);
        const bar = scanning ? `[${'.'.repeat(width)}] ...` : `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%`;
        write(`\r${bar} ${counts} ${rate} ${p.status}\x1b[K`);
        drew = true;
      } else if (Date.now() - lastPlain >= plainEveryMs) {
        lastPlain = Date.now();
        write(`${p.status} ${counts} ${rate}\n`);
      }
    },
    done() {
      if (drew) write('\n');
    },
  };
}
