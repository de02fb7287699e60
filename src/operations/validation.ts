/**
 * graphql-js's validation, made total: whatever the document, it answers with errors or none, never a throw.
 *
 * graphql-js 16's SingleFieldSubscriptionsRule collects the root fields of a subscription with no variables,
 * and evaluating `@include` without `if`, or `@skip(if: $undeclared)`, there throws out of `validate()`: a
 * thrown validation was a 500 over HTTP and closed a whole WebSocket with 4500. And `@skip(if: true)` on the
 * root field passes graphql-js 16's validation, then makes `subscribe()` throw. graphql-js 17 refuses both
 * with the rule below (its wording); this server does the same on graphql 16.
 */
import {
  GraphQLError,
  Kind,
  SingleFieldSubscriptionsRule,
  specifiedRules,
  validate,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

const CONDITIONAL = new Set(['skip', 'include']);

/** The `@skip`/`@include` on a subscription's top level selection, fragments at that level included. */
function conditionalsAtTopLevel(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>, found: DirectiveNode[]): void {
  for (const selection of set.selections) {
    for (const directive of selection.directives ?? []) if (CONDITIONAL.has(directive.name.value)) found.push(directive);
    if (selection.kind === Kind.INLINE_FRAGMENT) conditionalsAtTopLevel(selection.selectionSet, fragments, seen, found);
    else if (selection.kind === Kind.FRAGMENT_SPREAD && !seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) conditionalsAtTopLevel(fragment.selectionSet, fragments, seen, found);
    }
  }
}

/** Whether a subscription's root field is selected must not depend on a value: graphql-js 17's rule. */
export const NoConditionalSubscriptionRootRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation !== 'subscription') return;
    const fragments = new Map(context.getDocument().definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
    const found: DirectiveNode[] = [];
    conditionalsAtTopLevel(node.selectionSet, fragments, new Set(), found);
    if (found.length === 0) return;
    const subject = node.name ? `Subscription "${node.name.value}"` : 'Anonymous Subscription';
    context.reportError(new GraphQLError(`${subject} must not use \`@skip\` or \`@include\` directives in the top level selection.`, { nodes: found }));
  },
});

/** graphql-js's rules without the one that can throw, for a second pass when it did. */
const WITHOUT_SINGLE_FIELD = specifiedRules.filter((rule) => rule !== SingleFieldSubscriptionsRule);

/**
 * graphql-js's specified rules plus `rules`; a rule that throws is itself a validation failure. Ours run
 * first: the conditional-root rule reports before graphql-js's subscription rule can trip on the same thing.
 */
export function validateDocument(schema: GraphQLSchema, document: DocumentNode, rules: readonly ValidationRule[]): readonly GraphQLError[] {
  try {
    return validate(schema, document, [NoConditionalSubscriptionRootRule, ...rules, ...specifiedRules]);
  } catch (thrown) {
    let errors: readonly GraphQLError[] = [];
    try {
      errors = validate(schema, document, [NoConditionalSubscriptionRootRule, ...rules, ...WITHOUT_SINGLE_FIELD]);
    } catch {
      // Another rule threw as well: the first throw's message is the one to give.
    }
    if (errors.length) return errors;
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return [new GraphQLError(`The document could not be validated: ${message}`)];
  }
}
