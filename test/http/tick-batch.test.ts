/** The download routes' batching (src/http/download/tick-batch.ts): who goes with whom, in what order, what fails together. */
import { describe, expect, it } from 'vitest';
import { tickBatch } from '../../src/http/download/tick-batch.js';

/** A `run` whose calls are recorded and finished by the test. */
function controlled() {
  const calls: Array<{ keys: number[]; finish(): void; fail(e: Error): void }> = [];
  const run = (keys: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ keys: [...keys], finish: () => resolve(keys.map((k) => `v${k}`)), fail: reject });
    });
  return { calls, run };
}

const turn = () => new Promise((r) => setImmediate(r));
async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await turn();
  }
}

describe('tickBatch', () => {
  it('sends the calls of one turn together, each caller getting its own value', async () => {
    const { calls, run } = controlled();
    const get = tickBatch(run, { max: 100, inFlight: 1 });
    const answers = Promise.all([get(1), get(2), get(3)]);
    await until(() => calls.length === 1);
    expect(calls[0].keys).toEqual([1, 2, 3]);
    calls[0].finish();
    expect(await answers).toEqual(['v1', 'v2', 'v3']);
  });

  it('holds calls while the in-flight limit is reached, then sends them as one batch; splits at max', async () => {
    const { calls, run } = controlled();
    const get = tickBatch(run, { max: 3, inFlight: 1 });
    const first = get(1);
    await until(() => calls.length === 1);
    const later = [4, 5, 6, 7, 8].map((k) => get(k));
    await turn();
    await turn();
    expect(calls.length).toBe(1);
    calls[0].finish();
    expect(await first).toBe('v1');
    await until(() => calls.length === 2);
    expect(calls[1].keys).toEqual([4, 5, 6]);
    calls[1].finish();
    await until(() => calls.length === 3);
    expect(calls[2].keys).toEqual([7, 8]);
    calls[2].finish();
    expect(await Promise.all(later)).toEqual(['v4', 'v5', 'v6', 'v7', 'v8']);
  });

  it('fails every caller of a failed batch, and the next batch still runs', async () => {
    const { calls, run } = controlled();
    const get = tickBatch(run, { max: 10, inFlight: 2 });
    const a = get(1);
    const b = get(2);
    await until(() => calls.length === 1);
    calls[0].fail(new Error('database gone'));
    await expect(a).rejects.toThrow('database gone');
    await expect(b).rejects.toThrow('database gone');
    const c = get(3);
    await until(() => calls.length === 2);
    calls[1].finish();
    expect(await c).toBe('v3');
  });
});
