/**
 * The `JSON` scalar: FITS card values (boolean, number, string, {re, im} for complex cards,
 * null) and catalogue statistics.
 *
 * A JS bigint (an integer card beyond +-(2^53 - 1), which the FITS parser keeps exact) is
 * serialised as its exact decimal STRING, e.g. "123456789012345678901": JSON numbers would
 * silently round it in every JavaScript client. Non-finite numbers (which JSON cannot carry)
 * become the strings "NaN", "Infinity", "-Infinity" for the same reason: say what it is.
 */
import { GraphQLScalarType, valueFromASTUntyped } from 'graphql';

function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value ?? null;
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value. Integers beyond 2^53-1 are exact decimal strings.',
  serialize: toJson,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
