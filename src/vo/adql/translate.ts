/**
 * ADQL tree -> one PostgreSQL statement with $n parameters, and its output columns.
 *
 * What reaches the SQL: table names from the catalogue (its sqlName), column names from the
 * catalogue (quoted), generated relation aliases ("t1", "t2", ...: the user's correlation names
 * never appear), whitelisted functions, parameters for every literal, and integers the parser
 * checked (TOP, OFFSET, ORDER BY ordinals) or src/sky computed (pixel ranges). Anything else is
 * an AdqlError naming it, with its position.
 *
 * Limits: TOP n and MAXREC become LIMIT min(n, maxrec + 1) on the outer query (one row more than
 * MAXREC lets the caller report OVERFLOW); a subquery keeps its own TOP and nothing else.
 * `*` is expanded to the tables' columns (so the output columns are known here; columns joined
 * by USING or NATURAL appear once per table). Output names are the alias, the column's name or
 * the function's, made unique with a _2, _3 suffix (names that differ in case are distinct).
 */
import { Params } from '../../db/queries/record-search.js';
import type { AdqlQuery, Condition, Expr, FromItem, Identifier, OrderItem, SelectItem, SourcePosition } from './ast.js';
import type { TapCatalogue, TapColumnInfo, TapTableInfo } from './catalogue.js';
import { AdqlError } from './errors.js';
import { AGGREGATES, CAST_TYPES, SCALAR_FUNCTIONS, UNSUPPORTED_GEOMETRY } from './functions.js';
import { GEOMETRY_CONSTRUCTORS, Geometry, quoteIdent, type ResolvedColumn } from './geometry.js';

export type OutputColumn = TapColumnInfo;

export interface TranslatedQuery {
  sql: string;
  params: unknown[];
  columns: OutputColumn[];
}

type ColumnExpr = Extract<Expr, { kind: 'column' }>;
type Info = Omit<TapColumnInfo, 'name'>;

/** A table or subquery in a FROM clause. */
interface Relation {
  alias?: Identifier;
  table?: TapTableInfo;
  columns: TapColumnInfo[];
  /** The generated alias, quoted. */
  sql: string;
}

class Scope {
  readonly relations: Relation[] = [];
  /** Columns a USING or NATURAL join equated (lower case): an unqualified one is not ambiguous. */
  readonly joined = new Set<string>();
  constructor(readonly parent: Scope | undefined) {}
}

interface Value {
  sql: string;
  info: Info;
  /** The output name it gets without an alias. */
  name?: string;
}

interface SelectOutput {
  sql: string;
  column: OutputColumn;
  /** The alias as written, for ORDER BY / GROUP BY by alias. */
  alias?: Identifier;
}

const key = (id: Identifier) => (id.quoted ? id.name : id.name.toLowerCase());
const matches = (id: Identifier, name: string) => (id.quoted ? id.name === name : id.name.toLowerCase() === name.toLowerCase());
const show = (parts: Identifier[]) => parts.map((p) => (p.quoted ? quoteIdent(p.name) : p.name)).join('.');
const tableLabel = (r: Relation) => (r.table ? `${r.table.schema}.${r.table.name}` : `subquery ${r.alias?.name ?? ''}`.trim());
const INT = /^[0-9]+$/;
/** PostgreSQL's limit on the parameters of one statement. */
const MAX_PARAMS = 65_535;
/** Operations one expression may nest (PostgreSQL's own parser has a stack limit too). */
export const MAX_EXPRESSION_DEPTH = 500;
/** The longest CHAR(n)/VARCHAR(n) of a CAST: each value is padded to n characters. */
export const MAX_CAST_LENGTH = 65_535;

/** The names to ask the catalogue for: a delimited identifier as written; a regular one in lower, written and upper case. */
function spellings(id: Identifier): string[] {
  return id.quoted ? [id.name] : [...new Set([id.name.toLowerCase(), id.name, id.name.toUpperCase()])];
}

