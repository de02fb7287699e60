/**
 * The answer to an operation over a limit: HTTP 400 with `extensions.code: "GRAPHQL_VALIDATION_FAILED"`, as
 * graphql-js's own validation failures get from Apollo, and a message naming the limit and what was found.
 */
import { GraphQLError } from 'graphql';

export class LimitExceeded extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400, headers: new Map() } } });
  }
}

/** graphql-armor's rules prefix their messages as if they were parse errors; ours name only the limit. */
export function withoutSyntaxPrefix(message: string): string {
  return message.replace(/^Syntax Error: /, '');
}
