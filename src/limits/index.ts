/**
 * Limits on what one operation may cost, all checked before anything executes; each refusal is HTTP 400
 * with `GRAPHQL_VALIDATION_FAILED` and a message naming the limit and what was found (docs/limits.md).
 *
 * | setting     | checked                         | by                                             |
 * |-------------|---------------------------------|------------------------------------------------|
 * | MAX_TOKENS  | before parsing                  | token-limit.ts (graphql-js's lexer)            |
 * | MAX_ALIASES | validation                      | graphql-armor's max-aliases rule               |
 * | MAX_DEPTH   | validation                      | graphql-armor's max-depth rule                 |
 * | MAX_COST    | once the operation is resolved  | cost.ts (graphql-query-complexity)             |
 * | one password-checking field | once resolved   | password-fields.ts                             |
 * | INTROSPECTION | validation                    | introspection.ts                               |
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { Settings } from '../settings';
import { costLimitPlugin } from './cost';
import { noIntrospectionRule } from './introspection';
import { passwordFieldsPlugin } from './password-fields';
import { withoutSyntaxPrefix } from './refusal';
import { tokenLimitPlugin } from './token-limit';

/** graphql-armor's rules hand us their refusal; it is reported as a validation error with our wording. */
const report = [
  (context: ValidationContext | null, error: GraphQLError) => context?.reportError(new GraphQLError(withoutSyntaxPrefix(error.message))),
];

export interface OperationLimitChecks {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
}

export function operationLimits(settings: Pick<Settings, 'limits' | 'introspection' | 'introspectionExplicit'>): OperationLimitChecks {
  const { maxAliases, maxDepth, maxTokens, maxCost } = settings.limits;
  const validationRules: ValidationRule[] = [
    // `__typename` is not counted: clients (Apollo Client among them) add it everywhere.
    maxAliasesRule({ n: maxAliases, allowList: ['__typename'], onReject: report, propagateOnRejection: false }),
    // Depth counts fields, not fragments; the playground's introspection query is deeper than any real
    // operation and is not counted (where introspection is off, it is refused anyway).
    maxDepthRule({ n: maxDepth, ignoreIntrospection: true, flattenFragments: true, onReject: report, propagateOnRejection: false }),
  ];
  if (!settings.introspection) validationRules.push(noIntrospectionRule(settings));
  return { validationRules, plugins: [tokenLimitPlugin(maxTokens), passwordFieldsPlugin, costLimitPlugin(maxCost)] };
}
