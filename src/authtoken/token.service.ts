/**
 * Issuing tokens: DRF's ObtainAuthToken view, `Token.objects.get_or_create(user=user)` and the reset done by
 * `drf_create_token -r`. Keys are inserted, never upserted over an existing row.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../errors';
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
  return rows[0].key;
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
  id: number;
  email: string;
  password: string;
  is_active: boolean;
  key: string | null;
}

/**
 * DRF's AuthTokenSerializer + ObtainAuthToken. Unknown user, wrong password and inactive user all give the
 * same error after the same bcrypt work, so neither the message nor the timing tells them apart.
 */
export async function obtainAuthToken(
  em: EntityManager,
  rawUsername: string,
  password: string,
  rounds: number,
): Promise<IssuedToken> {
  const username = rawUsername.trim();
  if (!username || !password) throw new ValidationError('Must include "username" and "password".');

  // One query: the user and, when it exists, its token.
  const [row] = await em.getConnection().execute<LoginRow[]>(
    `select u.id, u.email, u.password, u.is_active, t.key
       from auth_user u left join authtoken_token t on t.user_id = u.id
      where lower(u.username) = lower(?)`,
    [username],
  );
  const valid = row ? await verifyPassword(password, row.password) : await verifyAgainstDummy(password, rounds);
  if (!row || !valid || !row.is_active) throw new ValidationError(BAD_CREDENTIALS);

  const token = row.key ?? (await getOrCreateToken(em, row.id));
  return { token, userId: row.id, email: row.email };
}
