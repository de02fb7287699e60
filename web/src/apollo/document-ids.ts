/**
 * Trusted documents: the app sends each operation as `documentId: "sha256:<hex>"`, the id graphql-codegen
 * gave it in the manifest the server loads (web/src/gql/persisted-documents.json), never as text. With the
 * server's TRUSTED_DOCUMENTS=enforce only such ids and staff's free text run; in every mode an id costs the
 * server no parse after its first use.
 *
 * Ids are found by operation name, which codegen keeps unique across the app. An operation not in the
 * manifest (none today) goes as text.
 */
import manifest from '../gql/persisted-documents.json';

const OPERATION = /^(?:query|mutation|subscription)\s+(\w+)/;

const idsByName = new Map<string, string>();
for (const [id, text] of Object.entries(manifest as Record<string, string>)) {
  const name = OPERATION.exec(text)?.[1];
  if (name) idsByName.set(name, id);
}

/** A GraphQL request body with its query replaced by the manifest's id, when it has one. */
export function byDocumentId<T extends { query?: string; operationName?: string | null }>(payload: T): T & { documentId?: string } {
  const id = payload.operationName ? idsByName.get(payload.operationName) : undefined;
  return id ? { ...payload, query: '', documentId: id } : payload;
}

/** fetch for Apollo's HttpLink: the JSON body's `query` becomes `documentId`. */
export const fetchByDocumentId: typeof fetch = (input, init) => {
  if (typeof init?.body !== 'string') return fetch(input, init);
  const body = JSON.parse(init.body) as { query?: string; operationName?: string };
  const { query: _query, ...rest } = byDocumentId(body);
  return fetch(input, { ...init, body: JSON.stringify(rest.documentId ? rest : body) });
};
