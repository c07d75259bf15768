/**
 * Globs from a release's astroarchive.json match in linear time, whatever the pattern.
 * `***************z` compiled to a backtracking RegExp took seconds per file name and stalled
 * every ingest on the worker. Not a timed test: the matcher counts its steps, and the count
 * must grow linearly with the name (a backtracking matcher grows as a power of it), and a
 * real ingest with such patterns must end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { compileGlob } from '../../src/ingest/glob.js';
import { parseRules } from '../../src/ingest/rules.js';
import { submitIngest } from '../../src/ingest/submit.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';

const PATHOLOGICAL = ['***************z', '*a*a*a*a*a*a*z', '**/*a*a*a*a*a*a*a*a*a*a/*b', 'x/**/**/**/**/**/y*y*y*y*y'];

function steps(pattern: string, name: string): number {
  const glob = compileGlob(pattern);
  glob.test(name);
  return glob.steps;
}

describe('glob matching', () => {
  it.each(PATHOLOGICAL)('%s: steps grow linearly with the name', (pattern) => {
    // Names that end like a match (the cheap suffix check passes) but fail late.
    for (const make of [(n: number) => 'a'.repeat(n) + 'z', (n: number) => `x/${'ya'.repeat(n)}b/y`, (n: number) => 'a/'.repeat(n) + 'ab']) {
      const small = steps(pattern, make(100));
      const large = steps(pattern, make(1000));
      expect(large).toBeLessThanOrEqual(small * 10 * 1.2 + 50);
      expect(large).toBeLessThanOrEqual(make(1000).length * (pattern.length + 4));
    }
  });

  it('still means what it meant', () => {
    expect(compileGlob('***************z').test('deep/down/xyz')).toBe(true);
    expect(compileGlob('***************z').test('deep/down/xyza')).toBe(false);
    expect(compileGlob('*a*a*a*a*a*a*z').test('aaaaaaz')).toBe(true);
    expect(compileGlob('*a*a*a*a*a*a*z').test('aaaaaz')).toBe(false);
    expect(compileGlob('a/**/b').test('a/b')).toBe(true);
    expect(compileGlob('a/**/b').test('ab')).toBe(false);
    expect(compileGlob('?.txt').test('ab.txt')).toBe(false);
    expect(compileGlob('img/[!x]*').test('img/y/z')).toBe(false);
  });

  it('refuses, at submission, patterns too long or with too many alternatives, naming the rule', () => {
    const bad = { products: [{ match: `${'a'.repeat(1100)}*` }], ignore: ['{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}'] };
    expect(() => parseRules(JSON.stringify(bad))).toThrow(
      /products\[0\]\.match: glob is longer than 1024 characters; ignore\[0\]: glob expands to more than 64 \{,\} alternatives/,
    );
  });
});

describe('an ingest with pathological globs', () => {
  let database: Database;
  let worker: RunningWorker;
  let root: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    worker = await startTestWorker(database);
    root = tempDir();
    const rel = path.join(root, 'dr1');
    fs.mkdirSync(rel);
    fs.writeFileSync(path.join(rel, 'astroarchive.json'), JSON.stringify({ products: [{ match: '*a*a*a*a*a*a*z', kind: 'CATALOGUE' }], ignore: ['***************z'] }));
    fs.writeFileSync(path.join(rel, 'a'.repeat(200)), 'no z at the end');
    fs.writeFileSync(path.join(rel, `${'a'.repeat(200)}.z`), 'ignored');
  });
  afterAll(async () => {
    await worker?.stop();
    await database?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('ends, with the rules applied', async () => {
    const run = await submitIngest(database, root, { survey: 'GLOB', release: 'DR1', path: 'dr1' });
    const done = await waitForRun(database, run.id, 60_000);
    expect(done.status).toBe('SUCCEEDED');
    const { rows } = await database.pool.query(`SELECT path, kind, status FROM files`);
    expect(rows).toEqual([{ path: 'a'.repeat(200), kind: 'BLOB', status: 'INGESTED' }]);
  }, 90_000);
});
