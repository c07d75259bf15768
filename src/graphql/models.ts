/**
 * What resolvers pass between levels: database rows, as the loaders return them. The
 * generated resolver types map each GraphQL object type to one of these (codegen.ts
 * `mappers`), so a parent resolver hands a row on and the child field resolvers convert it.
 */
import type { files, hdus, ingestionRuns, records, releases, sources, surveys, validationIssues } from '../db/schema.js';

export type SurveyModel = typeof surveys.$inferSelect;
export type ReleaseModel = typeof releases.$inferSelect;
export type FileModel = typeof files.$inferSelect;
export type HduModel = typeof hdus.$inferSelect;
export type IssueModel = typeof validationIssues.$inferSelect;
export type RecordModel = typeof records.$inferSelect;
export type SourceModel = typeof sources.$inferSelect;
export type RunModel = typeof ingestionRuns.$inferSelect;

/** One page of a release's files; `totalCount` is resolved lazily (a batched count). */
export interface FileConnectionModel {
  releaseId: number;
  kind: string | null;
  status: string | null;
  rows: FileModel[];
  hasNextPage: boolean;
}
