/**
 * The response-size cap, applied where Apollo turns the result into JSON (`stringifyResult`):
 * an answer over the cap is replaced by one error naming the limit and the answer's size.
 * The cost limit keeps such answers rare; this bounds what the estimate gets wrong (a header
 * of 2,000 cards where 100 were assumed).
 */
import type { FormattedExecutionResult } from 'graphql';
import { TOO_LARGE } from './errors.js';

export function cappedStringify(maxBytes: number): (value: FormattedExecutionResult) => string {
  return (value) => {
    // Apollo's own serialisation: JSON and a newline.
    const text = `${JSON.stringify(value)}\n`;
    // A UTF-16 unit is at most 3 UTF-8 bytes: small answers skip the byte count.
    if (text.length * 3 <= maxBytes) return text;
    const bytes = Buffer.byteLength(text);
    if (bytes <= maxBytes) return text;
    const error = {
      message: `the answer is ${bytes} bytes, over the limit of ${maxBytes}: lower \`first\` or select fewer fields (page with after: pageInfo.endCursor)`,
      extensions: { code: TOO_LARGE, limit: 'responseBytes', max: maxBytes, actual: bytes },
    };
    return `${JSON.stringify({ data: null, errors: [error] })}\n`;
  };
}
