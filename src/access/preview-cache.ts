/**
 * Previews are made on first request and kept on disk under ARCHIVE_HOME:
 * previews/v<version>/<first two hex>/<sha256>.png, keyed by the SHA-256 the ingest recorded
 * for the file. A file ingested again with other bytes has another checksum, hence another
 * preview; the same bytes in two releases share one. A renderer change bumps the version.
 *
 * Concurrent first requests for one preview wait on the same rendering (one per process;
 * two processes sharing a home may both render it, and the rename keeps the result whole).
 * A file that cannot be drawn gets the placeholder, cached like any preview: it is logged
 * once, when rendered, and never rendered again for the same bytes (no 500 loop, no log flood).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileOnDisk } from './open-file.js';
import { accessPool } from './pool.js';
import { isPlaceholder, PREVIEW_VERSION } from './preview-render.js';

export interface PreviewImage {
  png: Buffer;
  /** Rendered by this call, read from the cache, or rendered by a concurrent call this one waited for. */
  source: 'rendered' | 'cached' | 'waited';
  /** Why the placeholder was drawn, when this call rendered one. */
  problem: string | null;
  /** The placeholder (a file with nothing to draw), however this call got it. */
  placeholder: boolean;
}

export class PreviewCache {
  private readonly inFlight = new Map<string, Promise<PreviewImage>>();
  private readonly dir: string;

  constructor(home: string) {
    this.dir = path.join(home, 'previews', `v${PREVIEW_VERSION}`);
  }

  pathOf(checksum: string): string {
    if (!/^[0-9a-f]{64}$/.test(checksum)) throw new Error(`not a SHA-256: ${checksum}`);
    return path.join(this.dir, checksum.slice(0, 2), `${checksum}.png`);
  }

  /**
   * The preview of the file with this checksum: from disk, or rendered from `file` now.
   * Single-flight from the first look at the disk on, checked and set with no await between:
   * a request whose disk read failed just before another's rendering wrote the file would
   * otherwise render (and log) it a second time.
   */
  get(checksum: string, file: FileOnDisk): Promise<PreviewImage> {
    const outPath = this.pathOf(checksum);
    const pending = this.inFlight.get(outPath);
    // Waiting on another request's look-up or rendering: that request logs it, not this one.
    if (pending) return pending.then((shared) => ({ ...shared, source: shared.source === 'cached' ? 'cached' : 'waited', problem: null }));
    const work = this.readOrRender(outPath, file).finally(() => this.inFlight.delete(outPath));
    this.inFlight.set(outPath, work);
    return work;
  }

  private async readOrRender(outPath: string, file: FileOnDisk): Promise<PreviewImage> {
    try {
      const png = await fs.readFile(outPath);
      return { png, source: 'cached', problem: null, placeholder: isPlaceholder(png) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const r = await accessPool().run({ op: 'preview', file, outPath });
    if (r.op !== 'preview') throw new Error('access thread answered another task');
    return { png: Buffer.from(r.png.buffer, r.png.byteOffset, r.png.byteLength), source: 'rendered', problem: r.problem, placeholder: r.problem !== null };
  }
}
