/**
 * Limits on what one operation may cost, all checked before anything executes, by the operation pipeline
 * (src/operations/pipeline.ts) on HTTP and WebSocket alike; each refusal is HTTP 400 (an `error` message over
 * a socket) with `GRAPHQL_VALIDATION_FAILED` and a message naming the limit and what was found
 * (docs/limits.md). This folder holds the rules; the pipeline decides when each runs.
 *
 * | setting       | checked                                   | by                                        |
 * |---------------|-------------------------------------------|-------------------------------------------|
 * | MAX_TOKENS    | before parsing                            | token-limit.ts (graphql-js's lexer)       |
 * | MAX_ALIASES   | before validation                         | structure-limits.ts (graphql-armor)       |
 * | MAX_DEPTH     | before validation                         | structure-limits.ts (graphql-armor)       |
 * | INTROSPECTION | validation                                | introspection.ts                          |
 * | MAX_COST      | once the operation is chosen              | cost.ts (graphql-query-complexity)        |
 * | one password-checking field | once the operation is chosen | password-fields.ts                      |
 */
import type { ValidationRule } from 'graphql';
import type { OperationLimits } from '../settings';
import { noIntrospectionRule } from './introspection';

/** The validation rules a document must pass beyond graphql-js's own. */
export function documentRules(limits: Pick<OperationLimits, 'introspection' | 'introspectionExplicit'>): ValidationRule[] {
  return limits.introspection ? [] : [noIntrospectionRule(limits)];
}
