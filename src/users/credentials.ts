/**
 * The one credentials check (DRF's AuthTokenSerializer over Django's ModelBackend.authenticate): every way
 * of logging in with a username and a password (`obtainAuthToken`, `login`) and changePassword's check of
 * the current password go through `checkCredentials`, so matching, timing, the failed-login throttle and
 * password upgrades are the same for all of them. Nothing else verifies a password.
 *
 * - Username: trimmed; matched as the users table's uniqueness is defined: case-insensitively (lower())
 *   by default, exactly (case-sensitive, Django's `username` unique constraint) with DJANGO_DATABASE.
 * - Unknown user, wrong password, unusable password and inactive user all fail with the same error after the
 *   same hashing work, so neither the message nor the timing tells them apart.
 * - Failed attempts are counted per client address and username (in PostgreSQL, so every worker sees them);
 *   past the limit the answer is DRF's Throttled (429) before any hashing. The count rides along with the
 *   user lookup, so it costs no extra query. A success clears it.
 * - A login's success sets last_login and, when the stored hash is in an older format or has weaker
 *   parameters than the configured ones, replaces it in the same statement (Django's check_password setter).
 *   A re-check of a signed-in user's password (`currentUserId`) does neither: it is not a login, and the
 *   password is about to be replaced anyway.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Throttled, ValidationError } from '../errors';
import type { DatabaseSettings, Settings } from '../settings';
import { checkPassword, hashPassword, type PasswordPolicy } from './passwords';

export const BAD_CREDENTIALS = 'Unable to log in with provided credentials.';
export const MISSING_CREDENTIALS = 'Must include "username" and "password".';

/** Who is logging in, for the failed-login throttle (DRF leaves throttling to the user; its docs ask for it). */
export interface LoginThrottle {
  /** The client address. */
  ip: string;
  /** Failures per address and username before further attempts are refused; 0 turns the throttle off. */
  limit: number;
  windowSeconds: number;
}

/** The throttle of a request's login attempts, from its client address and the settings. */
export function loginThrottle({ ip, settings }: { ip: string; settings: Pick<Settings, 'throttles'> }): LoginThrottle {
  return { ip, limit: settings.throttles.loginFailureLimit, windowSeconds: settings.throttles.loginFailureWindow };
}

/** The settings the check depends on: how passwords are stored, and how usernames match (DJANGO_DATABASE). */
export type CredentialSettings = { passwords: PasswordPolicy; database: Pick<DatabaseSettings, 'django'> };

export interface CheckOptions {
  /**
   * changePassword (Django's PasswordChangeForm): the password of this signed-in user, whatever the username
   * now matches; no last_login and no re-hash on success. The username still names the throttle's count,
   * so a wrong current password is a failed login like any other.
   */
  currentUserId?: number;
}

export interface AuthenticatedUser {
  id: number;
  email: string;
}

interface LoginRow {
  id: number | null;
  email: string | null;
  password: string | null;
  is_active: boolean | null;
  failures: number;
  wait: number | null;
}

/** The SQL condition matching `auth_user` alias `u` to one bound username, in the configured mode. */
export function usernameMatches(djangoDatabase: boolean, alias = 'u'): string {
  return djangoDatabase ? `${alias}.username = ?` : `lower(${alias}.username) = lower(?)`;
}

/**
 * The active user with this username (trimmed) and password, or DRF's ValidationError; Throttled (429) past
 * the failure limit. See the contract above.
 */
export async function checkCredentials(
  em: EntityManager,
  rawUsername: string,
  password: string,
  settings: CredentialSettings,
  throttle?: LoginThrottle,
  options: CheckOptions = {},
): Promise<AuthenticatedUser> {
  const username = rawUsername.trim();
  if (!username || !password) throw new ValidationError(MISSING_CREDENTIALS);
  const ident = `${throttle?.ip ?? ''}|${username.toLowerCase()}`;
  const windowSeconds = throttle?.windowSeconds ?? 0;
  const connection = em.getConnection();
  const reauthenticating = options.currentUserId !== undefined;

  const [row] = await connection.execute<LoginRow[]>(
    `select u.id, u.email, u.password, u.is_active, f.failures, f.wait
       from (select count(*)::int as failures,
                    extract(epoch from min(at) + make_interval(secs => ?) - now())::float as wait
               from authtoken_login_failure
              where ident = ? and at > now() - make_interval(secs => ?)) f
       left join auth_user u on ${reauthenticating ? 'u.id = ?' : usernameMatches(settings.database.django)}`,
    [windowSeconds, ident, windowSeconds, reauthenticating ? options.currentUserId : username],
  );
  if (throttle && throttle.limit > 0 && row.failures >= throttle.limit) throw new Throttled(row.wait ?? windowSeconds);

  // No user: checkPassword meets no usable hash and runs the configured hasher's dummy work instead.
  const check = await checkPassword(password, row.password, settings.passwords);
  if (!row.id || !check.valid || !row.is_active) {
    if (throttle && throttle.limit > 0) {
      // Old rows go with each new failure, so the table holds at most one window of failures.
      await connection.execute(
        `with expired as (delete from authtoken_login_failure where at <= now() - make_interval(secs => ?))
         insert into authtoken_login_failure (ident, at) values (?, now())`,
        [windowSeconds, ident],
      );
    }
    throw new ValidationError(BAD_CREDENTIALS);
  }
  if (row.failures > 0) await connection.execute('delete from authtoken_login_failure where ident = ?', [ident]);
  if (reauthenticating) return { id: row.id, email: row.email! };
  // DRF leaves last_login untouched for token logins (only session login() sets it), a common complaint
  // from its users; here obtaining a token counts as logging in.
  if (check.rehash) {
    // Only over the hash just checked: a password changed meanwhile (by either app) is left alone.
    await connection.execute(
      'update auth_user set last_login = now(), password = case when password = ? then ? else password end where id = ?',
      [row.password, await hashPassword(password, settings.passwords), row.id],
    );
  } else {
    await connection.execute('update auth_user set last_login = now() where id = ?', [row.id]);
  }
  return { id: row.id, email: row.email! };
}