function findColumn(columns: TapColumnInfo[], id: Identifier, at: SourcePosition): TapColumnInfo | undefined {
  const exact = columns.find((c) => c.name === id.name);
  if (exact || id.quoted) return exact;
  const folded = columns.filter((c) => c.name.toLowerCase() === id.name.toLowerCase());
  if (folded.length > 1) throw new AdqlError(`column ${id.name} matches ${folded.map((c) => quoteIdent(c.name)).join(' and ')}: write it in double quotes`, at);
  return folded[0];
}

class Translator {
  readonly params = new Params();
  private relationCount = 0;
  private scope: Scope = new Scope(undefined);
  private readonly geometry = new Geometry({
    params: this.params,
    value: (e) => this.value(e).sql,
    constant: (e) => this.constant(e),
    column: (e) => this.resolveColumn(e),
  });

  constructor(private readonly catalogue: TapCatalogue) {}

  /** One SELECT in its own scope; `limit` caps its rows (TOP, and MAXREC for the outer query). */
  query(q: AdqlQuery, parent: Scope | undefined, limit: number | undefined): { sql: string; columns: OutputColumn[] } {
    const saved = this.scope;
    const scope = (this.scope = new Scope(parent));
    try {
      const from = q.from.map((f) => this.fromItem(f, scope)).join(', ');
      const items = this.selectList(q.select, scope);
      let sql = `SELECT ${q.quantifier === 'DISTINCT' ? 'DISTINCT ' : ''}${items.map((i) => `${i.sql} AS ${quoteIdent(i.column.name)}`).join(', ')}\n  FROM ${from}`;
      if (q.where) sql += `\n WHERE ${this.condition(q.where)}`;
      if (q.groupBy) sql += `\n GROUP BY ${q.groupBy.map((e) => this.groupTerm(e, items)).join(', ')}`;
      if (q.having) sql += `\n HAVING ${this.condition(q.having)}`;
      if (q.orderBy) sql += `\n ORDER BY ${q.orderBy.map((o) => this.orderTerm(o, items)).join(', ')}`;
      if (limit !== undefined) sql += `\n LIMIT ${limit}`;
      if (q.offset) sql += `\n OFFSET ${q.offset}`;
      return { sql, columns: items.map((i) => i.column) };
    } finally {
      this.scope = saved;
    }
  }

  // ---- FROM ---------------------------------------------------------------------------

  private table(parts: Identifier[], at: SourcePosition): TapTableInfo {
    if (parts.length > 2) throw new AdqlError(`catalog names are not supported: ${show(parts)}`, at);
    const [schema, name] = parts.length === 2 ? parts : [undefined, parts[0]];
    for (const s of schema ? spellings(schema) : [undefined]) {
      for (const n of spellings(name)) {
        const t = this.catalogue.table(s, n);
        if (t) return t;
      }
    }
    throw new AdqlError(`unknown table ${show(parts)} (TAP_SCHEMA.tables lists the tables)`, at);
  }

  private relation(scope: Scope, r: Omit<Relation, 'sql'>): string {
    const sql = quoteIdent(`t${++this.relationCount}`);
    scope.relations.push({ ...r, sql });
    return sql;
  }

