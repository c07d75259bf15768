/**
 * Null count, minimum and maximum of each column, gathered while the rows are encoded (on the
 * load thread, beside the COPY): a scan of the loaded table for them cost as much as a third
 * of a GALAH-shaped load. Arrays get a null count only; booleans false/true; texts in UTF-16
 * code unit order; 64-bit integers as exact decimal strings, as the ingest's statistics.
 */
export interface ColumnStatsOut {
  nullCount: number;
  min: number | string | boolean | null;
  max: number | string | boolean | null;
}

export class ColumnStats {
  nulls = 0;
  min: number | bigint | string | boolean | null = null;
  max: number | bigint | string | boolean | null = null;

  constructor(private readonly ordered: boolean) {}

  add(v: unknown): void {
    // Numbers first, without the general checks: most cells of a catalogue are numbers.
    if (typeof v === 'number') {
      if (v !== v) this.nulls++;
      else if (this.ordered) {
        const min = this.min;
        const max = this.max;
        if (min === null || v < (min as number)) this.min = v;
        if (max === null || v > (max as number)) this.max = v;
      }
      return;
    }
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      this.nulls++;
      return;
    }
    if (!this.ordered) return;
    const x = v as number | bigint | string | boolean;
    if (this.min === null || x < this.min) this.min = x;
    if (this.max === null || x > this.max) this.max = x;
  }

  out(): ColumnStatsOut {
    const show = (x: number | bigint | string | boolean | null) => (typeof x === 'bigint' ? x.toString() : x);
    return { nullCount: this.nulls, min: show(this.min), max: show(this.max) };
  }
}
