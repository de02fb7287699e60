/**
 * The playground at /playground: GraphiQL with Monaco, all bundled (no CDN), talking to /graphql on this
 * origin. When the web app holds a token (sessionStorage, same tab), the header editor of every example tab
 * is prefilled with `{"Authorization": "Token <key>"}`. Subscriptions run over WebSocket on the same path, with
 * the header editor's contents as connection_init's payload (so the same `Authorization` authenticates them).
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './playground.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { getOperationAST, parse, type OperationDefinitionNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { COOKIE_SESSION, getToken, hasKey } from '../auth/token-store';
import { authKeyword, authorizationHeader, graphqlUrl, graphqlWsUrl, introspection, introspectionRefusal, trustedDocuments } from '../server-config';
import { exampleTabs, headersJson } from './examples';
import { tabsNotPersisted } from './storage';

/**
 * The operation GraphiQL asks to run. Right after a tab switch GraphiQL can still pass the previous tab's
 * operation name (seen on a loaded machine): when that names nothing in this document, a document of one
 * operation means that one.
 */
function operationToRun(query: string, operationName?: string | null): OperationDefinitionNode | null {
  try {
    const document = parse(query);
    return getOperationAST(document, operationName ?? undefined) ?? getOperationAST(document) ?? null;
  } catch {
    return null; // a syntax error: let the server say so over HTTP
  }
}

/** One socket per subscription run, closed when GraphiQL stops it; a refusal shows as an error result. */
async function* overWebSocket(params: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }, headers: Record<string, unknown>) {
  const client = createClient({ url: graphqlWsUrl(), connectionParams: headers, retryAttempts: 0 });
  try {
    yield* client.iterate({ query: params.query, operationName: params.operationName, variables: params.variables ?? undefined });
  } catch (error) {
    if (Array.isArray(error)) {
      yield { errors: error };
    } else {
      const { code, reason } = (error ?? {}) as { code?: number; reason?: string };
      yield { errors: [{ message: code ? `The WebSocket closed: ${code}${reason ? ` ${reason}` : ''}` : String(error) }] };
    }
  } finally {
    await client.dispose();
  }
}

const fetcher: GraphiQLProps['fetcher'] = async (params, options) => {
  const operation = operationToRun(params.query, params.operationName);
  if (operation?.operation === 'subscription') return overWebSocket({ ...params, operationName: operation.name?.value ?? null }, options?.headers ?? {});
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...options?.headers },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    // A proxy's HTML error page or a dropped connection: show what came back rather than a parse error.
    return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 200) || response.statusText}` }] };
  }
};

const token = getToken();
const authorization = hasKey(token) ? authorizationHeader(token) : null;
// A cookie session needs no header: the browser sends the HttpOnly cookie with every request and socket.
const cookieSession = token === COOKIE_SESSION;

const tabs = exampleTabs(authorization);

function Playground() {
  return (
    <GraphiQL
      fetcher={fetcher}
      storage={tabsNotPersisted}
      defaultTabs={tabs}
      // GraphiQL fills the editors of the first tab from these, not from defaultTabs.
      initialQuery={tabs[0].query}
      initialVariables={tabs[0].variables ?? ''}
      initialHeaders={tabs[0].headers ?? ''}
      defaultHeaders={authorization ? headersJson(authorization) : undefined}
      defaultEditorToolsVisibility={authorization ? 'headers' : 'variables'}
      shouldPersistHeaders={false}
      // Where the server refuses introspection, GraphiQL must not ask: its refusal would fill the response
      // pane as raw JSON before anything was run. null tells GraphiQL there is no schema to fetch.
      {...(introspection ? {} : { schema: null })}
    >
      <GraphiQL.Logo>
        <a className="playground-home" href="/">
          ← graphql-authtoken
        </a>
      </GraphiQL.Logo>
      <GraphiQL.Footer>
        <p className="playground-footer">
          {authorization
            ? 'Headers carry the token of your web app session.'
            : cookieSession
              ? "Requests carry your web app session's cookie: no header needed."
              : `Not logged in to the web app: run obtainAuthToken, then add {"Authorization": "${authKeyword} <key>"} under Headers.`}
          {trustedDocuments === 'enforce' ? (
            <strong className="playground-trusted-documents">
              {' '}
              TRUSTED_DOCUMENTS=enforce: only the app&apos;s own operations and these examples run, unless you are staff; anything else is refused with QUERY_NOT_IN_SAFELIST.
            </strong>
          ) : null}
          {introspection ? null : (
            <strong className="playground-introspection-off"> {introspectionRefusal} No docs or autocompletion; queries still run.</strong>
          )}
        </p>
      </GraphiQL.Footer>
    </GraphiQL>
  );
}

createRoot(document.getElementById('playground')!).render(
  <StrictMode>
    <Playground />
  </StrictMode>,
);
