/**
 * Checking a username and password: the one function behind `obtainAuthToken` and `login` (DRF's
 * AuthTokenSerializer over Django's ModelBackend), and the password check of `changePassword`. Unknown
 * user, wrong password and inactive user all give the same error after the same hashing work, so neither
 * the message nor the timing tells them apart.
 *
 * Failed attempts are counted per client address and username (in PostgreSQL, so every worker sees them);
 * past the limit the answer is DRF's Throttled (429) before any hashing, so guessing also costs no CPU. A
 * success clears the count. The count rides along with the user lookup, so it costs no extra query.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Throttled, ValidationError } from '../errors';
import { verifyAgainstDummy, verifyPassword } from '../users/passwords';

/** Who is logging in, for the failed-login throttle (DRF leaves throttling to the user; its docs ask for it). */
export interface LoginThrottle {
  /** The client address. */
  ip: string;
  /** Failures per address and username before further attempts are refused; 0 turns the throttle off. */
  limit: number;
  windowSeconds: number;
}

export interface CheckedUser {
  id: number;
  email: string;
}

export const BAD_CREDENTIALS = 'Unable to log in with provided credentials.';

interface LoginRow {
  id: number | null;
  email: string | null;
  password: string | null;
  is_active: boolean | null;
  failures: number;
  wait: number | null;
}

function identOf(throttle: LoginThrottle | undefined, username: string): string {
  return `${throttle?.ip ?? ''}|${username.toLowerCase()}`;
}

const FAILURES = `select count(*)::int as failures,
                         extract(epoch from min(at) + make_interval(secs => ?) - now())::float as wait
                    from authtoken_login_failure
                   where ident = ? and at > now() - make_interval(secs => ?)`;

async function recordFailure(em: EntityManager, throttle: LoginThrottle | undefined, ident: string): Promise<void> {
  if (!throttle || throttle.limit <= 0) return;
  // Old rows go with each new failure, so the table holds at most one window of failures.
  await em.getConnection().execute(
    `with expired as (delete from authtoken_login_failure where at <= now() - make_interval(secs => ?))
     insert into authtoken_login_failure (ident, at) values (?, now())`,
    [throttle.windowSeconds, ident],
  );
}

function refuseIfThrottled(throttle: LoginThrottle | undefined, row: { failures: number; wait: number | null }): void {
  if (throttle && throttle.limit > 0 && row.failures >= throttle.limit) throw new Throttled(row.wait ?? throttle.windowSeconds);
}

/**
 * The active user with this username (trimmed, any case) and password, or ValidationError with DRF's
 * messages. Records the login in `last_login`: DRF leaves it untouched for token logins (only session
 * login() sets it), a common complaint from its users; here obtaining a token counts as logging in.
 */
export async function checkCredentials(
  em: EntityManager,
  rawUsername: string,
  password: string,
  rounds: number,
  throttle?: LoginThrottle,
): Promise<CheckedUser> {
  const username = rawUsername.trim();
  if (!username || !password) throw new ValidationError('Must include "username" and "password".');
  const ident = identOf(throttle, username);
  const windowSeconds = throttle?.windowSeconds ?? 0;

  const [row] = await em.getConnection().execute<LoginRow[]>(
    `select u.id, u.email, u.password, u.is_active, f.failures, f.wait
       from (${FAILURES}) f
       left join auth_user u on lower(u.username) = lower(?)`,
    [windowSeconds, ident, windowSeconds, username],
  );
  refuseIfThrottled(throttle, row);

  const valid = row.password ? await verifyPassword(password, row.password) : await verifyAgainstDummy(password, rounds);
  if (!row.id || !valid || !row.is_active) {
    await recordFailure(em, throttle, ident);
    throw new ValidationError(BAD_CREDENTIALS);
  }
  if (row.failures > 0) await em.getConnection().execute('delete from authtoken_login_failure where ident = ?', [ident]);
  await em.getConnection().execute('update auth_user set last_login = now() where id = ?', [row.id]);
  return { id: row.id, email: row.email! };
}

/**
 * Django's PasswordChangeForm check of the current password, for an authenticated user. A wrong one is a
 * failed login for the throttle (it is a password guess all the same), and past the limit the answer is 429.
 */
export async function checkCurrentPassword(
  em: EntityManager,
  user: { username: string; password: string },
  password: string,
  throttle?: LoginThrottle,
): Promise<void> {
  const ident = identOf(throttle, user.username);
  const windowSeconds = throttle?.windowSeconds ?? 0;
  const [row] = await em.getConnection().execute<{ failures: number; wait: number | null }[]>(FAILURES, [windowSeconds, ident, windowSeconds]);
  refuseIfThrottled(throttle, row);
  if (!password || !(await verifyPassword(password, user.password))) {
    await recordFailure(em, throttle, ident);
    throw new ValidationError(
      'currentPassword: Your old password was entered incorrectly. Please enter it again.',
      'currentPassword',
    );
  }
  if (row.failures > 0) await em.getConnection().execute('delete from authtoken_login_failure where ident = ?', [ident]);
}
