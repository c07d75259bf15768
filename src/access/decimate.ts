/**
 * Min-max decimation of a 1-D series for plotting: the n points are cut into buckets of
 * (nearly) equal width, and each bucket keeps its smallest and its largest value, in the
 * order they occur. A plot of the result has the same envelope as a plot of every point, so
 * a narrow emission line or a cosmic-ray spike survives (a stride or a mean would drop or
 * flatten it). Streaming: values are pushed one at a time with their x (pixel index, or the
 * table's wavelength), so a spectrum of any length is held as at most maxPoints points.
 *
 * NaN values (FITS blanks) never win a bucket; a bucket of only NaN keeps one point with a
 * NaN value, so the plot shows the gap instead of drawing a line across it.
 */

export interface Decimated {
  /** x of the kept points, in input order. */
  x: Float64Array;
  /** Values of the kept points (NaN where undefined). */
  y: Float64Array;
  /** The series had more points than maxPoints. */
  decimated: boolean;
}

export class MinMaxDecimator {
  private readonly buckets: number;
  private readonly keepAll: boolean;
  private readonly outX: Float64Array;
  private readonly outY: Float64Array;
  private out = 0;
  private index = 0;
  private bucket = 0;
  private bucketEnd: number;
  // The current bucket's extremes (index -1: none yet) and its first point.
  private minI = -1;
  private minX = 0;
  private minY = 0;
  private maxI = -1;
  private maxX = 0;
  private maxY = 0;
  private firstX = 0;

  /** `n`: the number of points that will be pushed; `maxPoints` >= 2. */
  constructor(
    private readonly n: number,
    maxPoints: number,
  ) {
    if (!(maxPoints >= 2)) throw new RangeError('maxPoints must be at least 2');
    this.keepAll = n <= maxPoints;
    this.buckets = this.keepAll ? n : Math.floor(maxPoints / 2);
    const cap = this.keepAll ? n : this.buckets * 2;
    this.outX = new Float64Array(cap);
    this.outY = new Float64Array(cap);
    this.bucketEnd = this.boundary(1);
  }

  /** Index where bucket `b` starts (b = buckets: n). Integer arithmetic keeps widths within one point. */
  private boundary(b: number): number {
    return this.keepAll ? b : Math.floor((b * this.n) / this.buckets);
  }

  push(x: number, y: number): void {
    if (this.index >= this.n) return;
    if (this.keepAll) {
      this.outX[this.out] = x;
      this.outY[this.out++] = y;
      this.index++;
      return;
    }
    const i = this.index++;
    if (i === this.boundary(this.bucket)) this.firstX = x;
    if (y === y) {
      if (this.minI < 0 || y < this.minY) {
        this.minI = i;
        this.minX = x;
        this.minY = y;
      }
      if (this.maxI < 0 || y > this.maxY) {
        this.maxI = i;
        this.maxX = x;
        this.maxY = y;
      }
    }
    if (this.index === this.bucketEnd) this.closeBucket();
  }

  private closeBucket(): void {
    if (this.minI < 0) {
      this.emit(this.firstX, NaN);
    } else if (this.minI === this.maxI) {
      this.emit(this.minX, this.minY);
    } else if (this.minI < this.maxI) {
      this.emit(this.minX, this.minY);
      this.emit(this.maxX, this.maxY);
    } else {
      this.emit(this.maxX, this.maxY);
      this.emit(this.minX, this.minY);
    }
    this.minI = this.maxI = -1;
    this.bucket++;
    this.bucketEnd = this.boundary(this.bucket + 1);
  }

  private emit(x: number, y: number): void {
    this.outX[this.out] = x;
    this.outY[this.out++] = y;
  }

  /** The kept points. Fewer than `n` pushed (a truncated file): the buckets seen so far, the open one closed. */
  finish(): Decimated {
    if (!this.keepAll && this.index < this.n && this.index > this.boundary(this.bucket)) this.closeBucket();
    return { x: this.outX.slice(0, this.out), y: this.outY.slice(0, this.out), decimated: !this.keepAll };
  }
}

/** Decimates whole arrays (tests, and callers that already hold the series). */
export function decimateMinMax(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): Decimated {
  const d = new MinMaxDecimator(y.length, maxPoints);
  for (let i = 0; i < y.length; i++) d.push(x[i], y[i]);
  return d.finish();
}
