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
import type { OperationLimits } from '../settings';
import { costLimitPlugin } from './cost';
import { noIntrospectionRule } from './introspection';
import { passwordFieldsPlugin } from './password-fields';
import { answerRefusals } from './refusal';
import { structureLimitsPlugin, structureRules } from './structure-limits';
import { RefusedDocuments } from './refused-documents';
import { earlyRefusalMiddleware } from './token-limit';

export interface OperationLimitChecks {
  /** Before Apollo, on POST and GET /graphql. */
  httpMiddleware: RequestHandler;
  /** Apollo's extra validation rules. */
  validationRules: ValidationRule[];
  /**
   * Every rule a document must pass, the shape limits included, for a transport that validates documents
   * itself (the WebSocket path): over HTTP the shape limits run in a plugin, ahead of the full validation.
   */
  documentRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
}

export function operationLimits(limits: OperationLimits): OperationLimitChecks {
  const { maxAliases, maxDepth, maxTokens, maxCost } = limits;
  const refused = new RefusedDocuments();
  const introspection = limits.introspection ? [] : [noIntrospectionRule(limits)];
  return {
    httpMiddleware: earlyRefusalMiddleware(maxTokens, refused),
    validationRules: introspection,
    documentRules: [...structureRules({ maxAliases, maxDepth }), ...introspection],
    plugins: [answerRefusals, structureLimitsPlugin({ maxAliases, maxDepth }, refused), passwordFieldsPlugin, costLimitPlugin(maxCost)],
  };
}
