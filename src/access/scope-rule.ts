/**
 * The scope rule: an operation run with an access token is refused whole, before any resolver, when one of
 * its root fields needs a scope the token lacks (403 INSUFFICIENT_SCOPE with RFC 6750's WWW-Authenticate)
 * or may never be used by an access token (403 ACCESS_TOKEN_NOT_ALLOWED, which wins). DRF and login tokens
 * (`scopes` null) and anonymous callers pass: @Authorized answers those. `__typename` and introspection
 * (`__schema`, `__type`) are not fields of the root type, so they need no scope.
 *
 * One of the operation pipeline's rules (src/operations/rule.ts), listed in createApp(): what an operation
 * needs is planned once per document from the fields' `@Scope` declarations (src/access/scope.ts); a request's
 * check is a few array lookups, and none for a caller that is not an access token.
 */
import { Kind, type FragmentDefinitionNode } from 'graphql';
import { AccessTokenNotAllowed, InsufficientScope } from '../errors';
import { rootFieldKeys } from '../limits/password-fields';
import type { OperationRule } from '../operations/rule';
import { NO_ACCESS_TOKENS, NO_SCOPE, scopeOf } from './scope';
import { grants, SCOPES, type ScopeName } from './scopes';

export interface ScopePlan {
  /** The scopes the operation's root fields need, in the order of SCOPES, each once. */
  needed: readonly ScopeName[];
  /** A root field no access token may use. */
  noAccessTokens: boolean;
}

export function scopeRule(keyword: string): OperationRule<ScopePlan> {
  return {
    name: 'scope',

    plan({ schema, document, operation }) {
      const root = schema.getRootType(operation.operation);
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
      }
      const fields = root?.getFields() ?? {};
      const needed = new Set<string>();
      let noAccessTokens = false;
      for (const name of rootFieldKeys(operation.selectionSet, fragments).values()) {
        const declared = scopeOf(fields[name]);
        if (declared === NO_ACCESS_TOKENS) noAccessTokens = true;
        else if (declared !== undefined && declared !== NO_SCOPE) needed.add(declared);
      }
      return { needed: SCOPES.filter((scope) => needed.has(scope)), noAccessTokens };
    },

    check(plan, { authenticated }) {
      const granted = authenticated?.scopes;
      if (!granted) return undefined;
      if (plan.noAccessTokens) return new AccessTokenNotAllowed();
      const missing = plan.needed.filter((scope) => !grants(granted, scope));
      return missing.length ? new InsufficientScope(keyword, missing, granted) : undefined;
    },
  };
}
