/**
 * Creating users: shared by `register`, the admin's `createUser` and `manage createsuperuser`, so all three
 * validate and hash the same way. The token comes from TokenSubscriber, in the same transaction.
 */
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../errors';
import { hashPassword, type PasswordPolicy } from './passwords';
import { User } from './user.entity';
import { cleanNewUser, type NewUser } from './user.validation';
import { tokenMadeFor } from '../authtoken/token-store';
import { tokenDetail, tokenRefOf } from '../security/caller';
import { SecurityEventType } from '../security/event-types';
import { recordSecurityEvents, type Caller } from '../security/security-log';

export interface UserFlags {
  isStaff?: boolean;
  isSuperuser?: boolean;
  isActive?: boolean;
}

/** Who made the user, for the security log: USER_REGISTERED (register) or USER_CREATED (staff, createsuperuser). */
export interface UserAudit {
  caller: Caller;
  type: SecurityEventType.USER_REGISTERED | SecurityEventType.USER_CREATED;
  detail?: Record<string, unknown>;
}

/** `register`: a user signing up, recorded as USER_REGISTERED with the token it gets. */
export function registerUser(em: EntityManager, input: NewUser, passwords: PasswordPolicy, caller: Caller): Promise<User> {
  return createUser(em, input, passwords, {}, { caller, type: SecurityEventType.USER_REGISTERED });
}

export async function createUser(em: EntityManager, input: NewUser, passwords: PasswordPolicy, flags: UserFlags = {}, audit?: UserAudit): Promise<User> {
  const clean = cleanNewUser(input);
  const user = em.create(User, {
    ...clean,
    password: await hashPassword(clean.password, passwords),
    isStaff: flags.isStaff ?? false,
    isSuperuser: flags.isSuperuser ?? false,
    isActive: flags.isActive ?? true,
  });
  try {
    if (audit) {
      // The user, its token (TokenSubscriber, in the same flush) and their events commit together.
      await em.begin();
      try {
        await em.flush();
        const token = tokenMadeFor(user);
        const ref = token && tokenRefOf(token);
        await recordSecurityEvents(em, audit.caller, [
          { type: audit.type, userId: user.id, username: user.username, detail: audit.detail ?? null },
          ...(ref ? [{ type: SecurityEventType.TOKEN_CREATED, userId: user.id, detail: tokenDetail(ref) }] : []),
        ]);
        await em.commit();
      } catch (error) {
        await em.rollback();
        throw error;
      }
    } else {
      await em.flush();
    }
  } catch (error) {
    // The unique index on lower(username) (or Django's own constraint) decides: two concurrent sign-ups cannot both win.
    if (error instanceof UniqueConstraintViolationException) {
      em.clear();
      throw new ValidationError('username: A user with that username already exists.', 'username');
    }
    throw error;
  }
  return user;
}
