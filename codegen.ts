// graphql-codegen: typed documents for the dashboard's operations (operations/*.graphql) and the
// persisted-documents manifest the server trusts, and typed documents for the tests' own operations
// (`graphql(...)` in test files), generated from the committed schema.graphql.
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';
import type { CodegenConfig } from '@graphql-codegen/cli';

const typescript = {
  enumsAsTypes: true,
  useTypeImports: true,
  emitLegacyCommonJSImports: false,
  strictScalars: true,
  scalars: { DateTime: 'string', Date: 'string', IsoWeek: 'string' },
};

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'operations/generated/': {
      documents: ['operations/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      // Apollo's InMemoryCache asks for __typename everywhere: the trusted text must ask for it too, or the
      // document the client sends and the one the server runs would differ.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: typescript,
    },
    // Not trusted by the server (no manifest): tests send them as text. apollo.test.ts writes Apollo's own gql.
    'test/kit/generated/': {
      documents: ['test/**/*.test.ts', '!test/clients/apollo.test.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typescript,
    },
  },
};

export default config;
