/**
 * The tree the ADQL grammar (adql.pegjs) builds: what the query says, nothing resolved yet.
 * Names keep how they were written (`quoted`: a delimited identifier, matched exactly; otherwise
 * matched case-insensitively, as ADQL 2.0 section 2.1.3 says). Nodes carry where they start
 * (`at`) so that the translator's errors can point at the text.
 */

export interface SourcePosition {
  line: number;
  column: number;
}

export interface Identifier {
  name: string;
  quoted: boolean;
}

export type Expr =
  | { kind: 'column'; parts: Identifier[]; at: SourcePosition }
  | { kind: 'number'; text: string; at: SourcePosition }
  | { kind: 'string'; value: string; at: SourcePosition }
  | { kind: 'null'; at: SourcePosition }
  | { kind: 'unary'; op: '+' | '-'; arg: Expr; at: SourcePosition }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/' | '||'; left: Expr; right: Expr; at: SourcePosition }
  /** Every function call, ADQL's own and unknown ones alike: the translator decides. */
  | { kind: 'call'; name: string; args: Expr[]; quantifier?: 'DISTINCT' | 'ALL'; star?: boolean; at: SourcePosition }
  | { kind: 'cast'; arg: Expr; type: string; length?: number; at: SourcePosition }
  | { kind: 'subquery'; query: AdqlQuery; at: SourcePosition };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; arg: Condition }
  | { kind: 'compare'; op: '=' | '<>' | '<' | '>' | '<=' | '>='; left: Expr; right: Expr; at: SourcePosition }
  | { kind: 'between'; not: boolean; arg: Expr; low: Expr; high: Expr; at: SourcePosition }
  | { kind: 'like'; not: boolean; caseInsensitive: boolean; arg: Expr; pattern: Expr; at: SourcePosition }
  | { kind: 'null-test'; not: boolean; arg: Expr; at: SourcePosition }
  | { kind: 'in'; not: boolean; arg: Expr; list?: Expr[]; query?: AdqlQuery; at: SourcePosition }
  | { kind: 'exists'; query: AdqlQuery; at: SourcePosition };

export type SelectItem =
  | { kind: 'star'; qualifier?: Identifier[]; at: SourcePosition }
  | { kind: 'expr'; expr: Expr; alias?: Identifier };

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

export type FromItem =
  | { kind: 'table'; parts: Identifier[]; alias?: Identifier; at: SourcePosition }
  | { kind: 'derived'; query: AdqlQuery; alias: Identifier; at: SourcePosition }
  | { kind: 'join'; type: JoinType; natural: boolean; left: FromItem; right: FromItem; on?: Condition; using?: Identifier[]; at: SourcePosition };

export interface OrderItem {
  expr: Expr;
  descending: boolean;
}

/** One SELECT (ADQL 2.0 has no UNION): the whole query or a subquery. */
export interface AdqlQuery {
  kind: 'select';
  quantifier?: 'DISTINCT' | 'ALL';
  top?: number;
  select: SelectItem[];
  from: FromItem[];
  where?: Condition;
  groupBy?: Expr[];
  having?: Condition;
  orderBy?: OrderItem[];
  /** ADQL 2.1's OFFSET, accepted because clients page with it. */
  offset?: number;
}
