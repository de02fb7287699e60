/**
 * The admin API (DRF's TokenAdmin and Django's user admin, as GraphQL). Staff only: anonymous callers get
 * 401, authenticated non-staff 403 (src/auth-checker.ts). Pages default to 20 items, at most 100. Every write
 * needs the staff member's password confirmed within SUDO_MAX_AGE (src/access/sudo.ts).
 */
import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Role } from '../auth-checker';
import type { Context } from '../context';
import { pageCost } from '../limits/cost';
import { ChecksPassword } from '../limits/password-fields';
import { createUserToken } from '../authtoken/create-user-token';
import { Token } from '../authtoken/token.entity';
import { User } from '../users/user.entity';
import { deleteLoginTokenById, deleteTokenByKey } from '../authtoken/token-store';
import { createUserAsStaff, searchLoginTokens, searchTokens, searchUsers, setPasswordAsStaff, setUserActive } from './admin.service';
import { CreateUserInput, LoginTokenPage, TokenPage, UserPage } from './admin.types';
import { PageArgs, pageOf } from '../pagination';
import { callerOf, staffCallerOf } from '../security/caller';
import { NO_ACCESS_TOKENS, Scope } from '../access/scope';
import { RequiresRecentPassword } from '../access/sudo';

@Authorized(Role.STAFF)
@Resolver()
export class AdminResolver {
  @Scope('admin:read')
  @Query(() => UserPage, { complexity: pageCost, description: 'Users whose username or email contains `search` (any case), newest first. Staff only.' })
  users(
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() { em }: Context,
  ): Promise<UserPage> {
    return searchUsers(em, search, pageOf(page));
  }

  @Scope('admin:read')
  @Query(() => TokenPage, {
    complexity: pageCost,
    description: "Tokens whose user's username or email contains `search` (any case), newest first. Staff only.",
  })
  tokens(
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() { em }: Context,
  ): Promise<TokenPage> {
    return searchTokens(em, search, pageOf(page));
  }

  @Scope('admin:write')
  @RequiresRecentPassword()
  @Mutation(() => Token, {
    description:
      "The user's token, created if missing (the admin's Add Token); `reset` replaces it and the old key stops " +
      'working at once (`manage create-token -r`). An unknown username is BAD_USER_INPUT. Staff only.',
  })
  createToken(
    @Arg('username', () => String) username: string,
    @Arg('reset', () => Boolean, { nullable: true, defaultValue: false }) reset: boolean | null,
    @Ctx() context: Context,
  ): Promise<Token> {
    return createUserToken(context.em, username.trim(), reset ?? false, context.settings.database.django, staffCallerOf(context, 'createToken'));
  }

  @Scope('admin:write')
  @RequiresRecentPassword()
  @Mutation(() => Boolean, { description: 'Deletes a token; its key stops working at once. NOT_FOUND if missing. Staff only.' })
  deleteToken(@Arg('key', () => String) key: string, @Ctx() context: Context): Promise<boolean> {
    return deleteTokenByKey(context.em, key, { caller: staffCallerOf(context, 'deleteToken') });
  }

  @Scope('admin:write')
  @RequiresRecentPassword()
  @ChecksPassword()
  @Mutation(() => User, {
    description: 'Creates a user and its token. Staff only; creating staff or superusers needs a superuser (403).',
  })
  createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() context: Context): Promise<User> {
    return createUserAsStaff(context.em, context.user!, input, context.settings.passwords, staffCallerOf(context, 'createUser'));
  }

  @Scope('admin:write')
  @RequiresRecentPassword()
  @Mutation(() => User, {
    description:
      "Activates or deactivates a user; an inactive user's token answers 401 at once. Changing staff or " +
      'superusers needs a superuser (403); nobody may deactivate themselves. Staff only.',
  })
  setUserActive(
    @Arg('id', () => ID) id: string,
    @Arg('active', () => Boolean) active: boolean,
    @Ctx() context: Context,
  ): Promise<User> {
    return setUserActive(context.em, context.user!, id, active, staffCallerOf(context, 'setUserActive'));
  }

  @Scope('admin:read')
  @Query(() => LoginTokenPage, {
    complexity: pageCost,
    description:
      "Login tokens whose user's username or email contains `search` (any case), or whose tokenKey is the " +
      "search's first 15 characters, newest first. Never the token itself. Staff only.",
  })
  loginTokens(
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() { em }: Context,
  ): Promise<LoginTokenPage> {
    return searchLoginTokens(em, search, pageOf(page));
  }

  @Scope('admin:write')
  @RequiresRecentPassword()
  @Mutation(() => Boolean, { description: 'Deletes a login token by its id; it stops working at once. NOT_FOUND if missing. Staff only.' })
  deleteLoginToken(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<boolean> {
    return deleteLoginTokenById(context.em, id, { caller: callerOf(context) });
  }

  @Scope(NO_ACCESS_TOKENS)
  @RequiresRecentPassword()
  @ChecksPassword()
  @Mutation(() => Boolean, {
    description:
      "Sets a user's password and deletes all of that user's tokens. Changing staff or superusers needs a " +
      'superuser (403). Staff only.',
  })
  setPassword(
    @Arg('id', () => ID) id: string,
    @Arg('password', () => String) password: string,
    @Ctx() context: Context,
  ): Promise<boolean> {
    return setPasswordAsStaff(context.em, context.user!, id, password, context.settings.passwords, staffCallerOf(context, 'setPassword'));
  }
}
