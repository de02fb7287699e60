import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { ChecksPassword } from '../limits/password-fields';
import { User } from './user.entity';
import { RegisterInput } from './user.inputs';
import { createUser } from './user.service';

@Resolver(() => User)
export class UserResolver {
  @ChecksPassword()
  @Mutation(() => User, { description: 'Creates an account (and its token). Public.' })
  async register(@Arg('input', () => RegisterInput) input: RegisterInput, @Ctx() { em, settings }: Context): Promise<User> {
    return createUser(em, input, settings);
  }

  @Authorized()
  @Query(() => User, { description: 'The authenticated user.' })
  me(@Ctx() { user }: Context): User {
    return user!;
  }
}
