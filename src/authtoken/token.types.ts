/** The GraphQL types of the token mutations and queries (DRF's and knox's). */
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { User } from '../users/user.entity';
import { TokenKind } from './token-kind';

@ObjectType({ simpleResolvers: true, description: "The answer of obtainAuthToken and regenerateToken: DRF's CustomAuthToken recipe." })
export class ObtainAuthTokenPayload {
  @Field({ description: 'The key to send as `Authorization: Token <key>`.' })
  token!: string;

  @Field(() => ID)
  userId!: string;

  @Field()
  email!: string;
}

@ObjectType({ simpleResolvers: true, description: "The answer of login: a new login token (knox's LoginView)." })
export class LoginPayload {
  @Field({ description: 'The login token, shown this once: send it as `Authorization: Token <token>`.' })
  token!: string;

  @Field(() => ID, { description: 'The AuthToken id, for revokeToken and myTokens.' })
  tokenId!: string;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the token stops working; null when TOKEN_TTL is 0.' })
  expiry!: Date | null;

  @Field(() => User)
  user!: User;
}

@ObjectType({ simpleResolvers: true, description: 'The token this request authenticated with. Reading it never refreshes it.' })
export class TokenInfo {
  @Field(() => TokenKind)
  kind!: TokenKind;

  @Field(() => DateTimeISOResolver)
  created!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Null when the token never expires (always, for AUTHTOKEN).' })
  expiry!: Date | null;

  @Field(() => String, { nullable: true, description: "A login token's device name; null for AUTHTOKEN." })
  name!: string | null;

  @Field({ description: "The token's first 15 characters." })
  tokenKey!: string;

  @Field(() => [String], { nullable: true, description: "An access token's scopes; null for AUTHTOKEN and LOGIN, which are unrestricted." })
  scopes!: string[] | null;
}
