/**
 * Sudo mode (GitHub's and better-auth's): what mints credentials or changes other accounts needs the calling
 * token to have had its user's password confirmed within SUDO_MAX_AGE seconds (default 900; 0 turns it off).
 * `confirmPassword`, `obtainAuthToken` and `login` set the mark; a field declared `@RequiresRecentPassword()`
 * answers 403 REAUTHENTICATION_REQUIRED (`Confirm your password to continue.`) without it, before its
 * resolver runs, recorded in the security log as PERMISSION_DENIED (`detail.reason`).
 *
 * The mark lives in `authtoken_password_confirmation` (see the access_tokens migration), keyed by the
 * credential's public name, never by a key: `token:<sha256 of the DRF key>` (so Django's authtoken_token is
 * never altered) or `login:<id>` for login and access tokens. A key regenerated is a new name, so a new token
 * is never fresh by inheritance.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { Context } from '../context';
import { ReauthenticationRequired } from '../errors';
import { LoginToken } from '../authtoken/login-token.entity';
import type { AuthToken } from '../authtoken/token-store';
import { tokenDigest } from '../realtime/socket-auth';
import { callerOf } from '../security/caller';
import { SecurityEventType } from '../security/event-types';
import { recordSecurityEvents } from '../security/security-log';

/** The credential's name in the confirmations table. */
export function credentialName(token: AuthToken): string {
  return token instanceof LoginToken ? `login:${token.id}` : `token:${tokenDigest(token.key)}`;
}

/** The name of a DRF key or a login token's id, as obtainAuthToken and login know them. */
export const drfCredential = (key: string) => `token:${tokenDigest(key)}`;
export const loginCredential = (id: string) => `login:${id}`;

/**
 * Marks the credential confirmed now. Marks older than `maxAge` are worth nothing and go in the same
 * statement (the table holds at most one window of marks); the credential's own row is left to the upsert.
 */
export async function markConfirmed(em: EntityManager, credential: string, maxAge: number): Promise<void> {
  await em.execute(
    `with stale as (delete from authtoken_password_confirmation where confirmed < now() - make_interval(secs => ?) and credential <> ?)
     insert into authtoken_password_confirmation (credential, confirmed) values (?, now())
     on conflict (credential) do update set confirmed = excluded.confirmed`,
    [maxAge, credential, credential],
    'run',
  );
}

/** Whether the credential was confirmed within `maxAge` seconds. */
export async function isConfirmed(em: EntityManager, credential: string, maxAge: number): Promise<boolean> {
  const rows = await em.execute<unknown[]>(
    'select 1 from authtoken_password_confirmation where credential = ? and confirmed > now() - make_interval(secs => ?)',
    [credential, maxAge],
  );
  return rows.length > 0;
}

/** Refuses the field unless the calling token's password was confirmed within SUDO_MAX_AGE (see above). */
export async function requireRecentPassword(context: Pick<Context, 'em' | 'auth' | 'settings' | 'client' | 'user'>): Promise<void> {
  const { em, auth, settings } = context;
  if (settings.sudo.maxAge === 0 || !auth) return;
  if (await isConfirmed(em, credentialName(auth), settings.sudo.maxAge)) return;
  // A 403, so a security event as the others are (a failure: recorded on its own, nothing else is written);
  // one per operation, however many of its fields (aliases) were refused, as the staff-only refusal does.
  if (!refused.has(context)) {
    refused.add(context);
    await recordSecurityEvents(em, callerOf(context), [{ type: SecurityEventType.PERMISSION_DENIED, detail: { reason: 'REAUTHENTICATION_REQUIRED' } }]);
  }
  throw new ReauthenticationRequired();
}

const refused = new WeakSet<object>();

/**
 * Declares a field that needs a fresh password confirmation. Put it above `@ChecksPassword()`: type-graphql
 * runs a field's middlewares from the top decorator down, and the refusal must come before any PASSWORD_RATE
 * is spent (test/sudo.test.ts checks it). @Authorized's checks run before both.
 */
export function RequiresRecentPassword(): MethodDecorator {
  const check: MiddlewareFn<Context> = ({ context }, next) => requireRecentPassword(context).then(next);
  return UseMiddleware(check);
}
