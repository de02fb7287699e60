/**
 * The trusted-documents manifest: `{ "sha256:<hex>": "<document>" }`, built with the web app
 * (web/trusted-documents.mjs: graphql-codegen's persisted documents plus the playground's examples) into
 * dist/web/trusted-documents.json, and loaded once at start.
 *
 * - `text(id)`: the document a `documentId` names (the GraphQL-over-HTTP form `sha256:<hex>`, or Apollo's bare
 *   `sha256Hash`).
 * - `trusts(document)`: whether free text is one of the manifest's documents. Compared as graphql-js prints
 *   them, so whitespace, commas and comments do not matter (the playground's examples carry comments naming
 *   this server's AUTH_KEYWORD), while any change to what the document asks does.
 *
 * A missing file is an empty manifest with TRUSTED_DOCUMENTS=off, and a start-up error otherwise: enforcing an
 * empty list would refuse every browser.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse, print, type DocumentNode } from 'graphql';
import { DEFAULT_WEB_ROOT } from '../web';
import type { TrustedDocumentsMode } from '../settings';

export const DEFAULT_MANIFEST = path.join(DEFAULT_WEB_ROOT, 'trusted-documents.json');

const ID = /^sha256:[0-9a-f]{64}$/;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class TrustedDocumentsError extends Error {
  override name = 'TrustedDocumentsError';
}

export class Manifest {
  private readonly byId = new Map<string, string>();
  private readonly printed = new Set<string>();

  constructor(entries: Record<string, string>) {
    for (const [id, text] of Object.entries(entries)) {
      if (!ID.test(id) || typeof text !== 'string' || sha256(text) !== id.slice(7)) {
        throw new TrustedDocumentsError(`The trusted-documents manifest has an entry whose id is not the sha256 of its document: ${id}`);
      }
      this.byId.set(id, text);
      this.printed.add(sha256(print(parse(text))));
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** The document of an id, `sha256:<hex>` or a bare hex hash; undefined when the manifest does not hold it. */
  text(id: string): string | undefined {
    return this.byId.get(id.startsWith('sha256:') ? id : `sha256:${id}`);
  }

  trusts(document: DocumentNode): boolean {
    return this.trustsPrinted(sha256(print(document)));
  }

  /** `trusts`, given the sha256 of the document as graphql-js prints it. */
  trustsPrinted(printedHash: string): boolean {
    return this.printed.has(printedHash);
  }
}

export function loadManifest(mode: TrustedDocumentsMode, file = DEFAULT_MANIFEST): Manifest {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    if (mode === 'off') return new Manifest({});
    throw new TrustedDocumentsError(`TRUSTED_DOCUMENTS=${mode} needs the manifest ${file}, which the web build writes: run npm run build.`);
  }
  return new Manifest(JSON.parse(raw) as Record<string, string>);
}
