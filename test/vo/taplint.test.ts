/**
 * The IVOA's TAP validator, STILTS taplint (Debian's stilts), against the real service: a
 * server, a worker and two ingested releases (published with a catalogue table, and a draft),
 * queried anonymously. No line of type E (error) may remain; the summary is printed.
 */
import { execFile } from 'node:child_process';
import { expect, it } from 'vitest';
import { tapArchive } from './tap-http-fixture.js';

const a = tapArchive();

function taplint(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/stilts', ['taplint', ...args], { maxBuffer: 64 << 20, timeout: 540_000 }, (err, stdout, stderr) => {
      if (err && !stdout) reject(new Error(`stilts taplint failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

it('stilts taplint reports no errors', async () => {
  const out = await taplint([`tapurl=${a.tap}`, 'report=EWSF', 'maxrepeat=20', 'truncate=400']);
  const errors = out.split('\n').filter((line) => /^E-/.test(line));
  const summary = out.split('\n').filter((line) => /^(Totals|S-|F-)/.test(line) || /Errors:|Warnings:/.test(line));
  console.log(`taplint against ${a.tap}:\n${summary.join('\n')}\n${out.split('\n').filter((l) => /^W-/.test(l)).join('\n')}`);
  expect(errors, errors.join('\n')).toEqual([]);
}, 600_000);
