// graphql-codegen: typed documents for the dashboard's operations (operations/*.graphql) and the
// persisted-documents manifest the server trusts, generated from the committed schema.graphql.
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'operations/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      // Apollo's InMemoryCache asks for __typename everywhere: the trusted text must ask for it too, or the
      // document the client sends and the one the server runs would differ.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
        strictScalars: true,
        scalars: { DateTime: 'string', Date: 'string', IsoWeek: 'string' },
      },
    },
  },
};

export default config;
