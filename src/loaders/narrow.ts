/**
 * The columns of a type's rows that the fields an operation selects need
 * (src/graphql/selection.ts). A field named like a column needs that column (a default
 * resolver); the fields whose resolvers read other columns, or only the row's keys, are
 * listed in NEEDS. Any other field (one this table does not know) makes the loader select
 * every column: a new field is never served from a half-read row. The keys the loaders and
 * the visibility rules use are always selected.
 */
import type { SelectedFields } from '../graphql/selection.js';

const KEYS: Readonly<Record<string, readonly string[]>> = {
  File: ['id', 'releaseId'],
  Record: ['id', 'fileId', 'releaseId', 'sourceId'],
};

/** Fields whose resolvers read these columns (besides the keys), or none. */
export const NEEDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  File: { release: [], issues: [], hdus: [], record: [], downloadUrl: [], signedDownloadUrl: [] },
  Record: {
    file: [],
    release: [],
    source: [],
    targetName: [],
    center: ['centerRa', 'centerDec'],
    spectralRange: ['spectralMin', 'spectralMax', 'spectralUnit'],
    footprint: ['footprint'],
    catalogue: ['catalogue'],
    // The download route's fields: the URL needs the key, the format two columns, the size rides along (embed.ts).
    accessUrl: [],
    accessFormat: ['obsId', 'dataproductType'],
    accessEstsize: [],
  },
};

/** `all` when nothing is known about the operation, else the columns its `type` fields need. */
export function columnsFor(type: 'File' | 'Record', all: readonly string[], selected: SelectedFields | undefined): readonly string[] {
  if (!selected) return all;
  // Once per operation (a SelectedFields is made once per document, src/graphql/selection.ts), not per request.
  let perType = computed.get(selected);
  if (!perType) computed.set(selected, (perType = new Map()));
  let columns = perType.get(type);
  if (!columns || columns.all !== all) perType.set(type, (columns = { all, list: compute(type, all, selected) }));
  return columns.list;
}

const computed = new WeakMap<SelectedFields, Map<string, { all: readonly string[]; list: readonly string[] }>>();

function compute(type: 'File' | 'Record', all: readonly string[], selected: SelectedFields): readonly string[] {
  const fields = selected.get(type);
  if (!fields) return all;
  const needed = new Set(KEYS[type]);
  for (const field of fields) {
    const listed = NEEDS[type][field];
    if (listed) listed.forEach((c) => needed.add(c));
    else if (all.includes(field)) needed.add(field);
    else if (!field.startsWith('__')) return all;
  }
  return all.filter((c) => needed.has(c));
}
