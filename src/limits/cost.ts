/**
 * MAX_COST: what an operation may ask the database for, summed over every field and alias. A field costs 1;
 * a page (`products`, `users`, `tokens`) costs its `limit` times what one of its items costs, so twenty aliased
 * pages cost twenty pages. The `limit <= 100` check alone holds per field: 1,000 aliased `products(limit: 100)`
 * answered 61.7 MB. Computed by graphql-query-complexity (type-graphql hands a field's `complexity` option to
 * it), with the request's variables, once the operation is known and before it runs.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getOperationAST, type DocumentNode, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from '../pagination';
import { LimitExceeded } from './refusal';

/** The `complexity` of a page field: one item's cost, `limit` times over. */
export const pageCost: ComplexityEstimator = ({ args, childComplexity }) =>
  1 + (typeof args.limit === 'number' ? args.limit : DEFAULT_PAGE_SIZE) * childComplexity;

/** The `complexity` of a cursor-paged connection: `first` items (its default when absent), each as its selection costs. */
export const connectionCost: ComplexityEstimator = ({ args, field, childComplexity }) => {
  const fallback = field.args.find((arg) => arg.name === 'first')?.defaultValue;
  const first = typeof args.first === 'number' ? args.first : typeof fallback === 'number' ? fallback : DEFAULT_PAGE_SIZE;
  return 1 + first * childComplexity;
};

const estimators = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];

/**
 * Costs of operations that declare no variables, by document: Apollo hands a repeated operation the same
 * DocumentNode (its document store), and such an operation always costs the same, so it is priced once.
 * Walking the document on every request was ~5% of a products page's CPU in the bench.
 */
const fixedCosts = new WeakMap<DocumentNode, Map<string, number>>();

function costOf(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined): number | undefined {
  const operation = getOperationAST(document, operationName);
  const fixed = operation !== null && operation !== undefined && !operation.variableDefinitions?.length;
  const key = operationName ?? '';
  const known = fixed ? fixedCosts.get(document)?.get(key) : undefined;
  if (known !== undefined) return known;
  let cost: number;
  try {
    cost = getComplexity({ schema, query: document, variables, operationName, estimators });
  } catch {
    // Variables that do not fit the operation: execution refuses them with graphql-js's own message.
    return undefined;
  }
  if (fixed) {
    let costs = fixedCosts.get(document);
    if (!costs) fixedCosts.set(document, (costs = new Map()));
    costs.set(key, cost);
  }
  return cost;
}

/** LimitExceeded when the operation costs more than `maxCost`; shared by HTTP (below) and WebSocket. */
export function checkCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined, maxCost: number): void {
  const cost = costOf(schema, document, variables, operationName);
  if (cost !== undefined && cost > maxCost) throw new LimitExceeded(`Query cost limit of ${maxCost} exceeded, found ${cost}.`);
}

export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          checkCost(schema, document, request.variables ?? {}, operationName ?? undefined, maxCost);
        },
      };
    },
  };
}
