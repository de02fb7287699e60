/**
 * Issuing tokens: DRF's ObtainAuthToken view, `Token.objects.get_or_create(user=user)` and the reset done by
 * `drf_create_token -r`. Keys are inserted, never upserted over an existing row.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Throttled, ValidationError } from '../errors';
import { verifyAgainstDummy, verifyPassword } from '../users/passwords';
import { generateKey } from './keys';

export interface IssuedToken {
  token: string;
  userId: number;
  email: string;
}

const BAD_CREDENTIALS = 'Unable to log in with provided credentials.';

/**
 * Get-or-create in one statement: inserts a fresh key unless the user already has one, then returns
 * whichever exists. Two concurrent calls both answer with the same key.
 */
export async function getOrCreateToken(em: EntityManager, userId: number): Promise<string> {
  // A statement that loses the race waits on the winner's insert, does nothing, and then cannot see the
  // winner's row: its snapshot predates that commit, so it returns no row. Running it again takes a new
  // snapshot, which does. (Without this, concurrent first logins failed with "reading 'key'".)
  for (let attempt = 0; ; attempt += 1) {
    const rows = await em.getConnection().execute<{ key: string }[]>(
      `with inserted as (
         insert into authtoken_token (key, user_id, created) values (?, ?, now())
         on conflict (user_id) do nothing
         returning key
       )
       select key from inserted
       union all
       select key from authtoken_token where user_id = ?
       limit 1`,
      [generateKey(), userId, userId],
    );
    if (rows[0]) return rows[0].key;
    if (attempt === 2) throw new Error(`No token could be created or found for user ${userId}.`);
  }
}

/** Replaces the user's token with a new key; the old key stops working when this commits. */
export async function regenerateToken(em: EntityManager, userId: number): Promise<string> {
  return em.transactional(async (tx) => {
    await tx.getConnection().execute('delete from authtoken_token where user_id = ?', [userId], 'run', tx.getTransactionContext());
    const key = generateKey();
    await tx.getConnection().execute(
      'insert into authtoken_token (key, user_id, created) values (?, ?, now())',
      [key, userId],
      'run',
      tx.getTransactionContext(),
    );
    return key;
  });
}

/** Deletes the user's token (logout). Returns whether there was one. */
export async function deleteUserToken(em: EntityManager, userId: number): Promise<boolean> {
  const result = await em.getConnection().execute('delete from authtoken_token where user_id = ?', [userId], 'run');
  return (result as unknown as { affectedRows: number }).affectedRows > 0;
}

interface LoginRow {
  id: number | null;
  email: string | null;
  password: string | null;
  is_active: boolean | null;
  key: string | null;
  failures: number;
  wait: number | null;
}

/** Who is logging in, for the failed-login throttle (DRF leaves throttling to the user; its docs ask for it). */
export interface LoginThrottle {
  /** The client address. */
  ip: string;
  /** Failures per address and username before further attempts are refused; 0 turns the throttle off. */
  limit: number;
  windowSeconds: number;
}

/**
 * DRF's AuthTokenSerializer + ObtainAuthToken. Unknown user, wrong password and inactive user all give the
 * same error after the same bcrypt work, so neither the message nor the timing tells them apart.
 *
 * Failed attempts are counted per client address and username (in PostgreSQL, so every worker sees them);
 * past the limit the answer is DRF's Throttled (429) before any hashing, so guessing also costs no CPU.
 * A success clears the count. The count rides along with the user lookup, so it costs no extra query.
 */
export async function obtainAuthToken(
  em: EntityManager,
  rawUsername: string,
  password: string,
  rounds: number,
  throttle?: LoginThrottle,
): Promise<IssuedToken> {
  const username = rawUsername.trim();
  if (!username || !password) throw new ValidationError('Must include "username" and "password".');
  const ident = `${throttle?.ip ?? ''}|${username.toLowerCase()}`;
  const windowSeconds = throttle?.windowSeconds ?? 0;

  const [row] = await em.getConnection().execute<LoginRow[]>(
    `select u.id, u.email, u.password, u.is_active, t.key, f.failures, f.wait
       from (select count(*)::int as failures,
                    extract(epoch from min(at) + make_interval(secs => ?) - now())::float as wait
               from authtoken_login_failure
              where ident = ? and at > now() - make_interval(secs => ?)) f
       left join auth_user u on lower(u.username) = lower(?)
       left join authtoken_token t on t.user_id = u.id`,
    [windowSeconds, ident, windowSeconds, username],
  );
  if (throttle && throttle.limit > 0 && row.failures >= throttle.limit) throw new Throttled(row.wait ?? windowSeconds);

  const valid = row.password ? await verifyPassword(password, row.password) : await verifyAgainstDummy(password, rounds);
  if (!row.id || !valid || !row.is_active) {
    if (throttle && throttle.limit > 0) {
      // Old rows go with each new failure, so the table holds at most one window of failures.
      await em.getConnection().execute(
        `with expired as (delete from authtoken_login_failure where at <= now() - make_interval(secs => ?))
         insert into authtoken_login_failure (ident, at) values (?, now())`,
        [windowSeconds, ident],
      );
    }
    throw new ValidationError(BAD_CREDENTIALS);
  }
  if (row.failures > 0) await em.getConnection().execute('delete from authtoken_login_failure where ident = ?', [ident]);
  // DRF leaves last_login untouched for token logins (only session login() sets it), a common complaint
  // from its users; here obtaining a token counts as logging in.
  await em.getConnection().execute('update auth_user set last_login = now() where id = ?', [row.id]);

  const token = row.key ?? (await getOrCreateToken(em, row.id));
  return { token, userId: row.id, email: row.email! };
}
