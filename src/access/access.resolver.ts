/**
 * Access tokens for machines (createAccessToken, rotateToken, accessScopes) and sudo mode's confirmPassword.
 * Listing and revoking them is the token API's (myTokens, revokeToken, logout); staff see and delete them
 * with the login tokens (loginTokens, deleteLoginToken). See docs/access-tokens.md.
 */
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { ValidationError } from '../errors';
import { ChecksPassword } from '../limits/password-fields';
import { rotateAccessToken, type IssuedAccessToken } from '../authtoken/token-store';
import { checkCredentials, loginThrottle } from '../users/credentials';
import { rateText } from '../throttles/rate';
import { requireAtLeast, requireAtMost } from './access-token.validation';
import { issueAccessToken } from './access-token.service';
import { AccessScope, NewAccessToken } from './access.types';
import { NO_ACCESS_TOKENS, Scope } from './scope';
import { describeScopes } from './scopes';
import { credentialName, markConfirmed, RequiresRecentPassword } from './sudo';
import { callerOf } from '../security/caller';
import { SecurityEventType } from '../security/event-types';
import { writeWithEvents } from '../security/security-log';

/** Django's wording for a re-entered password that is wrong. */
export const WRONG_PASSWORD = 'Your password was entered incorrectly. Please enter it again.';
/** Stripe keeps a rolled key for up to 7 days; so does rotateToken. */
export const MAX_GRACE_SECONDS = 604_800;

export function newAccessToken(issued: IssuedAccessToken): NewAccessToken {
  const { token, id, name, scopes, expiry, allowedCidrs, rate } = issued;
  return { token, tokenId: id, name, scopes, expiry, allowedCidrs, rate: rate && rateText(rate) };
}

@Resolver()
export class AccessResolver {
  @Query(() => [AccessScope], { description: 'Every scope an access token can be given, with what it allows. Public.' })
  accessScopes(): AccessScope[] {
    return describeScopes();
  }

  @Authorized()
  @Scope(NO_ACCESS_TOKENS)
  @RequiresRecentPassword()
  @Mutation(() => NewAccessToken, {
    description:
      'Creates an access token for a machine: `scopes` (see accessScopes), `expiresInDays` (default ' +
      'ACCESS_TOKEN_DEFAULT_DAYS, at most ACCESS_TOKEN_MAX_DAYS), `allowedCidrs` (networks it may be used from), ' +
      '`rate` (DRF rate, e.g. 100/minute). Needs a password confirmed within SUDO_MAX_AGE; never by an access token.',
  })
  async createAccessToken(
    @Arg('name', () => String) name: string,
    @Arg('scopes', () => [String]) scopes: string[],
    @Arg('expiresInDays', () => Int, { nullable: true }) expiresInDays: number | null,
    @Arg('allowedCidrs', () => [String], { nullable: true }) allowedCidrs: string[] | null,
    @Arg('rate', () => String, { nullable: true }) rate: string | null,
    @Ctx() context: Context,
  ): Promise<NewAccessToken> {
    const { em, user, settings } = context;
    return newAccessToken(await issueAccessToken(em, user!, { name, scopes, expiresInDays, allowedCidrs, rate }, settings, { caller: callerOf(context) }));
  }

  @Authorized()
  @Scope(NO_ACCESS_TOKENS)
  @RequiresRecentPassword()
  @Mutation(() => NewAccessToken, {
    description:
      "A new key for one of the caller's access tokens, with the same name, scopes, networks, rate and expiry. " +
      'The old key keeps working for `graceSeconds` (0 to 604800), then answers `Invalid token.`. Needs a password ' +
      'confirmed within SUDO_MAX_AGE; never by an access token.',
  })
  async rotateToken(
    @Arg('id', () => ID) id: string,
    @Arg('graceSeconds', () => Int, { nullable: true, defaultValue: 0 }) graceSeconds: number | null,
    @Ctx() context: Context,
  ): Promise<NewAccessToken> {
    const { em, user, settings } = context;
    const grace = graceSeconds ?? 0;
    requireAtLeast(grace, 0, 'graceSeconds');
    requireAtMost(grace, MAX_GRACE_SECONDS, 'graceSeconds');
    return newAccessToken(await rotateAccessToken(em, user!.id, id, grace, settings.loginTokens.prefix, { caller: callerOf(context) }));
  }

  @Authorized()
  @Scope(NO_ACCESS_TOKENS)
  @ChecksPassword()
  @Mutation(() => Boolean, {
    description:
      "Confirms the caller's password: the token in use may then, for SUDO_MAX_AGE seconds, create and rotate access " +
      "tokens and make the staff writes. A wrong password is BAD_USER_INPUT on `password` and counts as a failed login.",
  })
  async confirmPassword(@Arg('password', () => String) password: string, @Ctx() context: Context): Promise<boolean> {
    const { em, user, auth, settings } = context;
    try {
      await checkCredentials(em, user!.username, password, settings, loginThrottle(context), { currentUserId: user!.id, caller: callerOf(context) });
    } catch (error) {
      // Any refusal but the throttle's (a wrong, blank or unusable password) gets Django's wording.
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(`password: ${WRONG_PASSWORD}`, 'password');
    }
    // The mark and its PASSWORD_CONFIRMED in one transaction: no mark without its event, nor the reverse.
    await writeWithEvents(em, { caller: callerOf(context) }, async (tx) => {
      await markConfirmed(tx, credentialName(auth!), settings.sudo.maxAge);
      return [true, [{ type: SecurityEventType.PASSWORD_CONFIRMED }]];
    });
    return true;
  }
}
