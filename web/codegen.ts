/**
 * GraphQL Code Generator: typed documents for every `graphql(...)` call in web/src, checked against the
 * committed schema.graphql. `npm run codegen` rewrites web/src/gql; test/web-codegen.test.ts fails when the
 * committed files are stale (after a schema change or an edited operation). It also writes the trusted
 * documents manifest, web/src/gql/persisted-documents.json (sha256 ids), which the web build ships beside the
 * app (dist/web/trusted-documents.json) for the server's TRUSTED_DOCUMENTS.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      // persistedDocuments: web/src/gql/persisted-documents.json, { "<sha256 of the document>": "<document>" }
      // for every operation, the trusted-documents manifest the server loads (src/trusted-documents/).
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      // Apollo Client's cache adds __typename to every selection before sending: the manifest's documents
      // carry it too, so what the app runs by id answers what its cache expects.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // DateTimeISO travels as ISO 8601, Decimal exactly as typed ("19.99"); JSONObject (an event's detail) as an object.
        scalars: { DateTimeISO: 'string', Decimal: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
