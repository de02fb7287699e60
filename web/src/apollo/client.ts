/**
 * The Apollo Client and its link chain, in request order:
 *
 * 1. unauthenticatedLink: any 401 (status 401, or UNAUTHENTICATED in the body) clears the stored token with
 *    the server's message, which sends the app back to the login screen; an expired login token
 *    (`extensions.reason: TOKEN_EXPIRED`) says that the session expired instead.
 * 2. reauthenticationLink (./reauthentication.ts): an operation answered REAUTHENTICATION_REQUIRED (sudo mode)
 *    waits while the password prompt asks for the password, then is sent once more.
 * 3. authLink: adds `Authorization: <keyword> <key>` to every operation except the public ones. Register and
 *    obtainAuthToken and login never carry it: the server authenticates eagerly, so a stale header would fail them and
 *    a user with a revoked token could never log in again.
 * 4. tokenChangeLink (./websocket.ts): while an operation that replaces or ends the token runs, the socket's
 *    4403 for the old token is this tab's own doing, not a revocation from elsewhere.
 * 5. retryLink: a query whose server is unreachable or answering 503 is retried a few times with backoff, so a
 *    restart of a second or two goes unnoticed. Mutations are not retried: the first attempt may have landed.
 * 6. HttpLink to /graphql on the same origin, and subscriptions over WebSocket on the same path
 *    (./websocket.ts), where a token revoked elsewhere ends the session too. Both send each operation by
 *    its id in the trusted-documents manifest, not its text (./document-ids.ts).
 * With cookie sessions (AUTH_COOKIE) no header is sent: the browser sends the HttpOnly cookie.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { RetryLink } from '@apollo/client/link/retry';
import { getMainDefinition } from '@apollo/client/utilities';
import { OperationTypeNode } from 'graphql';
import { clearToken, getToken, hasKey } from '../auth/token-store';
import { authorizationHeader, graphqlUrl } from '../server-config';
import { graphQLErrorsOf, isUnauthenticated, isUnavailable } from './errors';
import { createWsLink, tokenChangeLink } from './websocket';
import { fetchByDocumentId } from './document-ids';
import { reauthenticationLink } from './reauthentication';

/** Operations that must reach the server anonymously whatever the stored token. */
export const PUBLIC_OPERATIONS = new Set(['Register', 'ObtainAuthToken', 'Login', 'StartSession']);

/** What the login screen says after a login token expired. */
export const SESSION_EXPIRED = 'Your session expired. Please log in again.';

const unauthenticatedLink = new ErrorLink(({ error, operation }) => {
  if (PUBLIC_OPERATIONS.has(operation.operationName ?? '')) return;
  if (!isUnauthenticated(error)) return;
  // Only the request that carried the current token may end the session: a late answer to a request made
  // with an older token (before a regenerate, say) must not log out the new one.
  const sent = operation.getContext().sentToken as string | undefined;
  if (sent !== undefined && sent !== getToken()) return;
  const first = graphQLErrorsOf(error)[0];
  if (first?.extensions?.reason === 'TOKEN_EXPIRED') return clearToken(SESSION_EXPIRED);
  const message = first?.message;
  clearToken(message ? `Your session has ended: ${message}` : 'Your session has ended. Please log in again.');
});

const authLink = new ApolloLink((operation, forward) => {
  const token = PUBLIC_OPERATIONS.has(operation.operationName ?? '') ? null : getToken();
  operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
    sentToken: token ?? undefined,
    // A cookie session sends no header: the browser sends the HttpOnly cookie itself.
    headers: hasKey(token) ? { ...headers, authorization: authorizationHeader(token) } : headers,
  }));
  return forward(operation);
});

const retryLink = new RetryLink({
  delay: { initial: 300, max: 3000, jitter: true },
  attempts: {
    max: 5,
    retryIf: (error, operation) => operation.operationType === OperationTypeNode.QUERY && isUnavailable(error),
  },
});

function isSubscription(operation: ApolloLink.Operation): boolean {
  const definition = getMainDefinition(operation.query);
  return definition.kind === 'OperationDefinition' && definition.operation === OperationTypeNode.SUBSCRIPTION;
}

export function createApolloClient(): ApolloClient {
  let client: ApolloClient | undefined;
  const http = ApolloLink.from([
    unauthenticatedLink,
    reauthenticationLink,
    authLink,
    tokenChangeLink,
    retryLink,
    new HttpLink({ uri: graphqlUrl, fetch: fetchByDocumentId }),
  ]);
  client = new ApolloClient({
    link: ApolloLink.split(isSubscription, createWsLink(() => client), http),
    // A token is identified by its key (it has no id); a regenerated key is a new object.
    cache: new InMemoryCache({ typePolicies: { Token: { keyFields: ['key'] } } }),
    defaultOptions: {
      watchQuery: { fetchPolicy: 'cache-and-network', notifyOnNetworkStatusChange: true },
    },
  });
  return client;
}
