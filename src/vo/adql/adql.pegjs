// ADQL 2.0 (IVOA Recommendation, 2008, section 2 and its BNF) as a peggy grammar, building the
// tree of ast.ts. The parser is generated from this file by scripts/adql-parser.mjs into
// adql-parser.generated.js (test/vo/adql-parse.test.ts fails when the two disagree).
//
// Where it departs from the BNF, and why:
//  - Function calls are one production (name, arguments) instead of one per function: the
//    translator checks names and argument counts against its whitelist, so an unknown function
//    (pg_sleep, set_config, ...) and a wrong count are reported the same way, with a position.
//  - Besides ADQL 2.0: OFFSET, ILIKE, COALESCE, CAST (ADQL 2.1) because clients send them.
//  - UNION / INTERSECT / EXCEPT / WITH (ADQL 2.1) are refused with a message saying so.
//  - Only the words the grammar needs to tell clauses apart are reserved (RESERVED below); other
//    ADQL reserved words (e.g. function names, DATE, SIZE) stay usable as column names, which
//    catalogue tables have.

{{
const RESERVED = new Set([
  'ALL', 'AND', 'AS', 'ASC', 'BETWEEN', 'BY', 'CAST', 'CROSS', 'DESC', 'DISTINCT', 'EXCEPT', 'EXISTS',
  'FROM', 'FULL', 'GROUP', 'HAVING', 'ILIKE', 'IN', 'INNER', 'INTERSECT', 'IS', 'JOIN', 'LEFT', 'LIKE',
  'LIMIT', 'NATURAL', 'NOT', 'NULL', 'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER', 'RIGHT', 'SELECT', 'TOP', 'UNION',
  'USING', 'WHERE', 'WITH',
]);

function fold(head, tail, build) {
  return tail.reduce((left, [op, right]) => build(op, left, right), head);
}
}}

{
function at() {
  const s = location().start;
  return { line: s.line, column: s.column };
}
}

Query
  = _ With? q:SelectQuery _ SetOperation? Limit? (";" _)? End { return q; }

End "end of query"
  = !.

With
  = WITH { error('WITH (common table expressions) is not part of ADQL 2.0: use a subquery in FROM'); }

SetOperation
  = op:(UNION / INTERSECT / EXCEPT) { error(`${op} is not part of ADQL 2.0: run the queries separately`); }

Limit
  = "LIMIT"i !IdentPart { error('LIMIT is not ADQL: write SELECT TOP n ...'); }

SelectQuery
  = SELECT
    quantifier:(_ @SetQuantifier)?
    top:(_ TOP _ @UnsignedInteger)?
    _ select:SelectList
    _ from:FromClause
    where:(_ WHERE _ @SearchCondition)?
    groupBy:(_ GROUP _ BY _ @ExpressionList)?
    having:(_ HAVING _ @SearchCondition)?
    orderBy:(_ ORDER _ BY _ @OrderList)?
    offset:(_ OFFSET _ @UnsignedInteger)?
    {
      const q = { kind: 'select', select, from };
      if (quantifier) q.quantifier = quantifier;
      if (top !== null) q.top = top;
      if (where) q.where = where;
      if (groupBy) q.groupBy = groupBy;
      if (having) q.having = having;
      if (orderBy) q.orderBy = orderBy;
      if (offset !== null) q.offset = offset;
      return q;
    }

SetQuantifier
  = DISTINCT { return 'DISTINCT'; }
  / ALL { return 'ALL'; }

UnsignedInteger "unsigned integer"
  = digits:$[0-9]+ !(IdentPart / ".") {
      const n = Number(digits);
      if (!Number.isSafeInteger(n)) error(`${digits} is too large`);
      return n;
    }

// ---- SELECT list ------------------------------------------------------------------------

SelectList
  = "*" { return [{ kind: 'star', at: at() }]; }
  / head:SelectItem tail:(_ "," _ @SelectItem)* { return [head, ...tail]; }

SelectItem
  = qualifier:IdentifierChain _ "." _ "*" { return { kind: 'star', qualifier, at: at() }; }
  / expr:ValueExpr alias:(_ (AS _)? @Identifier)? {
      return alias ? { kind: 'expr', expr, alias } : { kind: 'expr', expr };
    }

// ---- FROM -------------------------------------------------------------------------------

FromClause
  = FROM _ head:TableReference tail:(_ "," _ @TableReference)* { return [head, ...tail]; }

TableReference
  = head:TablePrimary tail:(_ @JoinTail)* {
      return tail.reduce((left, j) => ({ ...j, left }), head);
    }

JoinTail
  = natural:(NATURAL _)? type:JoinType? JOIN _ right:TablePrimary spec:(_ @JoinSpec)? {
      const j = { kind: 'join', type: type ?? 'INNER', natural: natural !== null, right, at: at() };
      if (natural && spec) error('a NATURAL JOIN takes no ON or USING');
      if (spec) Object.assign(j, spec);
      return j;
    }

