/**
 * `@Scope(...)`: what an access token needs to use a root field, declared beside the field's `@Authorized`:
 *
 *     @Authorized()
 *     @Scope('products:write')
 *     @Mutation(() => Product)
 *     createProduct(...)
 *
 * - a scope name (src/access/scopes.ts): an access token must hold it (or its resource's write);
 * - `'none'`: any token may use it (`tokenInfo`, `logout`: a token inspecting or revoking itself);
 * - `'no-access-tokens'`: an access token may never use it, whatever its scopes (what mints credentials or acts
 *   on the account), and is refused with `reason: "ACCESS_TOKEN_NOT_ALLOWED"`.
 *
 * The declaration is stored in the GraphQL field's extensions, so the rule reads it from the schema and no
 * list is kept elsewhere. test/secure-by-default.test.ts fails for a protected root field without one.
 */
import { Extensions } from 'type-graphql';
import type { GraphQLField } from 'graphql';
import type { ScopeName } from './scopes';

export const NO_SCOPE = 'none';
export const NO_ACCESS_TOKENS = 'no-access-tokens';
export type ScopeDeclaration = ScopeName | typeof NO_SCOPE | typeof NO_ACCESS_TOKENS;

const SCOPE_EXTENSION = 'scope';

export function Scope(declaration: ScopeDeclaration): MethodDecorator {
  return Extensions({ [SCOPE_EXTENSION]: declaration });
}

/** The field's declaration, or undefined for a field that declares none (a public one). */
export function scopeOf(field: GraphQLField<unknown, unknown> | undefined): ScopeDeclaration | undefined {
  return field?.extensions?.[SCOPE_EXTENSION] as ScopeDeclaration | undefined;
}
