/**
 * Which fields of which types an operation selects, anywhere in it (fragments included): the
 * loaders then select only the columns those fields need (src/loaders/narrow.ts). Q2 of the
 * API bench reads 2,500 records for their ids and 2,000 files for their paths; parsing the
 * other two dozen columns of each row cost more than answering the rest.
 *
 * Computed once per document and operation (Apollo hands the same document object to every
 * request of the same query text), set on the context when execution starts (plugins.ts).
 */
import type { DocumentNode, FragmentDefinitionNode, GraphQLSchema, SelectionSetNode } from 'graphql';

export type SelectedFields = ReadonlyMap<string, ReadonlySet<string>>;

const byDocument = new WeakMap<DocumentNode, Map<string, SelectedFields>>();
/** Operations of one document remembered; a document is one query text, so this is a guard. */
const MAX_PER_DOCUMENT = 20;

export function selectedFields(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): SelectedFields {
  let perOperation = byDocument.get(document);
  if (!perOperation) byDocument.set(document, (perOperation = new Map()));
  const key = operationName ?? '';
  let found = perOperation.get(key);
  if (!found) {
    found = collect(schema, document);
    if (perOperation.size >= MAX_PER_DOCUMENT) perOperation.clear();
    perOperation.set(key, found);
  }
  return found;
}

/**
 * Every `Type.field` the document's operations and fragments reach (a superset is safe). Types
 * are looked up by name (a field's SDL type with [ ] and ! removed), not with graphql-js's
 * TypeInfo: that insists the schema's classes come from our copy of graphql-js, which a test
 * runner may load twice.
 */
function collect(schema: GraphQLSchema, document: DocumentNode): SelectedFields {
  const fields = new Map<string, Set<string>>();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === 'FragmentDefinition') fragments.set(def.name.value, def);
  const seen = new Set<string>();
  const walk = (typeName: string, set: SelectionSetNode) => {
    const type = schema.getType(typeName) as { getFields?: () => Record<string, { type: unknown }> } | undefined;
    const typeFields = type?.getFields?.();
    for (const sel of set.selections) {
      if (sel.kind === 'Field') {
        let names = fields.get(typeName);
        if (!names) fields.set(typeName, (names = new Set()));
        names.add(sel.name.value);
        const field = typeFields?.[sel.name.value];
        if (sel.selectionSet && field) walk(String(field.type).replace(/[[\]!]/g, ''), sel.selectionSet);
      } else if (sel.kind === 'InlineFragment') {
        walk(sel.typeCondition?.name.value ?? typeName, sel.selectionSet);
      } else {
        const fragment = fragments.get(sel.name.value);
        const key = `${sel.name.value}@${typeName}`;
        if (fragment && !seen.has(key)) {
          seen.add(key);
          walk(fragment.typeCondition.name.value, fragment.selectionSet);
        }
      }
    }
  };
  for (const def of document.definitions) {
    if (def.kind !== 'OperationDefinition') continue;
    const root = def.operation === 'query' ? schema.getQueryType() : def.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (root) walk(root.name, def.selectionSet);
  }
  return fields;
}
