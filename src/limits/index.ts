/**
 * Limits on what one operation may cost, all checked before anything executes; each refusal is HTTP 400
 * with `GRAPHQL_VALIDATION_FAILED` and a message naming the limit and what was found (docs/limits.md).
 *
 * | setting       | checked                                   | by                                        |
 * |---------------|-------------------------------------------|-------------------------------------------|
 * | MAX_TOKENS    | on the HTTP request, before Apollo        | token-limit.ts (graphql-js's lexer)       |
 * | MAX_ALIASES   | before validation                         | structure-limits.ts (graphql-armor)       |
 * | MAX_DEPTH     | before validation                         | structure-limits.ts (graphql-armor)       |
 * | MAX_COST      | once the operation is resolved            | cost.ts (graphql-query-complexity)        |
 * | one password-checking field | once resolved               | password-fields.ts                        |
 * | INTROSPECTION | validation                                | introspection.ts                          |
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { ValidationRule } from 'graphql';
import type { Settings } from '../settings';
import { costLimitPlugin } from './cost';
import { noIntrospectionRule } from './introspection';
import { passwordFieldsPlugin } from './password-fields';
import { answerRefusals } from './refusal';
import { structureLimitsPlugin } from './structure-limits';
import { tokenLimitMiddleware } from './token-limit';

export interface OperationLimitChecks {
  /** Before Apollo, on POST and GET /graphql. */
  httpMiddleware: RequestHandler;
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
}

export function operationLimits(settings: Pick<Settings, 'limits' | 'introspection' | 'introspectionExplicit'>): OperationLimitChecks {
  const { maxAliases, maxDepth, maxTokens, maxCost } = settings.limits;
  return {
    httpMiddleware: tokenLimitMiddleware(maxTokens),
    validationRules: settings.introspection ? [] : [noIntrospectionRule(settings)],
    plugins: [answerRefusals, structureLimitsPlugin({ maxAliases, maxDepth }), passwordFieldsPlugin, costLimitPlugin(maxCost)],
  };
}
