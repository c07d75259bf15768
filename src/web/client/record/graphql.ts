/**
 * The record page's queries, each fetched only for what the page shows: the record with its
 * file, its HDUs' shapes and card counts (not their cards) and issues; one HDU's cards when its
 * section is opened (HDU_CARDS_QUERY); the cards matching a header search (CARD_SEARCH_QUERY); the spectrum
 * (only for spectra, at about two points per pixel of the plot); the source's other records
 * (a page of 10, not Source.records, which is not paginated); each catalogue table's columns
 * and first rows (20).
 */
export const RECORD_QUERY = `query RecordPage($id: ID!, $signed: Boolean!) {
  record(id: $id) {
    id obsId productType dataproductType calibLevel targetName emMin emMax tMin tMax tExptime
    facilityName instrumentName fov accessUrl accessFormat accessEstsize
    center { ra dec }
    footprint { ra dec }
    spectralRange { min max unit }
    release { id name published survey { name } }
    source { id name ra dec }
    catalogue { rowCount tables { id qualifiedName rowCount } }
    file {
      id path sizeBytes checksum kind status missing downloadUrl
      signedDownloadUrl(expiresInSeconds: 3600) @include(if: $signed)
      issues { severity code message hdu keyword }
      hdus { index type bitpix naxis imageShape cardCount }
    }
  }
}`;

export interface HeaderCard {
  keyword: string;
  value: unknown;
  comment: string | null;
}
export interface Hdu {
  index: number;
  type: string;
  bitpix: number | null;
  naxis: number[];
  imageShape: number[] | null;
  cardCount: number;
}

export const HDU_CARDS_QUERY = `query HduCards($file: ID!, $index: Int!) {
  file(id: $file) { id hdus(index: $index) { index header { keyword value comment } } }
}`;

/** Matching is the server's: only the cards found travel, whatever the file's size. */
export const CARD_SEARCH_QUERY = `query CardSearch($file: ID!, $match: String!) {
  file(id: $file) { id hdus { index header(match: $match) { keyword value comment } } }
}`;

export interface HduCardsData {
  file: { id: string; hdus: Array<{ index: number; header: HeaderCard[] }> } | null;
}
export interface Issue {
  severity: 'ERROR' | 'WARNING' | 'INFO';
  code: string;
  message: string;
  hdu: number | null;
  keyword: string | null;
}
export interface RecordData {
  id: string;
  obsId: string;
  productType: string;
  dataproductType: string;
  calibLevel: number | null;
  targetName: string | null;
  emMin: number | null;
  emMax: number | null;
  tMin: number | null;
  tMax: number | null;
  tExptime: number | null;
  facilityName: string | null;
  instrumentName: string | null;
  fov: number | null;
  accessUrl: string;
  accessFormat: string;
  accessEstsize: number;
  center: { ra: number; dec: number } | null;
  footprint: Array<{ ra: number; dec: number }> | null;
  spectralRange: { min: number; max: number; unit: string } | null;
  release: { id: string; name: string; published: boolean; survey: { name: string } };
  source: { id: string; name: string; ra: number | null; dec: number | null } | null;
  catalogue: { rowCount: number; tables: Array<{ id: string; qualifiedName: string; rowCount: number }> } | null;
  file: {
    id: string;
    path: string;
    sizeBytes: number;
    checksum: string | null;
    kind: string;
    status: string;
    missing: boolean;
    downloadUrl: string;
    signedDownloadUrl?: string;
    issues: Issue[];
    hdus: Hdu[];
  };
}

export const SPECTRUM_QUERY = `query Spectrum($id: ID!, $points: Int!) {
  record(id: $id) { id spectrum(maxPoints: $points) { wavelength flux unit fluxUnit points decimated } }
}`;

export interface SpectrumData {
  wavelength: number[];
  flux: Array<number | null>;
  unit: string | null;
  fluxUnit: string | null;
  points: number;
  decimated: boolean;
}

export const SOURCE_RECORDS_QUERY = `query SourceRecords($name: String!) {
  records(filter: { targetName: $name }, first: 11) {
    totalCount
    edges { node { id productType dataproductType file { path } release { id name survey { name } } } }
  }
}`;

export interface SourceRecords {
  records: {
    totalCount: number;
    edges: Array<{ node: { id: string; productType: string; dataproductType: string; file: { path: string }; release: { id: string; name: string; survey: { name: string } } } }>;
  };
}

export const CATALOGUE_TABLE_QUERY = `query CatalogueTable($id: ID!, $first: Int!, $after: String) {
  catalogueTable(id: $id) {
    id qualifiedName rowCount
    columns { name type unit ucd description nullCount min max }
    rows(first: $first, after: $after) { edges { row } pageInfo { hasNextPage endCursor } }
  }
}`;

export interface CatalogueTableData {
  catalogueTable: {
    id: string;
    qualifiedName: string;
    rowCount: number;
    columns: Array<{ name: string; type: string; unit: string | null; ucd: string | null; description: string | null; nullCount: number; min: unknown; max: unknown }>;
    rows: { edges: Array<{ row: Record<string, unknown> }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
}
