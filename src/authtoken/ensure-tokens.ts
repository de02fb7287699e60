/**
 * The backfill DRF documents for existing users ("for user in User.objects.all(): Token.objects.get_or_create
 * (user=user)"): users made by native inserts, imports or before this app never passed through
 * TokenSubscriber. Safe to run twice and while the server runs: a user who gets a token meanwhile (login,
 * the subscriber) is skipped, never overwritten. The rows are the token store's to write.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { createMissingTokens } from './token-store';

/** Gives every user without a token one; returns how many were created. */
export function ensureTokens(em: EntityManager): Promise<number> {
  return createMissingTokens(em);
}
