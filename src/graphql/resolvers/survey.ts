/** Surveys: the top of the tree. Anonymous callers see surveys that have a published release. */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { canSeeDrafts, canSeeRelease } from '../../auth/access.js';
import type { SurveyModel } from '../models.js';
import { selectList } from '../../loaders/columns.js';
import { surveys } from '../../db/schema.js';

export const surveyResolvers: Resolvers = {
  Query: {
    surveys: async (_root, _args, ctx) => {
      const { rows } = await ctx.database.pool.query<SurveyModel>(
        `SELECT ${selectList(surveys, 's')} FROM surveys s
          WHERE $1 OR EXISTS (SELECT 1 FROM releases r WHERE r.survey_id = s.id AND r.status = 'published')
          ORDER BY s.name`,
        [canSeeDrafts(ctx.viewer)],
      );
      for (const s of rows) ctx.loaders.surveyById.prime(s.id, s);
      return rows;
    },
  },
  Survey: {
    releases: async (survey, _args, ctx) =>
      (await ctx.loaders.releasesBySurveyId.load(survey.id)).filter((r) => canSeeRelease(ctx.viewer, r)),
  },
};
