/**
 * A DataLoader keyed by id that also remembers, in a plain Map, every value its batches
 * returned (and every value primed). `get(key)` answers from that Map synchronously, and only
 * falls back to a promise when the value is not loaded yet.
 *
 * Why: graphql-js completes a field whose resolver returns a value on the spot, but one that
 * returns a promise costs a promise, a microtask and a deferred object merge per field. A
 * look-ahead (src/graphql/lookahead.ts) loads a page's nested relations level by level, in
 * the same statements as before; the resolvers below it then all return values. DataLoader
 * itself only ever hands back promises, even for cached keys.
 *
 * Known values never enter DataLoader's own cache (a resolved promise per key): `load`,
 * `loadMany` and `prime` answer them from the Map, so priming the thousands of rows a page's
 * embedded relations bring (src/loaders/embed.ts) and the look-ahead's `loadMany` over them
 * make no promise per key. Only keys not known yet go through DataLoader's batching.
 */
import DataLoader from 'dataloader';

export class Loader<V> extends DataLoader<number, V> {
  private readonly known: Map<number, V>;

  constructor(batch: (keys: readonly number[]) => Promise<V[]>) {
    const known = new Map<number, V>();
    super(async (keys) => {
      const values = await batch(keys);
      for (let i = 0; i < keys.length; i++) known.set(keys[i], values[i]);
      return values;
    });
    this.known = known;
  }

  /** The value for `key`: synchronously when already loaded, else through the batch. */
  get(key: number): V | Promise<V> {
    const value = this.known.get(key);
    return value !== undefined || this.known.has(key) ? (value as V) : this.load(key);
  }

  override load(key: number): Promise<V> {
    const value = this.known.get(key);
    return value !== undefined || this.known.has(key) ? Promise.resolve(value as V) : super.load(key);
  }

  /** One promise for all `keys`; only the unknown ones are batched. */
  override loadMany(keys: ArrayLike<number>): Promise<(V | Error)[]> {
    const values = new Array<V | Error>(keys.length);
    let missing: number[] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const value = this.known.get(keys[i]);
      if (value !== undefined || this.known.has(keys[i])) values[i] = value as V;
      else (missing ??= []).push(i);
    }
    if (!missing) return Promise.resolve(values);
    const wanted = missing;
    return super.loadMany(wanted.map((i) => keys[i])).then((loaded) => {
      for (let j = 0; j < wanted.length; j++) values[wanted[j]] = loaded[j];
      return values;
    });
  }

  override prime(key: number, value: V | PromiseLike<V> | Error): this {
    if (value instanceof Error || isThenable(value)) return super.prime(key, value);
    this.known.set(key, value);
    return this;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
