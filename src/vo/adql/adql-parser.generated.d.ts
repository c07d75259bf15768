// Types of the generated parser (adql-parser.generated.js, from adql.pegjs).
import type { AdqlQuery } from './ast.js';

export interface PeggyExpectation {
  type: 'literal' | 'class' | 'any' | 'end' | 'other';
  text?: string;
  description?: string;
  ignoreCase?: boolean;
  parts?: (string | [string, string])[];
}

export class SyntaxError extends Error {
  expected: PeggyExpectation[] | null;
  found: string | null;
  location: { start: { offset: number; line: number; column: number } };
}

export function parse(text: string): AdqlQuery;
