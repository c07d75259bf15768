/**
 * Look-ahead for lists: when a resolver has loaded a list of rows (a page of files), it loads
 * the relations its query selects below them, level by level (File.record, then Record.source,
 * then Source.records, then Record.file...), before it returns. Each level is one loader batch
 * over all the rows of that level, the same single statement the field resolvers would have
 * caused; the statements per request stay flat in the page size. What changes is that the
 * field resolvers below then find their values loaded (Loader.get) and return them without a
 * promise: graphql-js completes them on the spot instead of awaiting thousands of promises.
 *
 * Only the relations in RELATIONS are followed; anything else is resolved as usual. A failed
 * batch is not reported here: the loader keeps the rejection, and the field that needs it
 * reports it where it belongs.
 */
import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import type { Loader } from '../loaders/loader.js';
import type { GraphQLContext } from './context.js';
import { recordsOfSource } from './visibility.js';

interface Relation {
  /** The GraphQL type the field returns (its items' type for a list). */
  type: string;
  loader(ctx: GraphQLContext): Loader<unknown>;
  key(row: any): number | null;
}

const RELATIONS: Record<string, Record<string, Relation>> = {
  File: {
    record: { type: 'Record', loader: (c) => c.loaders.recordByFileId, key: (f) => f.id },
    issues: { type: 'ValidationIssue', loader: (c) => c.loaders.issuesByFileId, key: (f) => f.id },
    hdus: { type: 'Hdu', loader: (c) => c.loaders.hdusByFileId, key: (f) => f.id },
    release: { type: 'Release', loader: (c) => c.loaders.releaseById, key: (f) => f.releaseId },
  },
  Record: {
    source: { type: 'Source', loader: (c) => c.loaders.sourceById, key: (r) => r.sourceId },
    file: { type: 'File', loader: (c) => c.loaders.fileById, key: (r) => r.fileId },
    release: { type: 'Release', loader: (c) => c.loaders.releaseById, key: (r) => r.releaseId },
  },
  Source: {
    records: { type: 'Record', loader: (c) => recordsOfSource(c), key: (s) => s.id },
  },
};

/** The sub-selections of `fields` per field name (aliases merged), fragments followed. */
function fieldsBelow(sets: readonly SelectionSetNode[], fragments: Record<string, FragmentDefinitionNode>): Map<string, SelectionSetNode[]> {
  const byName = new Map<string, SelectionSetNode[]>();
  const visit = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (sel.kind === 'Field') {
        let list = byName.get(sel.name.value);
        if (!list) byName.set(sel.name.value, (list = []));
        if (sel.selectionSet) list.push(sel.selectionSet);
      } else if (sel.kind === 'InlineFragment') {
        visit(sel.selectionSet);
      } else {
        const fragment = fragments[sel.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  sets.forEach(visit);
  return byName;
}

/** Selection sets reached from the resolver's field through `path` (e.g. ['edges', 'node']). */
export function selectionsAt(info: GraphQLResolveInfo, path: readonly string[]): SelectionSetNode[] {
  let sets = info.fieldNodes.flatMap((f: FieldNode) => (f.selectionSet ? [f.selectionSet] : []));
  for (const name of path) sets = fieldsBelow(sets, info.fragments).get(name) ?? [];
  return sets;
}

/** Load the relations `sets` select below `rows` (of GraphQL type `type`), recursively. */
export async function loadAhead(ctx: GraphQLContext, type: string, rows: readonly unknown[], sets: SelectionSetNode[], fragments: Record<string, FragmentDefinitionNode>): Promise<void> {
  const relations = RELATIONS[type];
  if (!relations || rows.length === 0 || sets.length === 0) return;
  const work: Promise<void>[] = [];
  for (const [name, below] of fieldsBelow(sets, fragments)) {
    const relation = relations[name];
    if (!relation) continue;
    const keys = new Set<number>();
    for (const row of rows) {
      const k = relation.key(row);
      if (k !== null) keys.add(k);
    }
    work.push(
      relation
        .loader(ctx)
        .loadMany([...keys])
        .then((values) => {
          const children: unknown[] = [];
          for (const v of values) {
            if (v instanceof Error || v === null) continue;
            if (Array.isArray(v)) for (const item of v) children.push(item);
            else children.push(v);
          }
          return loadAhead(ctx, relation.type, children, below, fragments);
        }),
    );
  }
  await Promise.all(work);
}

/** `loadAhead` from a resolver's own field, for its `rows` found at `path` below it. */
export async function loadAheadFrom(ctx: GraphQLContext, info: GraphQLResolveInfo, path: readonly string[], type: string, rows: readonly unknown[]): Promise<void> {
  try {
    await loadAhead(ctx, type, rows, selectionsAt(info, path), info.fragments);
  } catch {
    // The loaders keep the failure; the fields that need the values report it.
  }
}
