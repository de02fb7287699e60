/**
 * Fields that check or set a password run bcrypt, a deliberately slow hash: 40 aliased `register` fields in
 * one request took 10 s of CPU. Such a field is declared with `@ChecksPassword()`, which does two things:
 * - marks it, so that an operation selecting more than one is refused before anything runs
 *   (src/operations/pipeline.ts);
 * - spends one unit of the caller's PASSWORD_RATE before the resolver runs (src/throttles/password-work.ts).
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { Extensions, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { Context } from '../context';
import { spendPasswordWork } from '../throttles/password-work';

const CHECKS_PASSWORD = 'checksPassword';

/** Marks a resolver as one that runs the password hasher (see the module comment). */
export function ChecksPassword(): MethodDecorator {
  return (target, key, descriptor) => {
    Extensions({ [CHECKS_PASSWORD]: true })(target, key, descriptor);
    const spend: MiddlewareFn<Context> = ({ context }, next) => spendPasswordWork(context).then(next);
    UseMiddleware(spend)(target, key, descriptor);
  };
}

/** The response keys of the root fields a selection asks for, fragments included. */
export function rootFieldKeys(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, keys = new Map<string, string>(), seen = new Set<string>()) {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      // graphql-js runs one resolver per response key, however often the same key is selected.
      keys.set(selection.alias?.value ?? selection.name.value, selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      rootFieldKeys(selection.selectionSet, fragments, keys, seen);
    } else if (!seen.has(selection.name.value) && fragments[selection.name.value]) {
      seen.add(selection.name.value);
      rootFieldKeys(fragments[selection.name.value].selectionSet, fragments, keys, seen);
    }
  }
  return keys;
}

/** How many password-checking root fields the operation selects (the pipeline refuses more than one). */
export function countPasswordFields(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): number {
  const root: GraphQLObjectType | null | undefined = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const fields = root.getFields();
  let found = 0;
  for (const name of rootFieldKeys(operation.selectionSet, fragments).values()) {
    if (fields[name]?.extensions?.[CHECKS_PASSWORD]) found += 1;
  }
  return found;
}