  private fromItem(f: FromItem, scope: Scope): string {
    if (f.kind === 'table') {
      const table = this.table(f.parts, f.at);
      return `${table.sqlName} AS ${this.relation(scope, { alias: f.alias, table, columns: table.columns })}`;
    }
    if (f.kind === 'derived') {
      // A subquery in FROM sees the enclosing query's scope, not its FROM siblings.
      const sub = this.query(f.query, scope.parent, f.query.top);
      return `(${sub.sql}) AS ${this.relation(scope, { alias: f.alias, columns: sub.columns })}`;
    }
    const before = scope.relations.length;
    const left = this.fromItem(f.left, scope);
    const middle = scope.relations.length;
    const right = this.fromItem(f.right, scope);
    const lefts = scope.relations.slice(before, middle);
    const rights = scope.relations.slice(middle);
    let on: string;
    if (f.on) on = this.condition(f.on);
    else if (f.using || f.natural) {
      // USING and NATURAL as explicit equalities (the two sides may spell a name differently).
      const names = f.using ?? this.commonColumns(lefts, rights);
      const pairs = names.map((id) => {
        const side = (rels: Relation[], which: string) => {
          for (const r of rels) {
            const c = findColumn(r.columns, id, f.at);
            if (c) return `${r.sql}.${quoteIdent(c.name)}`;
          }
          throw new AdqlError(`join column ${id.name} is not in the ${which} table`, f.at);
        };
        scope.joined.add(id.name.toLowerCase());
        return `${side(lefts, 'left')} = ${side(rights, 'right')}`;
      });
      on = pairs.length ? pairs.join(' AND ') : 'TRUE';
    } else on = 'TRUE';
    return `(${left} ${f.type === 'INNER' ? 'INNER' : `${f.type} OUTER`} JOIN ${right} ON ${on})`;
  }

  private commonColumns(lefts: Relation[], rights: Relation[]): Identifier[] {
    const rightNames = new Set(rights.flatMap((r) => r.columns.map((c) => c.name)));
    return [...new Set(lefts.flatMap((r) => r.columns.map((c) => c.name)))].filter((n) => rightNames.has(n)).map((name) => ({ name, quoted: true }));
  }

  // ---- Names --------------------------------------------------------------------------

  private qualifies(r: Relation, qualifier: Identifier[]): boolean {
    if (qualifier.length === 1) return r.alias ? key(qualifier[0]) === key(r.alias) : !!r.table && matches(qualifier[0], r.table.name);
    return !!r.table && matches(qualifier[0], r.table.schema) && matches(qualifier[1], r.table.name);
  }

