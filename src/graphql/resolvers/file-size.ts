/**
 * Record.accessEstsize: the size of the record's file. The loaders carry it on the record row
 * (`fileSizeBytes`, src/loaders/embed.ts) when the operation selects the field, so it costs no
 * statement; records loaded some other way get it from one batched statement per request.
 */
import { Loader } from '../../loaders/loader.js';
import type { GraphQLContext } from '../context.js';
import type { RecordModel } from '../models.js';

const perRequest = new WeakMap<object, Loader<number | null>>();

export function fileSize(ctx: GraphQLContext, record: RecordModel & { fileSizeBytes?: number }): number | Promise<number> {
  if (typeof record.fileSizeBytes === 'number') return record.fileSizeBytes;
  let loader = perRequest.get(ctx.loaders);
  if (!loader) {
    loader = new Loader<number | null>(async (ids) => {
      const { rows } = await ctx.database.pool.query<{ id: number; size: number }>(`SELECT id, size_bytes AS size FROM files WHERE id = ANY($1)`, [ids]);
      const byId = new Map(rows.map((r) => [r.id, r.size]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    perRequest.set(ctx.loaders, loader);
  }
  const size = loader.get(record.fileId);
  return size instanceof Promise ? size.then((s) => s ?? 0) : (size ?? 0);
}
