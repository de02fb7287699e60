/**
 * The WebSocket half of the link chain: subscriptions over graphql-ws at /graphql (docs/subscriptions.md).
 *
 * - connectionParams is a function, so every (re)connect sends the token stored at that moment: after a
 *   regenerate, the socket the server closed comes back with the new key.
 * - A close with 4403 means the server refused or revoked the token this socket used. If that is still the
 *   stored token, and this tab is not itself replacing it (a RegenerateToken, Logout or LogoutAll in flight, whose
 *   revocation closes the socket too), the session is over: the token is cleared with the server's reason,
 *   which sends the app to the login screen, as a 401 over HTTP does.
 * - A reconnect after a drop refetches the active queries: events sent while the socket was down are lost.
 */
import { ApolloLink, type ApolloClient } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient, type Client } from 'graphql-ws';
import { finalize } from 'rxjs';
import { clearToken, getToken, hasKey } from '../auth/token-store';
import { byDocumentId } from './document-ids';
import { authorizationHeader, graphqlWsUrl } from '../server-config';

const FORBIDDEN = 4403;
/** Operations of this tab that revoke the token in use on purpose. */
const TOKEN_CHANGES = new Set(['RegenerateToken', 'Logout', 'LogoutAll']);

let changing = 0;

/** Counts this tab's own token changes in flight (placed before the HTTP link). */
export const tokenChangeLink = new ApolloLink((operation, forward) => {
  if (!TOKEN_CHANGES.has(operation.operationName ?? '')) return forward(operation);
  changing += 1;
  return forward(operation).pipe(finalize(() => (changing -= 1)));
});

export function createWsLink(getClient: () => ApolloClient | undefined): GraphQLWsLink {
  let sentToken: string | null = null;
  const client = createClient({
    url: graphqlWsUrl(),
    connectionParams: () => {
      sentToken = getToken();
      // A cookie session's socket is authenticated by the cookie its upgrade carries.
      return hasKey(sentToken) ? { Authorization: authorizationHeader(sentToken) } : {};
    },
    // Keep retrying through a server restart (1001, 1012) for as long as a screen subscribes.
    retryAttempts: Infinity,
    on: {
      connected: (_socket, _payload, wasRetry) => {
        if (wasRetry) void getClient()?.refetchQueries({ include: 'active' });
      },
      closed: (event) => {
        const { code, reason } = event as { code?: number; reason?: string };
        if (code !== FORBIDDEN || changing > 0) return;
        if (sentToken === null || sentToken !== getToken()) return;
        clearToken(reason ? `Your session has ended: ${reason}` : 'Your session has ended. Please log in again.');
      },
    },
  });
  // Operations go by id, as over HTTP; graphql-ws insists on a string query, so it travels empty.
  return new GraphQLWsLink({ ...client, subscribe: (payload, sink) => client.subscribe(byDocumentId(payload), sink) } as Client);
}
