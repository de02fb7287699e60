/**
 * MAX_ALIASES and MAX_DEPTH, by graphql-armor's rules, checked on their own before the full validation: as
 * part of it, a refusal came only after graphql-js's ~25 rules had walked the whole document (40 aliased
 * registrations cost more CPU to refuse than a page of products costs to answer). Apollo keeps the
 * documents that passed (its document store), so this costs nothing for repeated valid operations; the
 * documents refused are remembered (refused-documents.ts) and answered before Apollo when they come again.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, validate, type ValidationContext, type ValidationRule } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { LimitExceeded, withoutSyntaxPrefix } from './refusal';
import type { RefusedDocuments } from './refused-documents';

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

export function structureLimitsPlugin(limits: { maxAliases: number; maxDepth: number }, refused: RefusedDocuments): ApolloServerPlugin {
  const rules = structureRules(limits);
  return {
    async requestDidStart() {
      return {
        async validationDidStart({ schema, document, source }) {
          const [error] = validate(schema, document, rules);
          if (!error) return;
          refused.remember(source, error.message);
          throw new LimitExceeded(error.message);
        },
      };
    },
  };
}
