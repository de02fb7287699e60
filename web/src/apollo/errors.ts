/**
 * Reading Apollo Client 4 errors the way the screens need them: the server's message, the field a
 * BAD_USER_INPUT error names (`extensions.field`), and whether the server was simply unreachable.
 */
import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';

interface ServerErrorBody {
  errors?: { message?: string; extensions?: { code?: string } }[];
}

/** The GraphQL errors of a failed request, whether they came as a GraphQL result or inside an HTTP error body. */
export function graphQLErrorsOf(error: unknown): { message: string; extensions?: Record<string, unknown> }[] {
  if (CombinedGraphQLErrors.is(error)) return [...error.errors];
  if (ServerError.is(error)) {
    try {
      return (JSON.parse(error.bodyText) as ServerErrorBody).errors?.map((e) => ({ message: e.message ?? '', extensions: e.extensions })) ?? [];
    } catch {
      return [];
    }
  }
  return [];
}

/** True for a 401 in any of its shapes: the status code, or code UNAUTHENTICATED in the body. */
export function isUnauthenticated(error: unknown): boolean {
  if (ServerError.is(error) && error.statusCode === 401) return true;
  return graphQLErrorsOf(error).some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

/** The server could not be reached or could not serve: worth a retry rather than a change of input. */
export function isUnavailable(error: unknown): boolean {
  if (ServerError.is(error)) return error.statusCode >= 500;
  if (ServerParseError.is(error)) return error.statusCode >= 500 || error.statusCode === 0;
  if (CombinedGraphQLErrors.is(error)) return error.errors.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
  // fetch() rejects with a TypeError when the connection is refused or dropped.
  return error instanceof TypeError || (error instanceof Error && /fetch|network/i.test(error.message));
}

/** A sentence for the user: the server's own message when it sent one, else what went wrong in plain words. */
export function messageOf(error: unknown): string {
  if (isUnavailable(error) && !CombinedGraphQLErrors.is(error)) {
    return 'Cannot reach the server. It may be restarting; try again in a moment.';
  }
  const first = graphQLErrorsOf(error)[0];
  if (first?.message) return first.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Validation errors by field name, with the `field: ` prefix the server puts on messages removed (the
 * message is shown next to that field), plus `form` for errors that name no field.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!error) return result;
  const errors = graphQLErrorsOf(error);
  for (const e of errors) {
    const field = e.extensions?.code === 'BAD_USER_INPUT' ? (e.extensions?.field as string | undefined) : undefined;
    if (field) {
      const prefix = `${field}: `;
      result[field] ??= e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    } else {
      result.form ??= e.message;
    }
  }
  if (errors.length === 0) result.form = messageOf(error);
  return result;
}
