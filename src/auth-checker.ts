/**
 * The @Authorized policy, with DRF's split between 401 and 403: an anonymous caller gets 401
 * (NotAuthenticated, with WWW-Authenticate), an authenticated one without the role gets 403.
 * type-graphql's own failure would answer HTTP 200 with code UNAUTHORIZED, so this checker throws instead.
 *
 * Roles, named through `Role` (`@Authorized(Role.STAFF)`): `STAFF` (is_staff, or a superuser) and `SUPERUSER`
 * (is_superuser). Listing several means any of them.
 */
import type { AuthChecker } from 'type-graphql';
import type { Context } from './context';
import { NotAuthenticated, PermissionDenied } from './errors';
import type { User } from './users/user.entity';
import { callerOf } from './security/caller';
import { SecurityEventType } from './security/event-types';
import { recordSecurityEvents } from './security/security-log';

export const Role = { STAFF: 'STAFF', SUPERUSER: 'SUPERUSER' } as const;
export type Role = (typeof Role)[keyof typeof Role];

function hasRole(user: User, role: string): boolean {
  if (role === Role.SUPERUSER) return user.isSuperuser;
  if (role === Role.STAFF) return user.isStaff || user.isSuperuser;
  // A role this checker does not know is a bug in a resolver (write Role.STAFF, not 'STAFF'): answering 403
  // to everybody would hide it.
  throw new Error(`@Authorized names an unknown role "${role}"; use Role.${Object.keys(Role).join(' or Role.')}`);
}

export const authChecker: AuthChecker<Context> = ({ context, info }, roles) => {
  if (!context.user) throw new NotAuthenticated();
  if (roles.length > 0 && !roles.some((role) => hasRole(context.user!, role))) return denied(context, `${info.parentType.name}.${info.fieldName}`, roles);
  return true;
};

/** A 403 is a security event (PERMISSION_DENIED, naming the field and the roles it wanted), then the refusal. */
// One event per operation, however many of its fields (aliases) were refused: a flood of forbidden fields is
// not a flood of writes.
const recorded = new WeakSet<Context>();

async function denied(context: Context, field: string, roles: string[]): Promise<never> {
  if (!recorded.has(context)) {
    recorded.add(context);
    await recordSecurityEvents(context.em, callerOf(context), [{ type: SecurityEventType.PERMISSION_DENIED, detail: { field, roles } }]);
  }
  throw new PermissionDenied();
}
