/**
 * ADQL 2.0 for TAP (pure: no database, no I/O):
 *
 *   const ast = parseAdql(text);                                     // AdqlError on bad syntax
 *   const { sql, params, columns } = translateAdql(ast, catalogue, { maxrec });
 *
 * The SQL reaches only the catalogue's tables and whitelisted functions; every literal is a
 * parameter. See README.md in this folder for the mapping of the geometry functions.
 */
export type { AdqlQuery, Condition, Expr, FromItem, Identifier, SelectItem, SourcePosition } from './ast.js';
export type { TapCatalogue, TapColumnInfo, TapTableInfo } from './catalogue.js';
export { AdqlError } from './errors.js';
export { parseAdql, MAX_QUERY_LENGTH } from './parse.js';
export { GEOMETRY_FUNCTIONS } from './functions.js';
export { translateAdql } from './translate.js';
export type { OutputColumn, TranslatedQuery } from './translate.js';
