/**
 * GraphQL Code Generator: typed resolver signatures from the contract SDL (schema.graphql).
 * Output in src/__generated__/ is committed and never edited by hand; `npm run codegen`
 * regenerates it after a schema change.
 *
 * Mappers tell the generator what our resolvers *return* for each object type (database
 * rows), so a parent resolver can hand a row on and the field resolvers convert it. Without
 * them the generated types would demand fully-shaped GraphQL objects at every level.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    'src/__generated__/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useIndexSignature: true,
        // The schema has a type named Record, which would shadow TypeScript's own Record<K, V>
        // inside the generated file; prefixing the generated types avoids the clash.
        typesPrefix: 'Gql',
        contextType: '../graphql/context.js#GraphQLContext',
        // Ids arrive as strings (ID input) and leave as numbers (bigint columns parsed by pg).
        scalars: { ID: { input: 'string', output: 'string | number' }, JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
        mappers: {
          Survey: '../graphql/models.js#SurveyModel',
          Release: '../graphql/models.js#ReleaseModel',
          File: '../graphql/models.js#FileModel',
          Hdu: '../graphql/models.js#HduModel',
          ValidationIssue: '../graphql/models.js#IssueModel',
          Record: '../graphql/models.js#RecordModel',
          Source: '../graphql/models.js#SourceModel',
          IngestionRun: '../graphql/models.js#RunModel',
          FileConnection: '../graphql/models.js#FileConnectionModel',
          Catalogue: '../graphql/resolvers/catalogue-model.js#CatalogueModel',
          CatalogueTable: '../graphql/resolvers/catalogue-model.js#CatalogueTableModel',
        },
      },
    },
  },
};

export default config;
