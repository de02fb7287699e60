/**
 * The scopes of access tokens: `<resource>:read` and `<resource>:write`, write implying read (GitHub's
 * fine-grained permissions, Stripe's restricted keys). This list is the one place resources are named; each
 * protected root field declares which scope it needs with `@Scope(...)` (src/access/scope.ts), and the scope
 * rule (src/access/scope-rule.ts) holds an access token to them. DRF and login tokens are unrestricted.
 *
 * A resource added later adds one entry here and declares its scope on its fields.
 */

export const RESOURCES = {
  profile: 'Your own account (me).',
  products: 'Products: list and read them, and with write create, update and delete them.',
  tokens: 'Your login and access tokens: list them, and with write revoke them.',
  admin: 'The staff admin: users and tokens. Only for staff; a token never has more rights than its user.',
} as const;

export type Resource = keyof typeof RESOURCES;
export type Access = 'read' | 'write';
export type ScopeName = `${Resource}:${Access}`;

/** Every scope, resource by resource, read before write. */
export const SCOPES: readonly ScopeName[] = (Object.keys(RESOURCES) as Resource[]).flatMap((resource) => [
  `${resource}:read` as const,
  `${resource}:write` as const,
]);

const KNOWN = new Set<string>(SCOPES);

export function isScope(value: string): value is ScopeName {
  return KNOWN.has(value);
}

/** `accessScopes`: each scope with what it allows. */
export function describeScopes(): { name: ScopeName; description: string }[] {
  return SCOPES.map((name) => {
    const [resource, access] = name.split(':') as [Resource, Access];
    const what = RESOURCES[resource];
    return { name, description: access === 'read' ? `Read: ${what}` : `Read and write (implies ${resource}:read): ${what}` };
  });
}

/** Whether `granted` (a token's scopes) covers `needed`: the scope itself, or its resource's write. */
export function grants(granted: readonly string[], needed: ScopeName): boolean {
  if (granted.includes(needed)) return true;
  return needed.endsWith(':read') && granted.includes(`${needed.slice(0, -':read'.length)}:write`);
}

/** Scopes only staff may hold (a token's scopes never add rights to its user's). */
export function isStaffScope(scope: string): boolean {
  return scope.startsWith('admin:');
}
