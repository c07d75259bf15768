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
}

export function createProgressReporter(write: (s: string) => void, isTTY: boolean, plainEveryMs = 5000) {
  let lastPlain = 0;
  let drew = false;
  return {
    update(p: RunProgress) {
      const frac = p.totalFiles > 0 ? Math.min(1, p.processedFiles / p.totalFiles) : 0;
      const rate = p.filesPerSecond ? `${Math.round(p.filesPerSecond)} files/s` : '';
      const counts = `${p.processedFiles}/${p.totalFiles} files${p.invalidFiles ? `, ${p.invalidFiles} invalid` : ''}${p.failedFiles ? `, ${p.failedFiles} failed` : ''}`;
      if (isTTY) {
        const width = 30;
        const filled = Math.round(frac * width);
        write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${counts} ${rate} ${p.status}\x1b[K`);
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
