/**
 * Issuing tokens: DRF's ObtainAuthToken view, `Token.objects.get_or_create(user=user)` and the reset done by
 * `drf_create_token -r`. Keys are inserted, never upserted over an existing row.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { checkCredentials, type CredentialSettings, type LoginThrottle } from '../users/credentials';
import { generateKey } from './keys';

export interface IssuedToken {
  token: string;
  userId: number;
  email: string;
}

export type { LoginThrottle } from '../users/credentials';

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

/**
 * DRF's AuthTokenSerializer + ObtainAuthToken: the credentials check (src/users/credentials.ts, shared with
 * every other login), then the user's token, created when missing.
 */
export async function obtainAuthToken(
  em: EntityManager,
  username: string,
  password: string,
  settings: CredentialSettings,
  throttle?: LoginThrottle,
): Promise<IssuedToken> {
  const user = await checkCredentials(em, username, password, settings, throttle);
  return { token: await getOrCreateToken(em, user.id), userId: user.id, email: user.email };
}
