/** The GraphQL types of access tokens: the one answer that shows a new key, and the list of scopes. */
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

@ObjectType({ simpleResolvers: true, description: 'A new access token (createAccessToken, rotateToken): the only time its key is shown.' })
export class NewAccessToken {
  @Field({ description: 'The access token, shown this once: send it as `Authorization: Token <token>`.' })
  token!: string;

  @Field(() => ID, { description: 'The AuthToken id, for myTokens, rotateToken and revokeToken.' })
  tokenId!: string;

  @Field()
  name!: string;

  @Field(() => [String])
  scopes!: string[];

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it stops working; null for never (only with ACCESS_TOKEN_MAX_DAYS=0).' })
  expiry!: Date | null;

  @Field(() => [String], { description: 'The networks it may be used from (PostgreSQL cidr form); empty for anywhere.' })
  allowedCidrs!: string[];

  @Field(() => String, { nullable: true, description: 'Uses allowed per period, DRF\'s format (`100/minute`); null for no limit.' })
  rate!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'A scope an access token can be given.' })
export class AccessScope {
  @Field({ description: '`<resource>:read` or `<resource>:write` (write implies read).' })
  name!: string;

  @Field()
  description!: string;
}
