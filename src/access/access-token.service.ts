/**
 * Issuing an access token, the work behind `createAccessToken` and `manage create-access-token`: the input
 * validated (src/access/access-token.validation.ts), then refused with 403 when it asks for admin scopes the
 * user does not hold (a token never has more rights than its user), then stored by the token store, with
 * its TOKEN_CREATED in the security log (the audit's caller: the request's, or the command's).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { PermissionDenied, ValidationError } from '../errors';
import type { Settings } from '../settings';
import { createAccessToken, type IssuedAccessToken } from '../authtoken/token-store';
import type { Audit } from '../security/security-log';
import { usernameMatches } from '../users/credentials';
import { cleanAccessToken, type AccessTokenInput } from './access-token.validation';
import { isStaffScope } from './scopes';

export const SCOPE_EXCEEDS_PERMISSIONS = 'Requested scope exceeds your permissions.';

export interface TokenOwner {
  id: number;
  isStaff: boolean;
  isSuperuser: boolean;
}

export async function issueAccessToken(
  em: EntityManager,
  owner: TokenOwner,
  input: AccessTokenInput,
  settings: Pick<Settings, 'accessTokens' | 'loginTokens'>,
  audit?: Audit<IssuedAccessToken>,
): Promise<IssuedAccessToken> {
  const spec = cleanAccessToken(input, settings.accessTokens);
  if (spec.scopes.some(isStaffScope) && !(owner.isStaff || owner.isSuperuser)) throw new PermissionDenied(SCOPE_EXCEEDS_PERMISSIONS);
  return createAccessToken(em, owner.id, spec, settings.loginTokens.prefix, audit);
}

/** The username names no active user (the command's wording, after DRF's drf_create_token). */
export class UnknownTokenOwner extends ValidationError {
  constructor(readonly username: string) {
    super(`Cannot create the access token: user ${username} does not exist`, 'username');
  }
}

/** For the command: the user by username (matched as logins match it), then issueAccessToken. */
export async function issueAccessTokenFor(
  em: EntityManager,
  username: string,
  input: AccessTokenInput,
  settings: Pick<Settings, 'accessTokens' | 'loginTokens' | 'database'>,
  audit?: Audit<IssuedAccessToken>,
): Promise<IssuedAccessToken> {
  const [row] = await em
    .getConnection()
    .execute<{ id: number; is_staff: boolean; is_superuser: boolean }[]>(
      `select id, is_staff, is_superuser from auth_user u where is_active and ${usernameMatches(settings.database.django)}`,
      [username],
    );
  if (!row) throw new UnknownTokenOwner(username);
  return issueAccessToken(em, { id: row.id, isStaff: row.is_staff, isSuperuser: row.is_superuser }, input, settings, audit);
}
