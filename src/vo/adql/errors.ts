import type { SourcePosition } from './ast.js';

/**
 * A query the service will not run: bad syntax, an unknown table, column or function, a
 * geometry it cannot evaluate. The message says what to fix (TAP returns it to the client);
 * line and column (1-based) point at the text when known.
 */
export class AdqlError extends Error {
  line?: number;
  column?: number;

  constructor(message: string, at?: SourcePosition) {
    super(at ? `${message} (line ${at.line}, column ${at.column})` : message);
    this.name = 'AdqlError';
    if (at) {
      this.line = at.line;
      this.column = at.column;
    }
  }
}
