/** What the catalogue resolvers pass between them (codegen mappers). */
export interface CatalogueModel {
  rowCount: number;
  columns: unknown[];
  /** The record the statistics belong to: its tables hang from it. */
  recordId: number;
}

export interface CatalogueTableColumn {
  name: string;
  sqlName: string;
  type: string;
  unit: string | null;
  ucd: string | null;
  description: string | null;
  nullCount?: number;
  min?: unknown;
  max?: unknown;
}

/** A catalogue_tables row. */
export interface CatalogueTableModel {
  id: number;
  recordId: number;
  releaseId: number;
  schemaName: string;
  tableName: string;
  rowCount: number;
  columns: CatalogueTableColumn[];
  raColumn: string | null;
  decColumn: string | null;
}
