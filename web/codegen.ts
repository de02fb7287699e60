/**
 * GraphQL Code Generator: typed documents for every `graphql(...)` call in web/src, checked against the
 * committed schema.graphql. `npm run codegen` rewrites web/src/gql; test/web-codegen.test.ts fails when the
 * committed files are stale (after a schema change or an edited operation).
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
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