JoinType
  = INNER _ { return 'INNER'; }
  / t:(LEFT / RIGHT / FULL) _ (OUTER _)? { return t; }

JoinSpec
  = ON _ on:SearchCondition { return { on }; }
  / USING _ "(" _ head:Identifier tail:(_ "," _ @Identifier)* _ ")" { return { using: [head, ...tail] }; }

TablePrimary
  = "(" _ query:SelectQuery _ ")" _ (AS _)? alias:Identifier { return { kind: 'derived', query, alias, at: at() }; }
  / "(" _ query:SelectQuery _ ")" { error('a subquery in FROM needs a name: (SELECT ...) AS name'); }
  / "(" _ @TableReference _ ")"
  / parts:IdentifierChain alias:(_ (AS _)? @Identifier)? {
      if (parts.length > 3) error(`too many parts in table name ${parts.map((p) => p.name).join('.')}`);
      return alias ? { kind: 'table', parts, alias, at: at() } : { kind: 'table', parts, at: at() };
    }

// ---- Conditions -------------------------------------------------------------------------

SearchCondition
  = head:BooleanTerm tail:(_ OR _ @BooleanTerm)* {
      return tail.reduce((left, right) => ({ kind: 'or', left, right }), head);
    }

BooleanTerm
  = head:BooleanFactor tail:(_ AND _ @BooleanFactor)* {
      return tail.reduce((left, right) => ({ kind: 'and', left, right }), head);
    }

BooleanFactor
  = NOT _ arg:BooleanFactor { return { kind: 'not', arg }; }
  / BooleanPrimary

BooleanPrimary
  = Predicate
  / "(" _ @SearchCondition _ ")"

Predicate
  = EXISTS _ query:Subquery { return { kind: 'exists', query, at: at() }; }
  / arg:ValueExpr _ rest:PredicateRest {
      return rest.kind === 'compare' ? { kind: 'compare', op: rest.op, left: arg, right: rest.right, at: at() } : { ...rest, arg, at: at() };
    }

PredicateRest
  = op:CompOp _ right:ValueExpr { return { kind: 'compare', op, right }; }
  / not:(NOT _)? BETWEEN _ low:ValueExpr _ AND _ high:ValueExpr { return { kind: 'between', not: not !== null, low, high }; }
  / not:(NOT _)? like:(LIKE / ILIKE) _ pattern:ValueExpr { return { kind: 'like', not: not !== null, caseInsensitive: like === 'ILIKE', pattern }; }
  / not:(NOT _)? IN _ query:Subquery { return { kind: 'in', not: not !== null, query }; }
  / not:(NOT _)? IN _ "(" _ list:ExpressionList _ ")" { return { kind: 'in', not: not !== null, list }; }
  / IS _ not:(NOT _)? NULL { return { kind: 'null-test', not: not !== null }; }

CompOp "comparison operator"
  = "<>" { return '<>'; }
  / "!=" { return '<>'; }
  / "<=" / ">=" / "=" / "<" / ">"

Subquery
  = "(" _ @SelectQuery _ ")"

ExpressionList
  = head:ValueExpr tail:(_ "," _ @ValueExpr)* { return [head, ...tail]; }

OrderList
  = head:OrderItem tail:(_ "," _ @OrderItem)* { return [head, ...tail]; }

OrderItem
  = expr:ValueExpr dir:(_ @(ASC / DESC))? { return { expr, descending: dir === 'DESC' }; }

// ---- Value expressions ------------------------------------------------------------------

ValueExpr
  = head:Additive tail:(_ @"||" _ @Additive)* {
      return fold(head, tail, (op, left, right) => ({ kind: 'binary', op, left, right, at: left.at }));
    }

Additive
  = head:Multiplicative tail:(_ @$("+" / !"--" "-") _ @Multiplicative)* {
      return fold(head, tail, (op, left, right) => ({ kind: 'binary', op, left, right, at: left.at }));
    }

Multiplicative
  = head:Unary tail:(_ @("*" / "/") _ @Unary)* {
      return fold(head, tail, (op, left, right) => ({ kind: 'binary', op, left, right, at: left.at }));
    }

Unary
  = op:("+" / !"--" @"-") _ arg:Unary { return { kind: 'unary', op, arg, at: at() }; }
  / Primary

Primary
  = NumberLiteral
  / StringLiteral
  / NULL { return { kind: 'null', at: at() }; }
  / "(" _ query:SelectQuery _ ")" { return { kind: 'subquery', query, at: at() }; }
  / "(" _ @ValueExpr _ ")"
  / Cast
  / FunctionCall
  / parts:IdentifierChain {
      if (parts.length > 4) error(`too many parts in column name ${parts.map((p) => p.name).join('.')}`);
      return { kind: 'column', parts, at: at() };
    }

