/**
 * A request by id instead of by text: `documentId: "sha256:<hex>"` (the GraphQL-over-HTTP persisted
 * documents form) or Apollo's `extensions.persistedQuery.sha256Hash` without a `query`. The id becomes the
 * manifest's text before anything else reads the request, so limits, Apollo's parse/validation cache and
 * the trusted-documents rule all see an ordinary request for a trusted document.
 *
 * - An id the manifest does not hold: 404 `PERSISTED_QUERY_NOT_IN_LIST` (Apollo Router's answer), except an
 *   Apollo persisted query while TRUSTED_DOCUMENTS is not `enforce`, which is left to Apollo's automatic
 *   persisted queries (PERSISTED_QUERY_NOT_FOUND, then the client registers the text).
 * - Under `enforce` a registration (hash and text) is free text like any other: the rule refuses it unless
 *   the manifest holds it, so automatic persisted queries cannot add documents.
 * - `documentId` with a `query` too, or not a string: 400 BAD_REQUEST.
 *
 * `httpMiddleware` runs before Apollo on POST and GET /graphql; `resolveSubscribePayload` in the WebSocket's
 * subscribe path (graphql-ws insists on a string `query`: an id travels with `query: ""`).
 */
import type { RequestHandler } from 'express';
import { BadRequest, PersistedQueryNotInList } from '../errors';
import type { TrustedDocumentsMode } from '../settings';
import type { Manifest } from './manifest';

interface Payload {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

/** The text the payload names by id: a string, or undefined when it names none. Throws the refusals above. */
export function resolveDocumentId(payload: Payload, manifest: Manifest, mode: TrustedDocumentsMode): string | undefined {
  const hasQuery = typeof payload.query === 'string' && payload.query !== '';
  if (payload.documentId !== undefined && payload.documentId !== null) {
    if (typeof payload.documentId !== 'string') throw new BadRequest('documentId must be a string such as "sha256:<hex>".');
    if (hasQuery) throw new BadRequest('Send either query or documentId, not both.');
    const text = manifest.text(payload.documentId);
    if (text === undefined) throw new PersistedQueryNotInList(payload.documentId);
    return text;
  }
  const hash = (payload.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  if (hasQuery || typeof hash !== 'string') return undefined;
  const text = manifest.text(hash);
  if (text === undefined && mode === 'enforce') throw new PersistedQueryNotInList(hash);
  return text;
}

function answer(res: Parameters<RequestHandler>[1], error: BadRequest | PersistedQueryNotInList): void {
  const { status } = error.extensions.http as { status: number };
  res.status(status).json({ errors: [{ message: error.message, extensions: { code: error.extensions.code } }] });
}

export function documentIdMiddleware(manifest: Manifest, mode: TrustedDocumentsMode): RequestHandler {
  return (req, res, next) => {
    try {
      if (req.method === 'GET') {
        const url = new URL(req.url, 'http://x');
        const params = url.searchParams;
        let extensions: unknown;
        try {
          extensions = params.has('extensions') ? JSON.parse(params.get('extensions')!) : undefined;
        } catch {
          extensions = undefined;
        }
        const text = resolveDocumentId({ query: params.get('query') ?? undefined, documentId: params.get('documentId') ?? undefined, extensions }, manifest, mode);
        if (text === undefined) return next();
        params.delete('documentId');
        params.delete('extensions');
        params.set('query', text);
        req.url = `${url.pathname}?${params}`;
        return next();
      }
      const body = req.body as Payload | undefined;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return next();
      const text = resolveDocumentId(body, manifest, mode);
      if (text === undefined) return next();
      // Apollo would take a `documentId` it does not know for an unknown field; the hash is dropped too, or
      // Apollo's own persisted queries would check and register it again.
      delete body.documentId;
      if (body.extensions && typeof body.extensions === 'object') delete (body.extensions as { persistedQuery?: unknown }).persistedQuery;
      body.query = text;
      next();
    } catch (error) {
      if (error instanceof BadRequest || error instanceof PersistedQueryNotInList) return answer(res, error);
      next(error);
    }
  };
}
