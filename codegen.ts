// graphql-codegen: typed documents for the dashboard's operations (operations/*.graphql), generated
// from the committed schema.graphql. The operations themselves arrive with the persisted-operations work.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['operations/**/*.graphql'],
  ignoreNoDocuments: true,
  generates: {
    'operations/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: 'string', Date: 'string', IsoWeek: 'string' },
      },
    },
  },
};

export default config;
