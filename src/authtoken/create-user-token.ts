/**
 * DRF's `create_user_token(username, reset)`, the work behind `manage create-token` and the admin's
 * `createToken`: returns the user's token, creating it when missing, or replacing it when `reset` is set
 * (the old key stops working when that commits).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../errors';
import { usernameMatches } from '../users/credentials';
import { Token } from './token.entity';
import { getOrCreateToken, regenerateToken } from './token-store';
import type { Caller } from '../security/security-log';

/** The username names no user. DRF's command wording; in the API a BAD_USER_INPUT on `username`. */
export class UnknownUser extends ValidationError {
  constructor(readonly username: string) {
    super(`Cannot create the Token: user ${username} does not exist`, 'username');
  }
}

export async function createUserToken(em: EntityManager, username: string, reset = false, djangoDatabase = false, caller?: Caller): Promise<Token> {
  // The username matches as logins match it: regardless of case, or exactly on a Django database.
  const [row] = await em
    .getConnection()
    .execute<{ id: number }[]>(`select id from auth_user u where ${usernameMatches(djangoDatabase)}`, [username]);
  if (!row) throw new UnknownUser(username);
  // TOKEN_CREATED (and TOKEN_REVOKED for a replaced key) in the write's transaction.
  const audit = caller && { caller };
  const key = reset ? await regenerateToken(em, row.id, audit) : await getOrCreateToken(em, row.id, audit);
  return em.findOneOrFail(Token, { key }, { populate: ['user'], refresh: true });
}
