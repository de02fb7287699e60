/**
 * startSession: `login` for a browser whose key must stay out of page scripts' reach (AUTH_COOKIE=true).
 * The credentials are checked by the same code as `login` (same messages, throttles, one password field);
 * the new login token goes out only as the HttpOnly session cookie, and the answer names it by id.
 *
 * With AUTH_COOKIE=false it answers 403 `Cookie sessions are off: set AUTH_COOKIE=true.` before any password
 * work or throttle count. Over a WebSocket, which cannot carry a Set-Cookie, it is refused the same way.
 * Logging out (logout, logoutAll) clears the cookie in src/authtoken/token.resolver.ts.
 */
import { Arg, Ctx, Mutation, Resolver, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { Context } from '../context';
import { PermissionDenied } from '../errors';
import { ChecksPassword } from '../limits/password-fields';
import { loginThrottle } from '../users/credentials';
import { User } from '../users/user.entity';
import { login } from '../authtoken/token.service';
import { loginCredential, markConfirmed } from '../access/sudo';
import { callerOf } from '../security/caller';
import { SessionPayload } from './session.types';

export const SESSIONS_OFF = 'Cookie sessions are off: set AUTH_COOKIE=true.';
export const SESSIONS_NEED_HTTP = 'startSession sets a cookie, which only an HTTP request can carry.';

// Runs ahead of @ChecksPassword's throttle (middlewares run in the order they are declared, top first):
// a refused call spends no PASSWORD_RATE and writes nothing.
const requireSessions: MiddlewareFn<Context> = ({ context }, next) => {
  if (!context.settings.sessions.cookie) throw new PermissionDenied(SESSIONS_OFF);
  if (!context.session) throw new PermissionDenied(SESSIONS_NEED_HTTP);
  return next();
};

@Resolver()
export class SessionResolver {
  @UseMiddleware(requireSessions)
  @ChecksPassword()
  @Mutation(() => SessionPayload, {
    description:
      'Logs in as `login` does, and sends the new login token only as an HttpOnly cookie (AUTH_COOKIE=true), ' +
      'which the browser then sends with every request; page scripts cannot read it. FORBIDDEN (HTTP 403) ' +
      'when cookie sessions are off. Public.',
  })
  async startSession(
    @Arg('username', () => String) username: string,
    @Arg('password', () => String) password: string,
    @Arg('name', () => String, { nullable: true }) name: string | null,
    @Ctx() context: Context,
  ): Promise<SessionPayload> {
    const { em, settings, session } = context;
    const issued = await login(em, username, password, name, settings, loginThrottle(context), callerOf(context));
    // The password was just checked, as for login: the session is fresh for sudo mode, and the security log
    // records the login with who made it.
    await markConfirmed(em, loginCredential(issued.id), settings.sudo.maxAge);
    session!.set(issued.token, issued.expiry);
    return { tokenId: issued.id, expiry: issued.expiry, user: await em.findOneOrFail(User, issued.userId) };
  }
}
