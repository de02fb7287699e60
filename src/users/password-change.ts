/**
 * Changing passwords: the user's own (`changePassword`, Django's PasswordChangeForm) and staff setting
 * another's (`setPassword`, Django admin's AdminPasswordChangeForm). A new password is validated as
 * `register` validates it, and hashed in the configured format (PASSWORD_HASHER). The current password is
 * checked by the one credentials check. The token rows go through the token store.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { deleteTokensOfUser, type AuthToken } from '../authtoken/token-store';
import { ValidationError } from '../errors';
import { checkCredentials, type CredentialSettings, type LoginThrottle } from './credentials';
import { hashPassword } from './passwords';
import { User } from './user.entity';
import { validatePassword } from './user.validation';

/** Django's PasswordChangeForm message. */
export const WRONG_CURRENT_PASSWORD = 'Your old password was entered incorrectly. Please enter it again.';

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
  settings: CredentialSettings,
  throttle?: LoginThrottle,
): Promise<true> {
  // The cheap checks first: a refused new password costs no hashing.
  validatePassword(change.newPassword, 'newPassword');
  try {
    await checkCredentials(em, user.username, change.currentPassword, settings, throttle, { currentUserId: user.id });
  } catch (error) {
    // Any refusal but the throttle's (a wrong, blank or unusable password) gets Django's form message.
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(`currentPassword: ${WRONG_CURRENT_PASSWORD}`, 'currentPassword');
  }
  const hash = await hashPassword(change.newPassword, settings.passwords);
  await setPasswordHash(em, user.id, hash, change.revokeOtherTokens ? auth : undefined, change.revokeOtherTokens);
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
