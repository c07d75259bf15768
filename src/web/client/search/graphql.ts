/**
 * The search page's queries. One request per page of results: the records of that page only
 * (PAGE_SIZE of them, what the list and the plot show), their total, and for a name the
 * sources whose names start with it (suggestions). Cost: 25 records × ~60 = ~1,500, far under
 * the server's limit.
 */
export const SEARCH_QUERY = `query Search($filter: RecordFilter, $orderBy: RecordOrder, $first: Int, $after: String, $prefix: String, $withSources: Boolean!) {
  records(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    edges {
      distance
      node {
        id targetName productType dataproductType accessEstsize
        center { ra dec }
        footprint { ra dec }
        release { id name survey { name } }
        file { path status }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
  sources(filter: { namePrefix: $prefix }, first: 8) @include(if: $withSources) { edges { node { id name } } }
}`;

export interface SearchRecord {
  id: string;
  targetName: string | null;
  productType: string;
  dataproductType: string;
  accessEstsize: number;
  center: { ra: number; dec: number } | null;
  footprint: Array<{ ra: number; dec: number }> | null;
  release: { id: string; name: string; survey: { name: string } };
  file: { path: string; status: string };
}

export interface SearchResult {
  records: {
    totalCount: number;
    edges: Array<{ distance: number | null; node: SearchRecord }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
  sources?: { edges: Array<{ node: { id: string; name: string } }> };
}

export const RELEASES_QUERY = `{ releases { id name published survey { name } } }`;

export interface ReleaseOption {
  id: string;
  name: string;
  published: boolean;
  survey: { name: string };
}