  resolveColumn(e: ColumnExpr): ResolvedColumn {
    const name = e.parts[e.parts.length - 1];
    const qualifier = e.parts.slice(0, -1);
    if (qualifier.length > 2) throw new AdqlError(`catalog names are not supported: ${show(e.parts)}`, e.at);
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      const rels = qualifier.length ? s.relations.filter((r) => this.qualifies(r, qualifier)) : s.relations;
      if (rels.length === 0) continue;
      const hits = rels.flatMap((r) => {
        const c = findColumn(r.columns, name, e.at);
        return c ? [{ r, c }] : [];
      });
      if (hits.length === 1 || (hits.length > 1 && s.joined.has(name.name.toLowerCase()))) {
        const { r, c } = hits[0];
        const sql = hits.length === 1 ? `${r.sql}.${quoteIdent(c.name)}` : `coalesce(${hits.map((h) => `${h.r.sql}.${quoteIdent(h.c.name)}`).join(', ')})`;
        return { sql, info: c, table: hits.length === 1 ? r.table : undefined, relation: r.sql };
      }
      if (hits.length > 1) throw new AdqlError(`column ${name.name} is ambiguous: it is in ${hits.map((h) => tableLabel(h.r)).join(' and ')}; qualify it`, e.at);
      if (qualifier.length) throw new AdqlError(`unknown column ${name.name} in table ${tableLabel(rels[0])}`, e.at);
    }
    if (qualifier.length) throw new AdqlError(`unknown table or alias ${show(qualifier)} in column ${show(e.parts)}`, e.at);
    const tables = this.scope.relations.map(tableLabel);
    throw new AdqlError(`unknown column ${name.name}${tables.length ? ` in table${tables.length > 1 ? 's' : ''} ${tables.join(', ')}` : ''}`, e.at);
  }

  // ---- SELECT list, GROUP BY, ORDER BY ------------------------------------------------

  private selectList(items: SelectItem[], scope: Scope): SelectOutput[] {
    const out: SelectOutput[] = [];
    const taken = new Set<string>();
    const unique = (name: string) => {
      let n = name;
      for (let k = 2; taken.has(n); k++) n = `${name}_${k}`;
      taken.add(n);
      return n;
    };
    for (const item of items) {
      if (item.kind === 'star') {
        const rels = item.qualifier ? scope.relations.filter((r) => this.qualifies(r, item.qualifier!)) : scope.relations;
        if (rels.length === 0) throw new AdqlError(`unknown table or alias ${show(item.qualifier!)} in ${show(item.qualifier!)}.*`, item.at);
        for (const r of rels) {
          for (const c of r.columns) out.push({ sql: `${r.sql}.${quoteIdent(c.name)}`, column: { ...c, name: unique(c.name) } });
        }
        continue;
      }
      const v = this.value(item.expr, true);
      const name = unique(item.alias?.name ?? v.name ?? `col${out.length + 1}`);
      out.push({ sql: v.sql, column: { ...v.info, name }, alias: item.alias });
    }
    return out;
  }

  /** An output column named by an unqualified reference (an alias), if any. */
  private byAlias(e: Expr, items: SelectOutput[]): SelectOutput | undefined {
    if (e.kind !== 'column' || e.parts.length !== 1) return undefined;
    return items.find((i) => i.alias && key(i.alias) === key(e.parts[0]));
  }

  private ordinal(e: Expr, items: SelectOutput[], clause: string): string | undefined {
    if (e.kind !== 'number') return undefined;
    if (!INT.test(e.text) || Number(e.text) < 1 || Number(e.text) > items.length) {
      throw new AdqlError(`${clause} ${e.text}: a column number must be between 1 and ${items.length}`, e.at);
    }
    return String(Number(e.text));
  }

  private orderTerm(o: OrderItem, items: SelectOutput[]): string {
    const alias = this.byAlias(o.expr, items);
    const sql = this.ordinal(o.expr, items, 'ORDER BY') ?? (alias ? quoteIdent(alias.column.name) : this.value(o.expr).sql);
    return o.descending ? `${sql} DESC` : sql;
  }

  private groupTerm(e: Expr, items: SelectOutput[]): string {
    const ordinal = this.ordinal(e, items, 'GROUP BY');
    if (ordinal) return ordinal;
    const alias = this.byAlias(e, items);
    if (alias) {
      try {
        return this.value(e).sql; // a column of that name wins, as in SQL
      } catch (err) {
        if (err instanceof AdqlError) return quoteIdent(alias.column.name);
        throw err;
      }
    }
    return this.value(e).sql;
  }

  // ---- Values -------------------------------------------------------------------------

  /** A numeric constant the query spells out (literals, + - * /, PI()), for geometry arguments. */
  constant(e: Expr): number | undefined {
    switch (e.kind) {
      case 'number':
        return Number(e.text);
      case 'unary': {
        const v = this.constant(e.arg);
        return v === undefined ? undefined : e.op === '-' ? -v : v;
      }
      case 'binary': {
        const l = this.constant(e.left);
        const r = this.constant(e.right);
        if (l === undefined || r === undefined) return undefined;
        return e.op === '+' ? l + r : e.op === '-' ? l - r : e.op === '*' ? l * r : e.op === '/' ? l / r : undefined;
      }
      case 'call':
        return e.name === 'PI' && e.args.length === 0 ? Math.PI : undefined;
      default:
        return undefined;
    }
  }

  private number(text: string): Value {
    if (INT.test(text)) {
      const n = Number(text);
      if (Number.isSafeInteger(n)) return { sql: this.params.add(n, 'int8'), info: { datatype: 'long' } };
      return { sql: this.params.add(text, 'numeric'), info: { datatype: 'double' } };
    }
    return { sql: this.params.add(text, /[eE]/.test(text) ? 'float8' : 'numeric'), info: { datatype: 'double' } };
  }

  /** A string literal with no type: PostgreSQL takes the other operand's, as for a quoted literal. */
  private untyped(value: string): string {
    this.params.values.push(value);
    return `$${this.params.values.length}`;
  }

  /** An operand of a comparison: a string literal takes the other side's type. */
  private operand(e: Expr, others: Expr[]): string {
    if (e.kind === 'string' && others.some((o) => o.kind !== 'string')) return this.untyped(e.value);
    return this.value(e).sql;
  }

  /** How deep value() is now: a chain of 19,000 `+` recursed past the stack (a 500 answer). */
  private depth = 0;

  value(e: Expr, selected = false): Value {
    if (++this.depth > MAX_EXPRESSION_DEPTH) {
      throw new AdqlError(`an expression nests more than ${MAX_EXPRESSION_DEPTH} operations deep (a chain of + or || counts as deep as it is long): split it`, (e as { at?: SourcePosition }).at);
    }
    try {
      return this.valueOf(e, selected);
    } finally {
      this.depth--;
    }
  }

  private valueOf(e: Expr, selected: boolean): Value {
    switch (e.kind) {
      case 'number':
        return this.number(e.text);
      case 'string':
        return { sql: this.params.add(e.value, 'text'), info: { datatype: 'char', arraysize: '*' } };
      case 'null':
        return { sql: 'NULL', info: { datatype: 'char', arraysize: '*' } };
      case 'column': {
        const c = this.resolveColumn(e);
        const { name, ...info } = c.info;
        return { sql: c.sql, info, name };
      }
      case 'unary': {
        const v = this.value(e.arg);
        return { sql: e.op === '-' ? `(-${v.sql})` : v.sql, info: v.info };
      }
      case 'binary': {
        const l = this.value(e.left);
        const r = this.value(e.right);
        // Bounded (migration 0031): nested subqueries could otherwise grow a value tenfold a level.
        if (e.op === '||') return { sql: `ivoa.adql_concat((${l.sql})::text, (${r.sql})::text)`, info: { datatype: 'char', arraysize: '*' } };
        const integral = e.op !== '/' && ['long', 'int', 'short'].includes(l.info.datatype) && ['long', 'int', 'short'].includes(r.info.datatype);
        return { sql: `(${l.sql} ${e.op} ${r.sql})`, info: { datatype: integral ? 'long' : 'double' } };
      }
      case 'cast': {
        const target = CAST_TYPES.get(e.type)!;
        if (e.length !== undefined && e.length > MAX_CAST_LENGTH) {
          throw new AdqlError(`CAST to ${e.type}(${e.length}): the length may be at most ${MAX_CAST_LENGTH.toLocaleString('en-US')} (every value is padded to it)`, e.at);
        }
        const length = e.length !== undefined ? `(${e.length})` : '';
        return { sql: `CAST(${this.value(e.arg).sql} AS ${target.pg}${length})`, info: { datatype: target.datatype, ...(target.datatype === 'char' ? { arraysize: '*' } : {}) } };
      }
      case 'subquery': {
        const sub = this.query(e.query, this.scope, e.query.top);
        if (sub.columns.length !== 1) throw new AdqlError(`a subquery used as a value must select one column, not ${sub.columns.length}`, e.at);
        const { name, ...info } = sub.columns[0];
        return { sql: `(${sub.sql})`, info, name };
      }
      case 'call':
        return this.call(e, selected);
    }
  }

  private call(e: Extract<Expr, { kind: 'call' }>, selected: boolean): Value {
    const name = e.name.toLowerCase();
    if (AGGREGATES.has(e.name)) {
      if (e.star) {
        if (e.name !== 'COUNT') throw new AdqlError(`${e.name}(*) is not valid: only COUNT(*)`, e.at);
        return { sql: 'count(*)', info: { datatype: 'long' }, name };
      }
      if (e.args.length !== 1) throw new AdqlError(`${e.name} takes 1 argument, got ${e.args.length}`, e.at);
      const arg = this.value(e.args[0]);
      const sql = `${name}(${e.quantifier === 'DISTINCT' ? 'DISTINCT ' : ''}${arg.sql})`;
      const info: Info = e.name === 'COUNT' ? { datatype: 'long' } : e.name === 'AVG' ? { datatype: 'double', unit: arg.info.unit } : { ...arg.info, description: undefined };
      return { sql, info, name };
    }
    if (e.star || e.quantifier) throw new AdqlError(`${e.name} is not an aggregate function: ${e.star ? '*' : e.quantifier} is not allowed`, e.at);
    const arity = (min: number, max = min) => {
      if (e.args.length < min || e.args.length > max) {
        throw new AdqlError(`${e.name} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${e.args.length}`, e.at);
      }
    };
    switch (e.name) {
      case 'CONTAINS':
      case 'INTERSECTS':
        return { sql: `(${this.predicate(e)})::int4`, info: { datatype: 'int' }, name };
      case 'DISTANCE':
        return { sql: this.geometry.distance(e.args, e.at), info: { datatype: 'double', unit: 'deg' }, name };
      case 'COORD1':
      case 'COORD2':
        arity(1);
        return { sql: this.geometry.coordinate(e.args[0], e.name === 'COORD1' ? 1 : 2), info: { datatype: 'double', unit: 'deg' }, name };
      case 'COORDSYS':
        arity(1);
        this.geometry.of(e.args[0]);
        return { sql: this.params.add('ICRS', 'text'), info: { datatype: 'char', arraysize: '*' }, name };
    }
    if (GEOMETRY_CONSTRUCTORS.has(e.name)) {
      if (!selected) throw new AdqlError(`${e.name} is a geometry: use it in CONTAINS, INTERSECTS, DISTANCE, COORD1 or COORD2`, e.at);
      const g = this.geometry.asValue(e);
      return { sql: g.sql, info: { datatype: 'double', arraysize: g.arraysize, xtype: g.xtype, unit: 'deg' }, name };
    }
    const unsupported = UNSUPPORTED_GEOMETRY.get(e.name);
    if (unsupported) throw new AdqlError(unsupported, e.at);
    const f = SCALAR_FUNCTIONS.get(e.name);
    if (!f) throw new AdqlError(`unknown function ${e.name}: ADQL 2.0's mathematical, trigonometric, string, aggregate and geometry functions are available`, e.at);
    arity(f.min, f.max);
    const args = e.args.map((a) => this.value(a));
    const info: Info = f.datatype === 'same' ? { datatype: args[0]?.info.datatype ?? 'double' } : f.datatype === 'char' ? { datatype: 'char', arraysize: '*' } : { datatype: 'double' };
    return { sql: f.sql(args.map((a) => a.sql)), info, name };
  }

  /** CONTAINS / INTERSECTS as a condition. */
  private predicate(e: Extract<Expr, { kind: 'call' }>): string {
    if (e.args.length !== 2) throw new AdqlError(`${e.name} takes 2 arguments, got ${e.args.length}`, e.at);
    return e.name === 'CONTAINS' ? this.geometry.contains(e.args[0], e.args[1], e.at) : this.geometry.intersects(e.args[0], e.args[1], e.at);
  }

  // ---- Conditions ---------------------------------------------------------------------

  private subquery(q: AdqlQuery, at: SourcePosition, oneColumn: boolean): string {
    const sub = this.query(q, this.scope, q.top);
    if (oneColumn && sub.columns.length !== 1) throw new AdqlError(`the subquery must select one column, not ${sub.columns.length}`, at);
    return sub.sql;
  }

  condition(c: Condition): string {
    switch (c.kind) {
      case 'and':
      case 'or':
        return `(${this.condition(c.left)} ${c.kind.toUpperCase()} ${this.condition(c.right)})`;
      case 'not':
        return `(NOT ${this.condition(c.arg)})`;
      case 'compare': {
        const geometric = this.geometricComparison(c.left, c.right, c.op) ?? this.geometricComparison(c.right, c.left, c.op);
        if (geometric) return geometric;
        return `(${this.operand(c.left, [c.right])} ${c.op} ${this.operand(c.right, [c.left])})`;
      }
      case 'between':
        return `(${this.operand(c.arg, [c.low, c.high])} ${c.not ? 'NOT ' : ''}BETWEEN ${this.operand(c.low, [c.arg])} AND ${this.operand(c.high, [c.arg])})`;
      case 'like':
        return `(${this.value(c.arg).sql} ${c.not ? 'NOT ' : ''}${c.caseInsensitive ? 'ILIKE' : 'LIKE'} ${this.operand(c.pattern, [c.arg])})`;
      case 'null-test':
        return `(${this.value(c.arg).sql} IS ${c.not ? 'NOT ' : ''}NULL)`;
      case 'in': {
        const arg = this.operand(c.arg, c.list ?? []);
        const values = c.list ? c.list.map((v) => this.operand(v, [c.arg])).join(', ') : this.subquery(c.query!, c.at, true);
        return `(${arg} ${c.not ? 'NOT ' : ''}IN (${values}))`;
      }
      case 'exists':
        return `(EXISTS (${this.subquery(c.query, c.at, false)}))`;
    }
  }

  /** `CONTAINS(...) = 1` (or 0, or <>, either side) as the condition itself, so indexes apply. */
  private geometricComparison(g: Expr, k: Expr, op: string): string | undefined {
    if (g.kind !== 'call' || (g.name !== 'CONTAINS' && g.name !== 'INTERSECTS')) return undefined;
    if (k.kind !== 'number' || (op !== '=' && op !== '<>') || (Number(k.text) !== 0 && Number(k.text) !== 1)) return undefined;
    const holds = (Number(k.text) === 1) === (op === '=');
    const cond = this.predicate(g);
    return holds ? cond : `(NOT ${cond})`;
  }
}

