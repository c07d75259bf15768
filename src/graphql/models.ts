/**
 * What resolvers pass between levels: database rows, as the loaders return them. The
 * generated resolver types map each GraphQL object type to one of these (codegen.ts
 * `mappers`), so a parent resolver hands a row on and the child field resolvers convert it.
 */
import type { files, hdus, ingestionRuns, records, releases, sources, surveys, validationIssues } from '../db/schema.js';

export type SurveyModel = typeof surveys.$inferSelect;
/**
 * The columns the loaders select (src/loaders/index.ts): what the API serves, no timestamps
 * or ingest bookkeeping (parsing unused columns of thousands of rows was a tenth of a big
 * answer's CPU). A field added to the GraphQL type must be added to these and to the loaders.
 */
export type ReleaseModel = Pick<typeof releases.$inferSelect, 'id' | 'surveyId' | 'name' | 'status'>;
export type FileModel = Pick<typeof files.$inferSelect, 'id' | 'releaseId' | 'path' | 'sizeBytes' | 'checksum' | 'kind' | 'status' | 'missing'>;
export type HduModel = typeof hdus.$inferSelect;
export type IssueModel = typeof validationIssues.$inferSelect;
/** Without the sky index columns (hpx, coverage), which the loaders do not select. */
export type RecordModel = Omit<typeof records.$inferSelect, 'hpx' | 'coverage'>;
export type SourceModel = Pick<typeof sources.$inferSelect, 'id' | 'name'>;
export type RunModel = typeof ingestionRuns.$inferSelect;

/** One page of a release's files; `totalCount` is resolved lazily (a batched count). */
export interface FileConnectionModel {
  releaseId: number;
  /** The page's order: its cursors say where in that order a file stands. */
  byPath: boolean;
  kind: string | null;
  status: string | null;
  rows: FileModel[];
  hasNextPage: boolean;
}
