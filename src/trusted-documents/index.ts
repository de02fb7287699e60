/**
 * Trusted documents (TRUSTED_DOCUMENTS=off|log|enforce), in the two places the issue puts them:
 * - `httpMiddleware` and `resolveSubscribe`: ids to the manifest's text before anything reads the request,
 *   ahead of the operation pipeline on HTTP and in the WebSocket's subscribe path (resolve.ts);
 * - `rules`: the per-operation rule (rule.ts) for the pipeline's admission step (src/operations/), on both
 *   transports; none when the mode is `off`, so the default costs no check at all.
 * The manifest is loaded once, at start, and its size logged.
 */
import type { RequestHandler } from 'express';
import { logger } from '../logger';
import type { OperationRule } from '../operations/rule';
import type { OperationLimits, SessionSettings } from '../settings';
import { loadManifest, type Manifest } from './manifest';
import { documentIdMiddleware, resolveDocumentId } from './resolve';
import { trustedDocumentsRule } from './rule';

export interface TrustedDocuments {
  manifest: Manifest;
  httpMiddleware: RequestHandler;
  rules: OperationRule[];
  /** The text a subscribe payload names by id, or its own query. Throws the refusals of resolve.ts. */
  resolveSubscribe(payload: { query: string; documentId?: unknown; extensions?: unknown }): string;
}

export function trustedDocuments(
  sessions: Pick<SessionSettings, 'trustedDocuments'>,
  limits: Pick<OperationLimits, 'introspection'>,
  manifestFile?: string,
): TrustedDocuments {
  const mode = sessions.trustedDocuments;
  const manifest = loadManifest(mode, manifestFile);
  if (mode !== 'off') logger.info(`Trusted documents (TRUSTED_DOCUMENTS=${mode}): ${manifest.size} documents in the manifest`);
  return {
    manifest,
    httpMiddleware: documentIdMiddleware(manifest, mode),
    rules: mode === 'off' ? [] : [trustedDocumentsRule(manifest, mode, limits.introspection) as OperationRule],
    resolveSubscribe(payload) {
      return resolveDocumentId(payload, manifest, mode) ?? payload.query;
    },
  };
}
