/**
 * A per-operation rule, as the operation pipeline (src/operations/rule.ts, issue 17, on main) runs them. A copy
 * until that pipeline reaches this branch; the merge replaces this file by an import of the real one.
 */
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Authenticated } from '../authentication';

export interface OperationRule<Plan> {
  /** Once per distinct (document, operation): what check() needs, remembered with the document. Pure. */
  plan(input: { schema: GraphQLSchema; document: DocumentNode; operation: OperationDefinitionNode }): Plan;
  /**
   * Per operation, before any resolver runs, on HTTP and WebSocket alike. A GraphQLError refuses the
   * operation whole (its extensions.http give the HTTP status); undefined lets it run. Synchronous and cheap.
   */
  check(plan: Plan, caller: { authenticated: Authenticated | null; ip: string; transport: 'http' | 'ws' }): GraphQLError | undefined;
}
