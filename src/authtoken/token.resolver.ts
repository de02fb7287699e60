/**
 * The token API: DRF's (obtainAuthToken, regenerateToken) and knox's (login, myTokens, revokeToken,
 * logoutAll, tokenInfo), and logout, which deletes whichever token authenticated the call.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { ChecksPassword } from '../limits/password-fields';
import { loginThrottle } from '../users/credentials';
import { NO_ACCESS_TOKENS, NO_SCOPE, Scope } from '../access/scope';
import { drfCredential, loginCredential, markConfirmed } from '../access/sudo';
import { rateText } from '../throttles/rate';
import { User } from '../users/user.entity';
import { LoginToken } from './login-token.entity';
import { TokenKind } from './token-kind';
import { LoginPayload, ObtainAuthTokenPayload, TokenInfo } from './token.types';
import { login, logout, logoutAll, obtainAuthToken, type IssuedToken } from './token.service';
import { callerOf } from '../security/caller';
import {
  describeToken,
  isCurrentToken,
  listLoginTokens,
  regenerateToken,
  revokeLoginToken,
} from './token-store';

function payload(issued: IssuedToken): ObtainAuthTokenPayload {
  return { token: issued.token, userId: String(issued.userId), email: issued.email };
}

@Resolver()
export class TokenResolver {
  @ChecksPassword()
  @Mutation(() => ObtainAuthTokenPayload, {
    description:
      "Returns the user's token, creating it if needed (DRF's obtain_auth_token). Public. " +
      'Repeated failures from one address for one username answer THROTTLED (HTTP 429) for a while.',
  })
  async obtainAuthToken(
    @Arg('username', () => String) username: string,
    @Arg('password', () => String) password: string,
    @Ctx() context: Context,
  ): Promise<ObtainAuthTokenPayload> {
    const { em, settings } = context;
    const issued = await obtainAuthToken(em, username, password, settings, loginThrottle(context), callerOf(context));
    // The password was just checked: the token returned is fresh for sudo mode.
    await markConfirmed(em, drfCredential(issued.token), settings.sudo.maxAge);
    return payload(issued);
  }

  @ChecksPassword()
  @Mutation(() => LoginPayload, {
    description:
      "Creates a new login token, one per device (knox's login): credentials are checked as obtainAuthToken " +
      'checks them. `name` (at most 64 characters) is what the device calls itself. With TOKEN_LIMIT_PER_USER ' +
      'unexpired tokens already, FORBIDDEN (HTTP 403). Public.',
  })
  async login(
    @Arg('username', () => String) username: string,
    @Arg('password', () => String) password: string,
    @Arg('name', () => String, { nullable: true }) name: string | null,
    @Ctx() context: Context,
  ): Promise<LoginPayload> {
    const { em, settings } = context;
    const issued = await login(em, username, password, name, settings, loginThrottle(context), callerOf(context));
    await markConfirmed(em, loginCredential(issued.id), settings.sudo.maxAge);
    return { token: issued.token, tokenId: issued.id, expiry: issued.expiry, user: await em.findOneOrFail(User, issued.userId) };
  }

  @Scope(NO_ACCESS_TOKENS)
  @Authorized()
  @Mutation(() => ObtainAuthTokenPayload, { description: "Replaces the caller's token; the old key stops working at once." })
  async regenerateToken(@Ctx() context: Context): Promise<ObtainAuthTokenPayload> {
    const { em, user } = context;
    const key = await regenerateToken(em, user!.id, { caller: callerOf(context) });
    return payload({ token: key, userId: user!.id, email: user!.email });
  }

  @Scope(NO_SCOPE)
  @Authorized()
  @Mutation(() => Boolean, {
    description:
      'Deletes the token that authenticated this call (the DRF token or a login token; a session cookie ' +
      'is cleared too). The next obtainAuthToken issues a new DRF token.',
  })
  async logout(@Ctx() context: Context): Promise<boolean> {
    const deleted = await logout(context.em, context.auth!, callerOf(context));
    if (context.session?.authenticated) context.session.clear();
    return deleted;
  }

  @Scope(NO_ACCESS_TOKENS)
  @Authorized()
  @Mutation(() => Int, { description: "Deletes every token of the caller, the DRF token included (knox's logoutall), and clears the session cookie; returns how many." })
  async logoutAll(@Ctx() context: Context): Promise<number> {
    const deleted = await logoutAll(context.em, context.user!.id, callerOf(context));
    // Every token is gone, the cookie's too, whichever credential this call came with.
    if (context.session?.key !== undefined) context.session.clear();
    return deleted;
  }

  @Scope('tokens:read')
  @Authorized()
  @Query(() => [LoginToken], { description: "The caller's unexpired login and access tokens, newest first; `current` marks the one in use." })
  myTokens(@Ctx() { em, user }: Context): Promise<LoginToken[]> {
    return listLoginTokens(em, user!.id);
  }

  @Scope('tokens:write')
  @Authorized()
  @Mutation(() => Boolean, {
    description: "Deletes one of the caller's login or access tokens. Another user's or an unknown id is NOT_FOUND.",
  })
  revokeToken(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<boolean> {
    return revokeLoginToken(context.em, context.user!.id, id, { caller: callerOf(context) });
  }

  @Scope(NO_SCOPE)
  @Authorized()
  @Query(() => TokenInfo, { description: 'The token this request authenticated with. No side effect: it never refreshes the token.' })
  tokenInfo(@Ctx() { auth }: Context): TokenInfo {
    return describeToken(auth!);
  }
}

@Resolver(() => LoginToken)
export class LoginTokenFieldResolver {
  @FieldResolver(() => TokenKind, { description: 'LOGIN or ACCESS.' })
  kind(@Root() token: LoginToken): TokenKind {
    return token.kind === 'access' ? TokenKind.ACCESS : TokenKind.LOGIN;
  }

  @FieldResolver(() => [String], {
    nullable: true,
    description: "An access token's networks (PostgreSQL cidr form), empty for anywhere; null for a login token.",
  })
  allowedCidrs(@Root() token: LoginToken): string[] | null {
    return token.kind === 'access' ? (token.allowedCidrs ?? []) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "An access token's rate (`100/minute`); null for none." })
  rate(@Root() token: LoginToken): string | null {
    return token.rateRequests === null || token.rateSeconds === null ? null : rateText({ requests: token.rateRequests, seconds: token.rateSeconds });
  }

  @FieldResolver(() => Boolean, { description: 'Whether this is the token the request authenticated with.' })
  current(@Root() token: LoginToken, @Ctx() { auth }: Context): boolean {
    return isCurrentToken(token, auth);
  }
}
