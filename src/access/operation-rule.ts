/**
 * The shape of a per-operation rule of the operation pipeline (issue 17, src/operations/rule.ts on main once
 * it lands; this local copy is replaced by it then): `plan` once per distinct document and operation, `check`
 * per operation before any resolver runs, on HTTP and WebSocket alike.
 */
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Authenticated } from '../authentication';

export interface OperationRule<Plan> {
  /** Once per distinct (document, operation): what check() needs, remembered with the document. Pure. */
  plan(input: { schema: GraphQLSchema; document: DocumentNode; operation: OperationDefinitionNode }): Plan;
  /**
   * Per operation: a GraphQLError refuses it whole (extensions.http gives the HTTP status and headers; over a
   * socket it becomes an `error` message and the socket stays open), undefined lets it run. Synchronous, cheap.
   */
  check(plan: Plan, caller: { authenticated: Authenticated | null; ip: string; transport: 'http' | 'ws' }): GraphQLError | undefined;
}
