/**
 * The trusted-documents manifest, written by the web build into dist/web/trusted-documents.json:
 * `{ "sha256:<hex>": "<document>" }`, each id the SHA-256 of its document's text (Apollo's and the
 * GraphQL-over-HTTP persisted documents' form). It holds
 * - every operation of the web app, as graphql-codegen's client preset emits them
 *   (web/src/gql/persisted-documents.json, `npm run codegen`), and
 * - the playground's example operations (web/src/playground/examples/*.graphql), so that a newcomer can
 *   register and log in from the playground with TRUSTED_DOCUMENTS=enforce.
 * The server loads it at start (src/trusted-documents/manifest.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { webDir } from './build-stamp.mjs';

export const MANIFEST_NAME = 'trusted-documents.json';

export function trustedDocuments() {
  const app = JSON.parse(fs.readFileSync(path.join(webDir, 'src', 'gql', 'persisted-documents.json'), 'utf8'));
  const examplesDir = path.join(webDir, 'src', 'playground', 'examples');
  const examples = fs
    .readdirSync(examplesDir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => fs.readFileSync(path.join(examplesDir, name), 'utf8'));
  const manifest = { ...app };
  for (const text of examples) manifest[`sha256:${createHash('sha256').update(text).digest('hex')}`] = text;
  return manifest;
}

export function writeTrustedDocuments(outDir) {
  fs.writeFileSync(path.join(outDir, MANIFEST_NAME), `${JSON.stringify(trustedDocuments(), null, 2)}\n`);
}
