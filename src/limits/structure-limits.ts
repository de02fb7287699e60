/**
 * MAX_ALIASES and MAX_DEPTH, by graphql-armor's rules, checked on their own before the full validation: as
 * part of it, a refusal came only after graphql-js's ~25 rules had walked the whole document (40 aliased
 * registrations cost more CPU to refuse than a page of products costs to answer). The pipeline remembers
 * every document it prepared or refused (src/operations/pipeline.ts), so a repeated one is not walked again.
 */
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { withoutSyntaxPrefix } from './refusal';

/** graphql-armor's rules hand us their refusal; it is reported with our wording. */
const report = [
  (context: ValidationContext | null, error: GraphQLError) => context?.reportError(new GraphQLError(withoutSyntaxPrefix(error.message))),
];

export function structureRules({ maxAliases, maxDepth }: { maxAliases: number; maxDepth: number }): ValidationRule[] {
  return [
    // `__typename` is not counted: clients (Apollo Client among them) add it everywhere.
    maxAliasesRule({ n: maxAliases, allowList: ['__typename'], onReject: report, propagateOnRejection: false }),
    // Depth counts fields, not fragments; the playground's introspection query is deeper than any real
    // operation and is not counted (where introspection is off, it is refused anyway).
    maxDepthRule({ n: maxDepth, ignoreIntrospection: true, flattenFragments: true, onReject: report, propagateOnRejection: false }),
  ];
}
