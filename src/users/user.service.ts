/**
 * Creating users: shared by `register`, the admin's `createUser` and `manage createsuperuser`, so all three
 * validate and hash the same way. The token comes from TokenSubscriber, in the same transaction.
 */
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../errors';
import { hashPassword, type PasswordPolicy } from './passwords';
import { User } from './user.entity';
import { cleanNewUser, type NewUser } from './user.validation';

export interface UserFlags {
  isStaff?: boolean;
  isSuperuser?: boolean;
  isActive?: boolean;
}

export async function createUser(em: EntityManager, input: NewUser, passwords: PasswordPolicy, flags: UserFlags = {}): Promise<User> {
  const clean = cleanNewUser(input);
  const user = em.create(User, {
    ...clean,
    password: await hashPassword(clean.password, passwords),
    isStaff: flags.isStaff ?? false,
    isSuperuser: flags.isSuperuser ?? false,
    isActive: flags.isActive ?? true,
  });
  try {
    await em.flush();
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
