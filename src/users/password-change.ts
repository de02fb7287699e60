/**
 * Changing passwords: the user's own (`changePassword`, Django's PasswordChangeForm) and staff setting
 * another's (`setPassword`, Django admin's AdminPasswordChangeForm). A new password is validated as
 * `register` validates it. The token rows go through the token store.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { checkCurrentPassword, type LoginThrottle } from '../authtoken/credentials';
import { deleteTokensOfUser, type AuthToken } from '../authtoken/token-store';
import { hashPassword } from './passwords';
import { User } from './user.entity';
import { validatePassword } from './user.validation';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  /** Delete every other token of the user (the DRF one too, unless it is the one in use). */
  revokeOtherTokens: boolean;
}

/** The caller's own password. The caller stays logged in with the token in use (`auth`). */
export async function changePassword(
  em: EntityManager,
  user: User,
  auth: AuthToken,
  change: PasswordChange,
  rounds: number,
  throttle?: LoginThrottle,
): Promise<true> {
  // The cheap checks first: a refused new password costs no bcrypt.
  validatePassword(change.newPassword, 'newPassword');
  await checkCurrentPassword(em, user, change.currentPassword, throttle);
  await setPasswordHash(em, user.id, await hashPassword(change.newPassword, rounds), change.revokeOtherTokens ? auth : undefined, change.revokeOtherTokens);
  return true;
}

/**
 * Writes the hash and, with `revoke`, deletes the user's tokens but `keep`, in one transaction: a password
 * change that went through has logged the other devices out.
 */
export async function setPasswordHash(em: EntityManager, userId: number, hash: string, keep: AuthToken | undefined, revoke: boolean): Promise<void> {
  await em.transactional(async (tx) => {
    await tx.nativeUpdate(User, { id: userId }, { password: hash });
    if (revoke) await deleteTokensOfUser(tx, userId, keep);
  });
  // The request's own copy of the user, if it holds one, keeps up (and a later flush writes nothing).
  const managed = em.getUnitOfWork().getById<User>(User.name, userId);
  if (managed) {
    managed.password = hash;
    em.getUnitOfWork().register(managed, { ...managed } as never);
  }
}
