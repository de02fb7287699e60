/**
 * MAX_COST: what an operation may ask the database for, summed over every field and alias. A field costs 1;
 * a page (`products`, `users`, `tokens`) costs its `limit` times what one of its items costs, so twenty aliased
 * pages cost twenty pages. The `limit <= 100` check alone holds per field: 1,000 aliased `products(limit: 100)`
 * answered 61.7 MB. Computed by graphql-query-complexity (type-graphql hands a field's `complexity` option to
 * it), with the request's variables, once the operation is known and before it runs (src/operations/pipeline.ts).
 */
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from '../pagination';

/** The `complexity` of a page field: one item's cost, `limit` times over. */
export const pageCost: ComplexityEstimator = ({ args, childComplexity }) =>
  1 + (typeof args.limit === 'number' ? args.limit : DEFAULT_PAGE_SIZE) * childComplexity;

const estimators = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];

/**
 * What the operation `operationName` of `document` costs with `variables`, or undefined when the variables do
 * not fit it (execution then refuses them with graphql-js's own message). The pipeline prices an operation
 * without variables once and remembers it (src/operations/pipeline.ts).
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined): number | undefined {
  try {
    return getComplexity({ schema, query: document, variables, operationName, estimators });
  } catch {
    return undefined;
  }
}