NumberLiteral "number"
  = text:$((Digits ("." Digits?)? / "." Digits) ([eE] [+-]? Digits)?) !IdentPart { return { kind: 'number', text, at: at() }; }

Digits
  = [0-9]+

StringLiteral "string"
  = "'" ("''" / [^'])* End { error("string not closed: a ' is missing"); }
  / head:QuotedString tail:(Separator+ @QuotedString)* { return { kind: 'string', value: [head, ...tail].join(''), at: at() }; }

QuotedString
  = "'" chars:("''" { return "'"; } / [^'])* "'" { return chars.join(''); }

Cast
  = CAST _ "(" _ arg:ValueExpr _ AS _ type:CastType _ ")" { return { kind: 'cast', arg, ...type, at: at() }; }

CastType "type"
  = type:("SMALLINT"i / "INTEGER"i / "BIGINT"i / "REAL"i / "TIMESTAMP"i) !IdentPart { return { type: type.toUpperCase() }; }
  / "DOUBLE"i _ "PRECISION"i !IdentPart { return { type: 'DOUBLE PRECISION' }; }
  / type:("VARCHAR"i / "CHAR"i) !IdentPart length:(_ "(" _ @UnsignedInteger _ ")")? {
      return length === null ? { type: type.toUpperCase() } : { type: type.toUpperCase(), length };
    }

FunctionCall
  = name:RegularName _ "(" _ args:FunctionArgs _ ")" { return { kind: 'call', name: name.toUpperCase(), ...args, at: at() }; }

FunctionArgs
  = "*" { return { args: [], star: true }; }
  / quantifier:(@SetQuantifier _)? args:ExpressionList {
      return quantifier ? { args, quantifier } : { args };
    }
  / "" { return { args: [] }; }

// ---- Names ------------------------------------------------------------------------------

IdentifierChain
  = head:Identifier tail:(_ "." _ @Identifier)* { return [head, ...tail]; }

Identifier "identifier"
  = '"' ('""' / [^"])* End { error('delimited identifier not closed: a " is missing'); }
  / '"' chars:('""' { return '"'; } / [^"])+ '"' { return { name: chars.join(''), quoted: true }; }
  / name:RegularName { return { name, quoted: false }; }

RegularName "identifier"
  = name:$([A-Za-z] IdentPart*) !{ return RESERVED.has(name.toUpperCase()); } { return name; }

IdentPart
  = [A-Za-z0-9_]

// ---- Whitespace and comments ------------------------------------------------------------

_ "whitespace"
  = Separator*

Separator
  = [ \t\r\n\f]
  / "--" [^\n]*

// ---- Keywords (case-insensitive, whole words) -------------------------------------------

ALL = "ALL"i !IdentPart { return 'ALL'; }
AND = "AND"i !IdentPart
AS = "AS"i !IdentPart
ASC = "ASC"i !IdentPart { return 'ASC'; }
BETWEEN = "BETWEEN"i !IdentPart
BY = "BY"i !IdentPart
CAST = "CAST"i !IdentPart
DESC = "DESC"i !IdentPart { return 'DESC'; }
DISTINCT = "DISTINCT"i !IdentPart
EXCEPT = "EXCEPT"i !IdentPart { return 'EXCEPT'; }
EXISTS = "EXISTS"i !IdentPart
FROM = "FROM"i !IdentPart
FULL = "FULL"i !IdentPart { return 'FULL'; }
GROUP = "GROUP"i !IdentPart
HAVING = "HAVING"i !IdentPart
ILIKE = "ILIKE"i !IdentPart { return 'ILIKE'; }
IN = "IN"i !IdentPart
INNER = "INNER"i !IdentPart
INTERSECT = "INTERSECT"i !IdentPart { return 'INTERSECT'; }
IS = "IS"i !IdentPart
JOIN = "JOIN"i !IdentPart
LEFT = "LEFT"i !IdentPart { return 'LEFT'; }
LIKE = "LIKE"i !IdentPart { return 'LIKE'; }
NATURAL = "NATURAL"i !IdentPart
NOT = "NOT"i !IdentPart
NULL = "NULL"i !IdentPart
OFFSET = "OFFSET"i !IdentPart
ON = "ON"i !IdentPart
OR = "OR"i !IdentPart
ORDER = "ORDER"i !IdentPart
OUTER = "OUTER"i !IdentPart
RIGHT = "RIGHT"i !IdentPart { return 'RIGHT'; }
SELECT = "SELECT"i !IdentPart
TOP = "TOP"i !IdentPart
UNION = "UNION"i !IdentPart { return 'UNION'; }
USING = "USING"i !IdentPart
WHERE = "WHERE"i !IdentPart
WITH = "WITH"i !IdentPart
