/**
 * The cost limit: before a request executes, graphql-query-complexity walks its operation
 * with the request's variables and our estimator, which approximates *how many values the
 * answer will hold*. A field costs 1 plus its selection's cost times the number of items it
 * returns: the page size for fields that take `first` (or `limit`), an assumed size for the
 * other lists. So `files(first: 500) { ... hdus { header { ... } } }` costs 500 x (2 HDUs x
 * 100 cards x the card's fields) and nesting lists multiplies, which is exactly what made the
 * recursive `files -> record -> source -> records -> file -> release -> files` query explode.
 *
 * This is a didResolveOperation plugin, not a validation rule: Apollo caches validated
 * documents, but the cost depends on the variables (`first: $n`). The walk costs 60-260 us
 * (measured), too much to repeat for every request of a busy API, so a document's costs are
 * kept by the values of the only variables that change them: page sizes and @include/@skip
 * conditions (Apollo hands the same document object to every request of the same query).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, visit, type DocumentNode, type GraphQLSchema, type ValueNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE } from '../resolvers/release.js';
import { QueryLimitError } from './errors.js';

/**
 * Items assumed for list fields without a page size, per `Type.field`. Source.records is not
 * paginated and a source may be observed by thousands of records: 100 keeps the API bench's
 * "500 files -> source -> all its records" query (cost ~153,500) allowed while one recursion
 * through it multiplies by 100; the deadline and the answer cap bound what it underestimates.
 */
export const ASSUMED_LIST_SIZES: Readonly<Record<string, number>> = {
  'Query.surveys': 20,
  'Query.releases': 50,
  'Survey.releases': 20,
  'Release.runs': 20,
  'File.hdus': 2,
  'File.issues': 10,
  'Hdu.header': 100,
  'Source.records': 100,
  'Record.footprint': 4,
  'Catalogue.columns': 50,
  'Query.activity': 50,
  'Query.processes': 20,
};
const DEFAULT_LIST_SIZE = 10;
/** Fragments spread again and again are re-walked each time; this caps the walk itself. */
const MAX_NODES = 10_000;

/** Items a field returns, for the cost of its selection. */
function itemCount(typeName: string, field: Parameters<ComplexityEstimator>[0]['field'], args: Record<string, unknown>): number {
  const pageArg = field.args.find((a) => a.name === 'first' || a.name === 'limit');
  if (pageArg) {
    const n = args[pageArg.name];
    // A negative page is the resolver's error to report; an absent one is the default page.
    return typeof n === 'number' ? Math.max(n, 0) : DEFAULT_PAGE;
  }
  // The type's SDL form ("[Hdu!]!"), not isListType: that would insist the schema's classes
  // come from the same copy of graphql-js as ours, which a test runner may load twice.
  if (!String(field.type).startsWith('[')) return 1;
  // A connection's edges: its page size was counted at the field that returned the connection.
  if (typeName.endsWith('Connection')) return 1;
  return ASSUMED_LIST_SIZES[`${typeName}.${field.name}`] ?? DEFAULT_LIST_SIZE;
}

export const answerSizeEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  // Introspection answers are bounded by the schema, whatever the query asks.
  if (type.name.startsWith('__') || field.name.startsWith('__')) return 0;
  return 1 + itemCount(type.name, field, args) * childComplexity;
};

const PAGE_ARGS = new Set(['first', 'limit']);
const CONDITIONS = new Set(['include', 'skip']);
/** Distinct variable values remembered per document; a client cycling through page sizes starts it over. */
const MAX_COSTS_PER_DOCUMENT = 100;

/** Names of the variables that can change a document's cost. */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (value: ValueNode) => visit(value, { Variable: (v) => void names.add(v.name.value) });
  visit(document, {
    Argument: (arg) => void (PAGE_ARGS.has(arg.name.value) && collect(arg.value)),
    Directive: (d) => void (CONDITIONS.has(d.name.value) && d.arguments?.forEach((a) => collect(a.value))),
  });
  return [...names];
}

interface DocumentCosts {
  variables: string[];
  costs: Map<string, number>;
}
const byDocument = new WeakMap<DocumentNode, DocumentCosts>();

/** The cost of `operationName` in `document` with these variables, computed once per distinct page sizes. */
function costOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number {
  let entry = byDocument.get(document);
  if (!entry) byDocument.set(document, (entry = { variables: costVariables(document), costs: new Map() }));
  const key = JSON.stringify([operationName ?? null, ...entry.variables.map((n) => variables?.[n] ?? null)]);
  let cost = entry.costs.get(key);
  if (cost === undefined) {
    cost = getComplexity({ schema, query: document, operationName, variables, estimators: [answerSizeEstimator], maxQueryNodes: MAX_NODES });
    if (entry.costs.size >= MAX_COSTS_PER_DOCUMENT) entry.costs.clear();
    entry.costs.set(key, cost);
  }
  return cost;
}

export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return; // no such operation: execution reports it
          let cost: number;
          try {
            cost = costOf(schema, document, operation.name?.value, request.variables);
          } catch (err) {
            if (err instanceof Error && /maximum allowed number of nodes/.test(err.message)) {
              throw new QueryLimitError('cost', maxCost, null, `query has more than ${MAX_NODES} selections to evaluate (fragments count each time they are spread): send a smaller query`);
            }
            // Variables that do not fit the operation: refused here, as execution would refuse them.
            throw new GraphQLError(err instanceof Error ? err.message : String(err), { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
          }
          if (cost > maxCost) {
            throw new QueryLimitError(
              'cost',
              maxCost,
              cost,
              `query cost ${cost} exceeds the limit of ${maxCost} (${(cost / maxCost).toFixed(1)}x): lower \`first\` or select fewer nested lists; a list field multiplies the cost of what it selects`,
            );
          }
        },
      };
    },
  };
}
