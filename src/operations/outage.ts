/**
 * A database outage, wherever it surfaces (the token lookup, a resolver, a write mid-transaction, a socket's
 * re-authentication), is one answer: SERVICE_UNAVAILABLE, HTTP 503 with `Retry-After: 1` (over a socket, that
 * error, or close 1013 at connection_init). This is the one place that decides whether an error is one.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { isConnectionError, ServiceUnavailable } from '../errors';

/** The ServiceUnavailable an error amounts to, or null when it is not an outage. */
export function outageOf(error: unknown): ServiceUnavailable | null {
  if (error instanceof ServiceUnavailable) return error;
  return isConnectionError(unwrapResolverError(error)) ? new ServiceUnavailable() : null;
}

/** Rethrows an outage as ServiceUnavailable, and anything else as it is. */
export function rethrowAsOutage(error: unknown): never {
  throw outageOf(error) ?? error;
}
