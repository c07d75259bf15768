/**
 * The API benchmark's three queries, each written for our schema and for PostGraphile 5's
 * Amber schema (rowId for the primary key, `xByY` relations from the smart tags), and a
 * normaliser per side that brings both answers to one shape, so that the bench can check they
 * return the same data before timing them.
 *
 * Q1 and Q2 ask for a release's *spectra* (kind SPECTRUM on both sides): the ingest gives
 * files ids in scan order, which is the file system's directory order, so a release's first
 * files may all be blobs, with no source, and Q2 would follow no relation at all. Orders are
 * the same on both sides: files by id, issues by id, records of a source by id, HDUs by index.
 */
import { parseHeader } from '../../fits/header.js';
import { unpackHeader } from '../../fits/header-text.js';
import { JSONScalar } from '../../graphql/json-scalar.js';

export const QUERY_NAMES = ['Q1', 'Q2', 'Q3'] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

export interface GraphQLBody {
  query: string;
  variables: Record<string, unknown>;
}

export interface BenchQuery {
  name: QueryName;
  title: string;
  /** Page size, for the statements-vs-page-size check (undefined: not paged). */
  pageSize?: number;
  ours(pageSize?: number): GraphQLBody;
  theirs(pageSize?: number): GraphQLBody;
  /** `data` of each side's answer -> the common shape compared. */
  normaliseOurs(data: any): unknown;
  normaliseTheirs(data: any): unknown;
}

export interface QueryTargets {
  releaseId: number;
  /** Q3's file. */
  fileId: number;
}

/** Pages the issue names: Q1 100 files, Q2 500. */
export const Q1_PAGE = 100;
export const Q2_PAGE = 500;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export function benchQueries(t: QueryTargets): BenchQuery[] {
  const release = String(t.releaseId);
  return [
    {
      name: 'Q1',
      title: `a release's first ${Q1_PAGE} spectra + record + source name + issues`,
      pageSize: Q1_PAGE,
      ours: (first = Q1_PAGE) => ({
        query: `query Q1($release: ID!, $first: Int!) {
          release(id: $release) { files(first: $first, kind: SPECTRUM) { edges { node {
            id path kind status
            record { id productType source { name } }
            issues { severity code message hdu keyword }
          } } } } }`,
        variables: { release, first },
      }),
      theirs: (first = Q1_PAGE) => ({
        query: `query Q1($release: BigInt!, $first: Int!) {
          releaseByRowId(rowId: $release) {
            filesByReleaseId(first: $first, condition: { kind: "SPECTRUM" }, orderBy: PRIMARY_KEY_ASC) { nodes {
              rowId path kind status
              recordByFileId { rowId productType sourceBySourceId { name } }
              validationIssuesByFileId(orderBy: PRIMARY_KEY_ASC) { nodes { severity code message hdu keyword } }
          } } } }`,
        variables: { release, first },
      }),
      normaliseOurs: (d) =>
        d.release.files.edges.map(({ node: f }: any) => ({
          id: str(f.id),
          path: f.path,
          kind: f.kind,
          status: f.status,
          record: f.record && { id: str(f.record.id), productType: f.record.productType, source: f.record.source?.name ?? null },
          issues: f.issues.map(issue),
        })),
      normaliseTheirs: (d) =>
        d.releaseByRowId.filesByReleaseId.nodes.map((f: any) => ({
          id: str(f.rowId),
          path: f.path,
          kind: f.kind,
          status: f.status,
          record: f.recordByFileId && {
            id: str(f.recordByFileId.rowId),
            productType: f.recordByFileId.productType,
            source: f.recordByFileId.sourceBySourceId?.name ?? null,
          },
          issues: f.validationIssuesByFileId.nodes.map(issue),
        })),
    },
    {
      name: 'Q2',
      title: `${Q2_PAGE} spectra -> record -> source -> all its records -> file path`,
      pageSize: Q2_PAGE,
      ours: (first = Q2_PAGE) => ({
        query: `query Q2($release: ID!, $first: Int!) {
          release(id: $release) { files(first: $first, kind: SPECTRUM) { edges { node {
            id record { source { name records { id file { path } } } }
          } } } } }`,
        variables: { release, first },
      }),
      theirs: (first = Q2_PAGE) => ({
        query: `query Q2($release: BigInt!, $first: Int!) {
          releaseByRowId(rowId: $release) {
            filesByReleaseId(first: $first, condition: { kind: "SPECTRUM" }, orderBy: PRIMARY_KEY_ASC) { nodes {
              rowId recordByFileId { sourceBySourceId { name
                recordsBySourceId(orderBy: PRIMARY_KEY_ASC) { nodes { rowId fileByFileId { path } } } } }
          } } } }`,
        variables: { release, first },
      }),
      normaliseOurs: (d) =>
        d.release.files.edges.map(({ node: f }: any) => ({
          id: str(f.id),
          source: f.record?.source
            ? { name: f.record.source.name, records: f.record.source.records.map((r: any) => ({ id: str(r.id), path: r.file.path })) }
            : null,
        })),
      normaliseTheirs: (d) =>
        d.releaseByRowId.filesByReleaseId.nodes.map((f: any) => {
          const s = f.recordByFileId?.sourceBySourceId;
          return {
            id: str(f.rowId),
            source: s ? { name: s.name, records: s.recordsBySourceId.nodes.map((r: any) => ({ id: str(r.rowId), path: r.fileByFileId.path })) } : null,
          };
        }),
    },
    {
      name: 'Q3',
      title: 'one file by id with HDUs and header cards',
      ours: () => ({
        query: `query Q3($id: ID!) {
          file(id: $id) { id path kind sizeBytes checksum
            hdus { index type bitpix naxis header { keyword value comment } } } }`,
        variables: { id: String(t.fileId) },
      }),
      // PostGraphile serves the stored header text; its client parses the cards (below), with
      // the same parser our server uses, so that both sides are compared card by card.
      theirs: () => ({
        query: `query Q3($id: BigInt!) {
          fileByRowId(rowId: $id) { rowId path kind sizeBytes checksum
            hdusesByFileId(orderBy: PRIMARY_KEY_ASC) { nodes { index type bitpix naxis header } } } }`,
        variables: { id: String(t.fileId) },
      }),
      normaliseOurs: (d) => d.file && file(d.file.id, d.file, d.file.hdus, (h: any) => h.header),
      normaliseTheirs: (d) =>
        d.fileByRowId &&
        file(d.fileByRowId.rowId, d.fileByRowId, d.fileByRowId.hdusesByFileId.nodes, (h: any) =>
          parseHeader(unpackHeader(h.header)).cards.map((c) => ({ keyword: c.keyword, value: JSONScalar.serialize(c.value), comment: c.comment })),
        ),
    },
  ];
}

function issue(i: any) {
  return { severity: i.severity, code: i.code, message: i.message, hdu: num(i.hdu), keyword: str(i.keyword) };
}

function file(id: unknown, f: any, hdus: any[], cards: (h: any) => any[]) {
  return {
    id: str(id),
    path: f.path,
    kind: f.kind,
    sizeBytes: num(f.sizeBytes),
    checksum: str(f.checksum),
    hdus: hdus.map((h) => ({
      index: num(h.index),
      type: h.type,
      bitpix: num(h.bitpix),
      naxis: h.naxis.map(Number),
      header: cards(h).map((c: any) => ({ keyword: c.keyword, value: c.value ?? null, comment: c.comment ?? null })),
    })),
  };
}
