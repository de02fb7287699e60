/**
 * The web app's typed documents (web/src/gql, committed) must match what GraphQL Code Generator makes from
 * the committed schema.graphql and the operations in web/src today: after a schema change or an edited
 * operation, run `npm run codegen` and commit the result. persisted-documents.json is the trusted-documents
 * manifest's share of the app (web/trusted-documents.mjs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { describe, expect, test } from 'vitest';

const root = path.resolve(__dirname, '..');

async function generated(schema: string): Promise<Map<string, string>> {
  // Loaded as `npm run codegen` loads it (not imported), so tsc does not compile web/ into dist/.
  const { config } = await loadCodegenConfig({ configFilePath: path.join(root, 'web', 'codegen.ts') });
  const outputs: { filename: string; content: string }[] = await generate({ ...config, schema, cwd: root, silent: true, verbose: false }, false);
  return new Map(outputs.map((output) => [path.relative(root, path.resolve(root, output.filename)), output.content]));
}

function committed(file: string): string | undefined {
  const full = path.join(root, file);
  return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
}

describe('the web app typed documents', () => {
  test('the committed files in web/src/gql are what npm run codegen makes now', async () => {
    const fresh = await generated(fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8'));
    expect([...fresh.keys()].sort()).toEqual(['web/src/gql/gql.ts', 'web/src/gql/graphql.ts', 'web/src/gql/index.ts', 'web/src/gql/persisted-documents.json']);
    for (const [file, content] of fresh) {
      expect(committed(file), `${file} is stale: run npm run codegen and commit it`).toBe(content);
    }
  }, 60_000);

  test('a schema change makes the committed files stale, so the check above can fail', async () => {
    const schema = fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8').replace('input ProductInput {', 'input ProductInput {\n  sku: String');
    const fresh = await generated(schema);
    const graphqlTs = fresh.get('web/src/gql/graphql.ts');
    expect(graphqlTs).toContain('sku?: string | null | undefined;');
    expect(committed('web/src/gql/graphql.ts')).not.toBe(graphqlTs);
  }, 60_000);

  test('an operation the schema does not allow fails generation', async () => {
    const schema = fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8').replace(/\n  price: Decimal!\n  updated/, '\n  updated');
    await expect(generated(schema)).rejects.toThrow(/price/);
  }, 60_000);
});
