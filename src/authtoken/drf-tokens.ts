/**
 * DRF's tokens (`authtoken_token`, one per user, the key is the primary key): made for a new user in the
 * flush that creates it, get-or-create at obtainAuthToken, rotated by regenerateToken and
 * `drf_create_token -r`, deleted by the admin, backfilled for users who never had one.
 *
 * Inserted, never upserted over an existing row: a key, once issued, only ever stops working. SQL follows
 * the store's rule (src/authtoken/token-store.ts): the ORM for single-row writes, raw SQL where a
 * statement needs it, with the reason beside it.
 */
import type { EntityManager as AnyEntityManager } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFound } from '../errors';
import type { User } from '../users/user.entity';
import { requireMaxLength, requireNotBlank } from '../validation';
import { DRF_KEY_LENGTH, generateKey } from './keys';
import { Token } from './token.entity';

/** A new Token entity for `user`, for the subscriber to add to the flush that creates the user. */
export function newToken(em: AnyEntityManager, user: User): Token {
  return em.create(Token, { key: generateKey(), user });
}

/**
 * Get-or-create in one statement: inserts a fresh key unless the user already has one, then returns
 * whichever exists. Two concurrent calls both answer with the same key.
 */
export async function getOrCreateToken(em: EntityManager, userId: number): Promise<string> {
  // Raw SQL: a CTE. The ORM's get-or-create is a select then an insert, two round trips with a race
  // between them that a unique violation would end. A statement that loses the race here waits on the
  // winner's insert, does nothing, and then cannot see the winner's row: its snapshot predates that commit,
  // so it returns no row. Running it again takes a new snapshot, which does. (Without this, concurrent first
  // logins failed with "reading 'key'".)
  for (let attempt = 0; ; attempt += 1) {
    const rows = await em.execute<{ key: string }[]>(
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
  // Delete then insert, not an update of the key: DRF does so, and the delete is what the revocation
  // trigger names to close the old key's sockets.
  return em.transactional(async (tx) => {
    await tx.nativeDelete(Token, { user: userId });
    const key = generateKey();
    // `created` given here: Django's own authtoken_token (DJANGO_DATABASE) has no column default.
    await tx.insert(Token, { key, user: userId, created: new Date() });
    return key;
  });
}

/** Deletes a DRF token by its key (the admin); NOT_FOUND when there is none. */
export async function deleteTokenByKey(em: EntityManager, rawKey: string): Promise<true> {
  const key = rawKey.trim();
  requireNotBlank(key, 'key');
  requireMaxLength(key, DRF_KEY_LENGTH, 'key');
  const deleted = await em.nativeDelete(Token, { key });
  if (deleted === 0) throw new NotFound('No Token matches the given query.');
  return true;
}

const BACKFILL_BATCH = 5000;

/**
 * Gives every user without a DRF token one and returns how many were created: the backfill DRF documents
 * for existing users ("for user in User.objects.all(): Token.objects.get_or_create(user=user)"), for users
 * made by native inserts, imports or before this app, who never passed through TokenSubscriber.
 */
export async function ensureTokens(em: EntityManager, batchSize = BACKFILL_BATCH): Promise<number> {
  let created = 0;
  for (;;) {
    const keys = Array.from({ length: batchSize }, generateKey);
    // Raw SQL: a bulk insert. Each batch is one statement: the users still without a token, paired with keys
    // made here, inserted with ON CONFLICT DO NOTHING so a token made meanwhile (a login, the subscriber, a
    // second run) is kept. The ORM would load the users and insert row by row.
    const [row] = await em.execute<{ found: number; inserted: number }[]>(
      `with missing as (
         select u.id, row_number() over (order by u.id) as n
           from auth_user u
          where not exists (select 1 from authtoken_token t where t.user_id = u.id)
          order by u.id
          limit ?
       ), inserted as (
         insert into authtoken_token (key, user_id, created)
         select (string_to_array(?, ','))[m.n], m.id, now() from missing m
         on conflict do nothing
         returning 1
       )
       select (select count(*)::int from missing) as found, (select count(*)::int from inserted) as inserted`,
      [batchSize, keys.join(',')],
    );
    created += row.inserted;
    // A batch that inserted nothing was taken by a concurrent run, which goes on with the rest.
    if (row.found < batchSize || row.inserted === 0) return created;
  }
}
