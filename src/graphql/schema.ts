/**
 * The executable schema's type definitions come from the contract file at the repository root
 * (schema.graphql), read once: the SDL that codegen types against is the SDL we serve.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SCHEMA_PATH = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

let cached: string | undefined;

export function loadTypeDefs(): string {
  return (cached ??= readFileSync(SCHEMA_PATH, 'utf8'));
}
