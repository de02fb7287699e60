/**
 * The playground at /playground: GraphiQL with Monaco, all bundled (no CDN), talking to /graphql on this
 * origin. When the web app holds a token (sessionStorage, same tab), the header editor of every example tab
 * is prefilled with `{"Authorization": "Token <key>"}`.
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './playground.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { getToken } from '../auth/token-store';
import { authKeyword, authorizationHeader, graphqlUrl, introspection, introspectionRefusal } from '../server-config';
import { exampleTabs, headersJson } from './examples';
import { tabsNotPersisted } from './storage';

const fetcher: GraphiQLProps['fetcher'] = async (params, options) => {
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
const authorization = token ? authorizationHeader(token) : null;

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
            : `Not logged in to the web app: run obtainAuthToken, then add {"Authorization": "${authKeyword} <key>"} under Headers.`}
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
