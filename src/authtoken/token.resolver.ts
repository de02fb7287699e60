import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { ChecksPassword } from '../limits/password-fields';
import { ObtainAuthTokenPayload } from './token.types';
import { deleteUserToken, obtainAuthToken, regenerateToken, type IssuedToken } from './token.service';

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
    @Ctx() { em, settings, ip }: Context,
  ): Promise<ObtainAuthTokenPayload> {
    const throttle = { ip, limit: settings.loginFailureLimit, windowSeconds: settings.loginFailureWindow };
    return payload(await obtainAuthToken(em, username, password, settings, throttle));
  }

  @Authorized()
  @Mutation(() => ObtainAuthTokenPayload, { description: "Replaces the caller's token; the old key stops working at once." })
  async regenerateToken(@Ctx() { em, user }: Context): Promise<ObtainAuthTokenPayload> {
    const key = await regenerateToken(em, user!.id);
    return payload({ token: key, userId: user!.id, email: user!.email });
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Deletes the caller's token. The next obtainAuthToken issues a new one." })
  async logout(@Ctx() { em, user }: Context): Promise<boolean> {
    return deleteUserToken(em, user!.id);
  }
}
