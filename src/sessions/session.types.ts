/** The answer of startSession: the login token it made, named by id; the token itself is only in the cookie. */
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { User } from '../users/user.entity';

@ObjectType({ simpleResolvers: true, description: 'The answer of startSession. The token is in the HttpOnly cookie, never in the body.' })
export class SessionPayload {
  @Field(() => ID, { description: 'The AuthToken id, for revokeToken and myTokens.' })
  tokenId!: string;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the session stops working; null when TOKEN_TTL is 0.' })
  expiry!: Date | null;

  @Field(() => User)
  user!: User;
}
