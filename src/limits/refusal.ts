/**
 * The answer to an operation over a limit: HTTP 400 with `extensions.code: "GRAPHQL_VALIDATION_FAILED"`, as
 * graphql-js's own validation failures get from Apollo, and a message naming the limit and what was found.
 */
import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';

export class LimitExceeded extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400, headers: new Map() } } });
  }
}

/** graphql-armor's rules prefix their messages as if they were parse errors; ours name only the limit. */
export function withoutSyntaxPrefix(message: string): string {
  return message.replace(/^Syntax Error: /, '');
}

/**
 * Limits are checked in Apollo hooks that run before parsing and validation, so that a refusal spares that
 * work. Apollo treats an error thrown from those hooks as unexpected (a 500) unless a plugin's
 * unexpectedErrorProcessingRequest throws it on: then it answers with the error's own status (400) through
 * formatError, as any client error. (graphql-armor's Apollo plugin takes the same route.)
 */
export const answerRefusals: ApolloServerPlugin = {
  async unexpectedErrorProcessingRequest({ error }) {
    if (error instanceof LimitExceeded) throw error;
  },
};