/**
 * Drops the parameters the SQL does not use (a constant POINT tested against a coverage becomes
 * a pixel number, RAND's seed is ignored, ...) and renumbers the rest in order: PostgreSQL
 * refuses a parameter whose type it cannot infer. Quoted names and literals are skipped.
 */
function compactParams(sql: string, values: unknown[]): { sql: string; params: unknown[] } {
  const renumbered = new Map<number, number>();
  const params: unknown[] = [];
  const text = sql.replace(/("(?:[^"]|"")*"|'[^']*')|\$(\d+)/g, (whole, quoted: string | undefined, n: string | undefined) => {
    if (quoted !== undefined) return whole;
    const old = Number(n);
    let now = renumbered.get(old);
    if (now === undefined) {
      params.push(values[old - 1]);
      now = params.length;
      renumbered.set(old, now);
    }
    return `$${now}`;
  });
  return { sql: text, params };
}

/**
 * The statement for `ast` over the catalogue's tables, limited to min(TOP, maxrec + 1) rows,
 * with its parameters and output columns (metadata from the catalogue where a column is
 * selected as is).
 */
export function translateAdql(ast: AdqlQuery, catalogue: TapCatalogue, o: { maxrec: number }): TranslatedQuery {
  if (!Number.isSafeInteger(o.maxrec) || o.maxrec < 0) throw new RangeError(`maxrec must be a non-negative integer, got ${o.maxrec}`);
  const t = new Translator(catalogue);
  let translated: { sql: string; columns: OutputColumn[] };
  try {
    translated = t.query(ast, undefined, Math.min(ast.top ?? Infinity, o.maxrec + 1));
  } catch (err) {
    // Conditions nest too (a chain of 19,000 ANDs): past the stack, the query is the client's to split.
    if (err instanceof RangeError) throw new AdqlError('the query nests too deeply (a long chain of AND, OR or operators): split it');
    throw err;
  }
  const { sql, columns } = translated;
  const compact = compactParams(sql, t.params.values);
  if (compact.params.length > MAX_PARAMS) throw new AdqlError(`the query has ${compact.params.length} literals; at most ${MAX_PARAMS}`);
  return { ...compact, columns };
}
