/**
 * INTROSPECTION=false refuses `__schema` and `__type`, with a message naming this server's setting. Apollo's
 * own refusal (its `introspection: false`) tells strangers to "pass introspection: true to ApolloServer",
 * which is neither their business nor this server's setting, so Apollo is left open and this rule refuses.
 */
import { GraphQLError, type ValidationRule } from 'graphql';
import type { OperationLimits } from '../settings';

export function introspectionRefusal(settings: Pick<OperationLimits, 'introspectionExplicit'>): string {
  const why = settings.introspectionExplicit ? 'INTROSPECTION=false is set' : 'it is off by default with NODE_ENV=production';
  return `GraphQL introspection is off on this server (${why}); set INTROSPECTION=true to allow it.`;
}

export function noIntrospectionRule(settings: Pick<OperationLimits, 'introspectionExplicit'>): ValidationRule {
  const message = introspectionRefusal(settings);
  return (context) => ({
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        context.reportError(new GraphQLError(message, { nodes: [node] }));
      }
    },
  });
}

/**
 * "Did you mean "product" or "products"?" names fields a stranger did not ask about: where introspection is
 * off, so are graphql-js's suggestions. (graphql-armor's Apollo plugin for this leaves a stray "?" behind.)
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean .+\?$/, '');
}
