/** Job payload checks: a malformed payload fails the job with a message that names the field. */
import { describe, expect, it } from 'vitest';
import { newFiles, positiveIntArray } from '../../src/worker/payload.js';

describe('job payloads', () => {
  it('accepts the files a write-once batch carries, one value per id', () => {
    const files = { ids: [7, 8], paths: ['a.fits', 'b/c.log'], sizes: [2880, 0], mtimesMs: [1.7e12, 1.7e12 + 0.5] };
    expect(newFiles(files, 'files', 10)).toEqual(files);
  });

  it('names what is wrong', () => {
    const ok = { ids: [7, 8], paths: ['a', 'b'], sizes: [1, 2], mtimesMs: [0, 0] };
    expect(() => newFiles([1], 'files', 10)).toThrow(/payload.files must be an object/);
    expect(() => newFiles({ ...ok, ids: [] }, 'files', 10)).toThrow(/payload.files.ids must be an array of 1..10 ids/);
    expect(() => newFiles({ ...ok, ids: [7, -1] }, 'files', 10)).toThrow(/payload.files.ids\[1\] must be a positive integer/);
    expect(() => newFiles({ ...ok, paths: ['a'] }, 'files', 10)).toThrow(/payload.files.paths must be an array of 2 values/);
    expect(() => newFiles({ ...ok, paths: ['a', ''] }, 'files', 10)).toThrow(/payload.files.paths/);
    expect(() => newFiles({ ...ok, sizes: [1, 2.5] }, 'files', 10)).toThrow(/payload.files.sizes/);
    expect(() => newFiles({ ...ok, mtimesMs: [0, null] }, 'files', 10)).toThrow(/payload.files.mtimesMs/);
    expect(() => positiveIntArray(new Array(11).fill(1), 'fileIds', 10)).toThrow(/1..10/);
  });
});
