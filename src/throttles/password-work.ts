/**
 * PASSWORD_RATE: how many operations that run the password hasher (registrations, logins that succeed or
 * fail, users created by staff) one client address may start per period, beside the failed-login throttle of
 * obtainAuthToken. Past it the answer is DRF's Throttled (429, Retry-After) before any hashing, so a flood of
 * requests costs the server a query each, not a bcrypt each.
 *
 * Counted in PostgreSQL (authtoken_throttle_hit, see the password_work migration) so that every worker and
 * replica sees one count, and in one statement that locks the address's row, so that concurrent requests
 * cannot all slip under the limit. The window slides, as DRF's SimpleRateThrottle's history does.
 */
import type { Context } from '../context';
import { Throttled } from '../errors';

export const PASSWORD_SCOPE = 'password';

export async function spendPasswordWork({ em, settings, ip }: Pick<Context, 'em' | 'settings' | 'ip'>): Promise<void> {
  const rate = settings.throttles.passwordRate;
  if (!rate) return;
  const [row] = await em
    .getConnection()
    .execute<{ wait: number | null }[]>('select authtoken_throttle_hit(?, ?, ?, ?) as wait', [PASSWORD_SCOPE, ip, rate.requests, rate.seconds]);
  if (row.wait !== null) throw new Throttled(row.wait);
}
