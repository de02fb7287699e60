/**
 * How errors leave the server. Known codes (see errors.ts) pass through. A database outage becomes
 * SERVICE_UNAVAILABLE (HTTP 503) so clients can retry. Anything else is a bug: outside development its
 * message is replaced by a generic INTERNAL_SERVER_ERROR and the details go to the log, never to the client.
 * (HTTP's status and headers, the outage's 503 and every 401's `WWW-Authenticate`, are set by the operation
 * pipeline's plugin, src/operations/http.ts.)
 */
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { PUBLIC_CODES } from './errors';
import { outageOf } from './operations/outage';
import { logger } from './logger';
import { recordAuthenticationFailure } from './observe/metrics';
import { withoutSuggestions } from './limits/introspection';

export interface ErrorFormatOptions {
  /** Show stack traces and unexpected errors' own messages. */
  development: boolean;
  /** Keep graphql-js's "Did you mean ...?" suggestions: only where introspection shows the schema anyway. */
  suggestions: boolean;
}

/** The formatter formatErrorFor makes, as Apollo calls it. */
export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * An error the server answers itself (a refusal before Apollo, a WebSocket's errors) as Apollo would put it in a
 * response: its `http` extension becomes the status, not the body; a code is always there; then formatError.
 */
export function formatForClient(error: GraphQLError, formatError: FormatError): GraphQLFormattedError {
  const json = error.toJSON();
  const { http: _http, ...extensions } = json.extensions ?? {};
  return formatError({ ...json, extensions: { ...extensions, code: extensions.code ?? 'INTERNAL_SERVER_ERROR' } }, error);
}

export function formatErrorFor({ development, suggestions }: ErrorFormatOptions): FormatError {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code as string | undefined;
    // Every 401 passes here, those the context throws (before any plugin runs) included.
    if (code === 'UNAUTHENTICATED') recordAuthenticationFailure(formatted.message, formatted.extensions?.reason);
    if (code && PUBLIC_CODES.has(code)) {
      // An expected error is not a bug: its stack trace would only be noise, even in development.
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, message: suggestions ? formatted.message : withoutSuggestions(formatted.message), extensions };
    }
    const unavailable = outageOf(error);
    if (unavailable) return { message: unavailable.message, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    const original = unwrapResolverError(error);
    logger.error(`Unexpected error at ${formatted.path?.join('.') ?? 'request'}:`, original);
    if (development) return formatted;
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
