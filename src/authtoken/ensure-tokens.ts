/**
 * The backfill DRF documents for existing users ("for user in User.objects.all(): Token.objects.get_or_create
 * (user=user)"), as one statement: users made by native inserts, imports or before this app never passed
 * through TokenSubscriber. Safe to run twice and while the server runs: a user who gets a token meanwhile
 * (login, the subscriber) is skipped by ON CONFLICT, never overwritten.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Keys come from PostgreSQL's strong random source: two v4 UUIDs (244 random bits) hashed with SHA-256 and
 * cut to 40 hex characters, the shape of generateKey(). Generating them in SQL keeps the backfill one
 * statement, with no round trip per user.
 */
const RANDOM_KEY = `left(encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'), 40)`;

/** Gives every user without a token one; returns how many were created. */
export async function ensureTokens(em: EntityManager): Promise<number> {
  const result = await em.getConnection().execute(
    `insert into authtoken_token (key, user_id, created)
     select ${RANDOM_KEY}, u.id, now()
       from auth_user u
      where not exists (select 1 from authtoken_token t where t.user_id = u.id)
     on conflict do nothing`,
    [],
    'run',
  );
  return (result as unknown as { affectedRows: number }).affectedRows;
}
