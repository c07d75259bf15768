/** The CLI's integer options: one rule, one message, for every command. */
import { describe, expect, it } from 'vitest';
import { intOption, UsageError } from '../../src/cli/io.js';

describe('intOption', () => {
  it('passes integers in range and absent options through', () => {
    expect(intOption('--n', '64', 1, 64)).toBe(64);
    expect(intOption('--n', undefined, 1, 64)).toBeUndefined();
  });

  it('refuses what is not an integer in range, naming the option and the range', () => {
    for (const bad of ['0', '65', '1.5', 'x', '']) {
      expect(() => intOption('--concurrency', bad, 1, 64)).toThrow(UsageError);
      expect(() => intOption('--concurrency', bad, 1, 64)).toThrow('--concurrency must be an integer from 1 to 64');
    }
  });
});
