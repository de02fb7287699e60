/**
 * A rule about who may run an operation, checked in the one operation pipeline (src/operations/pipeline.ts)
 * on HTTP and WebSocket alike. What the rule needs from the document is planned once per distinct document
 * and operation and remembered with it, so that the check a request pays is a lookup.
 *
 * Adding a rule: implement this interface in its own file and add it to the list createApp() hands the
 * pipeline. Nothing else: both transports run every rule in the list.
 */
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Authenticated } from '../authentication';

export type Transport = 'http' | 'ws';

/** Who is asking: the caller as authenticated for this operation (null: anonymous), from where, over what. */
export interface Caller {
  authenticated: Authenticated | null;
  ip: string;
  transport: Transport;
}

export interface OperationRule<Plan = unknown> {
  /** Names the rule in errors about it. */
  readonly name: string;
  /** Once per distinct (document, operation): what `check` needs. Pure: it sees only the document. */
  plan(input: { schema: GraphQLSchema; document: DocumentNode; operation: OperationDefinitionNode }): Plan;
  /**
   * Per operation, before any resolver runs. A GraphQLError refuses the operation whole: over HTTP its
   * `extensions.http` gives the status and headers; over a socket it is an `error` message and the socket
   * stays open. Synchronous and cheap: it is on every request's path.
   */
  check(plan: Plan, caller: Caller): GraphQLError | undefined;
}
