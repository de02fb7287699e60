/**
 * How errors leave the server. Known codes (see errors.ts) pass through. A database outage becomes
 * SERVICE_UNAVAILABLE (HTTP 503) so clients can retry. Anything else is a bug: outside development its
 * message is replaced by a generic INTERNAL_SERVER_ERROR and the details go to the log, never to the client.
 * Every 401 carries `WWW-Authenticate: <AUTH_KEYWORD>`, added here and nowhere else.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { isConnectionError, PUBLIC_CODES, ServiceUnavailable } from './errors';
import { logger } from './logger';
import { recordAuthenticationFailure } from './observe/metrics';
import { withoutSuggestions } from './limits/introspection';

export interface ErrorFormatOptions {
  /** Show stack traces and unexpected errors' own messages. */
  development: boolean;
  /** Keep graphql-js's "Did you mean ...?" suggestions: only where introspection shows the schema anyway. */
  suggestions: boolean;
}

export function formatErrorFor({ development, suggestions }: ErrorFormatOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code as string | undefined;
    // Every 401 passes here, those the context throws (before any plugin runs) included.
    if (code === 'UNAUTHENTICATED') recordAuthenticationFailure(formatted.message, formatted.extensions?.reason);
    if (code && PUBLIC_CODES.has(code)) {
      // An expected error is not a bug: its stack trace would only be noise, even in development.
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, message: suggestions ? formatted.message : withoutSuggestions(formatted.message), extensions };
    }
    const original = unwrapResolverError(error);
    if (isConnectionError(original)) {
      const unavailable = new ServiceUnavailable();
      return { message: unavailable.message, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    logger.error(`Unexpected error at ${formatted.path?.join('.') ?? 'request'}:`, original);
    if (development) return formatted;
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** A resolver that hit a dead database answers 503 with Retry-After, as the context does. */
export const databaseOutagePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ errors, response }) {
        if (errors?.some((error) => isConnectionError(unwrapResolverError(error)))) {
          response.http.status = 503;
          response.http.headers.set('retry-after', '1');
        }
      },
    };
  },
};

/**
 * `WWW-Authenticate: <keyword>` on every 401 (RFC 7235 requires it; DRF sends its keyword), whoever raised
 * it. A 401 from the context (a bad header) never reaches willSendResponse: Apollo builds that answer from
 * the error's own `extensions.http`, so the header goes onto the error in contextCreationDidFail.
 */
export function wwwAuthenticatePlugin(keyword: string): ApolloServerPlugin {
  return {
    async contextCreationDidFail({ error }) {
      const http = error instanceof GraphQLError ? (error.extensions.http as { status?: number; headers?: Map<string, string> } | undefined) : undefined;
      if (http?.status === 401 && http.headers) http.headers.set('www-authenticate', keyword);
    },
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.http.status === 401) response.http.headers.set('www-authenticate', keyword);
        },
      };
    },
  };
}
