import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { ChecksPassword } from '../limits/password-fields';
import { User } from './user.entity';
import { RegisterInput } from './user.inputs';
import { registerUser } from './user.service';
import { loginThrottle } from './credentials';
import { changePassword } from './password-change';
import { callerOf } from '../security/caller';
import { NO_ACCESS_TOKENS, Scope } from '../access/scope';

@Resolver(() => User)
export class UserResolver {
  @ChecksPassword()
  @Mutation(() => User, { description: 'Creates an account (and its token). Public.' })
  async register(@Arg('input', () => RegisterInput) input: RegisterInput, @Ctx() context: Context): Promise<User> {
    return registerUser(context.em, input, context.settings.passwords, callerOf(context));
  }

  @Scope(NO_ACCESS_TOKENS)
  @Authorized()
  @ChecksPassword()
  @Mutation(() => Boolean, {
    description:
      "Changes the caller's password (Django's PasswordChangeForm). A wrong currentPassword is BAD_USER_INPUT and " +
      'counts as a failed login for the throttle; the new one is validated as register validates it. With ' +
      'revokeOtherTokens (the default) every other token of the caller is deleted; this one keeps working.',
  })
  changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Arg('revokeOtherTokens', () => Boolean, { nullable: true, defaultValue: true }) revokeOtherTokens: boolean | null,
    @Ctx() context: Context,
  ): Promise<boolean> {
    const { em, user, auth, settings } = context;
    const change = { currentPassword, newPassword, revokeOtherTokens: revokeOtherTokens ?? true };
    return changePassword(em, user!, auth!, change, settings, loginThrottle(context), callerOf(context));
  }

  @Scope('profile:read')
  @Authorized()
  @Query(() => User, { description: 'The authenticated user.' })
  me(@Ctx() { user }: Context): User {
    return user!;
  }
}
