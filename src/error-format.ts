/**
 * How errors leave the server. Known codes (see errors.ts) pass through. A database outage becomes
 * SERVICE_UNAVAILABLE (HTTP 503) so clients can retry. Anything else is a bug: outside development its
 * message is replaced by a generic INTERNAL_SERVER_ERROR and the details go to the log, never to the client.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { isConnectionError, PUBLIC_CODES, ServiceUnavailable } from './errors';
import { logger } from './logger';
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
