/**
 * Where the scope rule (src/access/scope-rule.ts) runs until the operation pipeline (issue 17) takes it into
 * its rule list: an Apollo plugin for HTTP and `checkOperationScopes` for the WebSocket's onSubscribe. Both
 * remember the plan with the operation node (Apollo hands a repeated document the same node).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Authenticated } from '../authentication';
import { authenticatedOf, type Context } from '../context';
import { scopeRule, type ScopePlan } from './scope-rule';

export interface ScopeCheck {
  check(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode | null | undefined,
    caller: { authenticated: Authenticated | null; ip: string; transport: 'http' | 'ws' },
  ): GraphQLError | undefined;
  plugin: ApolloServerPlugin<Context>;
}

export function scopeCheck(keyword: string): ScopeCheck {
  const rule = scopeRule(keyword);
  const plans = new WeakMap<OperationDefinitionNode, ScopePlan>();
  const check: ScopeCheck['check'] = (schema, document, operation, caller) => {
    // Only an access token is restricted: every other caller skips even the plan.
    if (!operation || !caller.authenticated?.scopes) return undefined;
    let plan = plans.get(operation);
    if (!plan) plans.set(operation, (plan = rule.plan({ schema, document, operation })));
    return rule.check(plan, caller);
  };
  return {
    check,
    plugin: {
      async requestDidStart({ contextValue }) {
        if (!authenticatedOf(contextValue)?.scopes) return;
        return {
          async didResolveOperation({ schema, document, operation, contextValue }) {
            const refusal = check(schema, document, operation, { authenticated: authenticatedOf(contextValue), ip: contextValue.ip, transport: 'http' });
            if (refusal) throw refusal;
          },
        };
      },
    },
  };
}
