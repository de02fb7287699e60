/**
 * Over HTTP, a subscription operation is refused at validation with a message that says where they are
 * served. Without this rule it validated, and its execution failed as a masked INTERNAL_SERVER_ERROR.
 */
import { GraphQLError, type ValidationRule } from 'graphql';

export const SUBSCRIPTIONS_OVER_WEBSOCKET =
  'Subscriptions are served over WebSocket at /graphql (the graphql-transport-ws protocol), not over HTTP.';

export const NoSubscriptionsOverHttp: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation === 'subscription') context.reportError(new GraphQLError(SUBSCRIPTIONS_OVER_WEBSOCKET, { nodes: [node] }));
  },
});
