/**
 * Query.records and Query.sources: one statement per page (src/db/queries/record-search.ts,
 * source-search.ts), whatever the filters. A page's records are read with the columns and the
 * embedded relations the record loaders would use (src/loaders/narrow.ts, embed.ts) and primed
 * into those loaders, so nested fields cost what they cost below Release.files; totalCount is
 * one more statement, run only when the operation selects it.
 */
import { getTableColumns } from 'drizzle-orm';
import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { canSeeDrafts } from '../../auth/access.js';
import { DISTANCE_COLUMN, recordCountSql, recordSearchSql, T_MIN_COLUMN } from '../../db/queries/record-search.js';
import { sourceSearchSql } from '../../db/queries/source-search.js';
import { records } from '../../db/schema.js';
import { badInput } from '../../errors.js';
import { selectList } from '../../loaders/columns.js';
import { recordEmbeds, type Primers } from '../../loaders/embed.js';
import { columnsFor } from '../../loaders/narrow.js';
import type { GraphQLContext } from '../context.js';
import { loadAheadFrom } from '../lookahead.js';
import type { FileModel, HduModel, IssueModel, RecordModel, SourceModel } from '../models.js';
import { positionOfSource } from '../visibility.js';
import { decodeSearchCursor, encodeSearchCursor, pageSize, recordSearch, sourceSearch } from './search-input.js';

/** The record columns the loaders serve (not the sky index), as src/loaders/index.ts lists them. */
const RECORD_PROPS = Object.keys(getTableColumns(records)).filter((c) => c !== 'hpx' && c !== 'coverage');
/** FileModel's columns, as the file loaders select them (every key of FileModel, checked). */
const FILE_PROPS = Object.keys({
  id: 1,
  releaseId: 1,
  path: 1,
  sizeBytes: 1,
  checksum: 1,
  kind: 1,
  status: 1,
  missing: 1,
} satisfies Record<keyof FileModel, 1>);

function primers(ctx: GraphQLContext): Primers {
  const l = ctx.loaders;
  return {
    record: (fileId, record) => l.recordByFileId.prime(fileId, record as RecordModel | null),
    source: (id, source) => l.sourceById.prime(id, source as SourceModel | null),
    issues: (fileId, issues) => l.issuesByFileId.prime(fileId, issues as IssueModel[]),
    hdus: (fileId, list) => l.hdusByFileId.prime(fileId, list as HduModel[]),
    file: (id, file) => l.fileById.prime(id, file as FileModel | null),
  };
}

/** Whether the field's own selection (fragments included) asks for `name`. */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    !!set &&
    set.selections.some((sel) =>
      sel.kind === 'Field' ? sel.name.value === name : sel.kind === 'InlineFragment' ? visit(sel.selectionSet) : visit(info.fragments[sel.name.value]?.selectionSet),
    );
  return info.fieldNodes.some((f: FieldNode) => visit(f.selectionSet));
}

type SearchRow = RecordModel & { [DISTANCE_COLUMN]: number | null; [T_MIN_COLUMN]?: number | null };

export const searchResolvers: Resolvers = {
  Query: {
    records: async (_root, args, ctx, info) => {
      const first = pageSize(args.first);
      const orderBy = args.orderBy ?? 'ID';
      const search = recordSearch(args.filter, !canSeeDrafts(ctx.viewer));
      if (orderBy === 'DISTANCE' && !search.cone) throw badInput('orderBy DISTANCE needs a filter.cone (the distances are from its centre)', 'orderBy');
      const after = decodeSearchCursor(orderBy, args.after);
      const selected = ctx.selection.fields;
      const embeds = recordEmbeds(selected, columnsFor('File', FILE_PROPS, selected), primers(ctx));
      const select = selectList(records, 'rec', columnsFor('Record', RECORD_PROPS, selected)) + embeds.sql;
      const pool = ctx.database.pool;
      // Sent before the page is awaited: both statements run at once on the pool.
      const count = selects(info, 'totalCount') ? pool.query<{ n: number }>(recordCountSql(search)) : null;
      count?.catch(() => {}); // reported below, once the page is read
      const page = recordSearchSql(search, { orderBy, after, limit: first + 1, select });
      const { rows } = await pool.query<SearchRow>(page.text, page.values);
      for (const row of rows) {
        if (embeds.sql) embeds.take(row as unknown as Record<string, unknown>);
        ctx.loaders.recordById.prime(row.id, row);
      }
      const nodes = rows.slice(0, first);
      await loadAheadFrom(ctx, info, ['edges', 'node'], 'Record', nodes);
      const cursor = (r: SearchRow) => encodeSearchCursor(orderBy, { id: r.id, distance: r[DISTANCE_COLUMN] ?? undefined, tMin: r[T_MIN_COLUMN] ?? null });
      return {
        totalCount: count ? Number((await count).rows[0].n) : null,
        edges: nodes.map((node) => ({ cursor: cursor(node), node, distance: node[DISTANCE_COLUMN] })),
        pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.length ? cursor(nodes[nodes.length - 1]) : null },
      };
    },
    sources: async (_root, args, ctx) => {
      const first = pageSize(args.first);
      const search = sourceSearch(args.filter, !canSeeDrafts(ctx.viewer));
      const after = decodeSearchCursor('ID', args.after);
      const page = sourceSearchSql(search, { afterId: after?.id ?? null, limit: first + 1 });
      const { rows } = await ctx.database.pool.query<SourceModel & { x?: number; y?: number; z?: number; distance?: number }>(page.text, page.values);
      const nodes = rows.slice(0, first).map((r) => {
        const node: SourceModel = { id: r.id, name: r.name };
        ctx.loaders.sourceById.prime(r.id, node);
        // A cone search computed the position Source.ra/dec would load: hand it over.
        if (r.x !== undefined) positionOfSource(ctx).prime(r.id, meanPosition(r.x, r.y!, r.z!));
        return { node, distance: r.distance ?? null };
      });
      const cursor = (id: number) => encodeSearchCursor('ID', { id });
      return {
        edges: nodes.map((e) => ({ cursor: cursor(e.node.id), node: e.node, distance: e.distance })),
        pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.length ? cursor(nodes[nodes.length - 1].node.id) : null },
      };
    },
  },
};

/** As the Source.ra/dec loader turns its sums into a position (src/loaders/index.ts). */
function meanPosition(x: number, y: number, z: number): { ra: number; dec: number } | null {
  if (Math.hypot(x, y, z) < 1e-12) return null;
  const ra = (Math.atan2(y, x) * 180) / Math.PI;
  return { ra: ra < 0 ? ra + 360 : ra, dec: (Math.atan2(z, Math.hypot(x, y)) * 180) / Math.PI };
}
