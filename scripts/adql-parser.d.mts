// Types of scripts/adql-parser.mjs (used by test/vo/adql-parse.test.ts).
export const GRAMMAR: string;
export const GENERATED: string;
export function adqlParserSource(grammar?: string): string;
