import { ArrayType, Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { User } from '../users/user.entity';

/**
 * A login token, django-rest-knox's `AuthToken`: many per user (one per device), each with a name, an
 * expiry and a last use; or an access token (`kind: 'access'`, issue 20), stored the same way in the same
 * table with its scopes, networks and rate. Only the digest of the token and its first 15 characters
 * (`tokenKey`) are stored; the digest never reaches the schema. Rows are made and removed by the token store
 * (src/authtoken/token-store.ts) only. `kind`, `allowedCidrs` and `rate` reach the schema through
 * LoginTokenFieldResolver (src/authtoken/token.resolver.ts).
 */
@ObjectType('AuthToken', {
  simpleResolvers: true,
  description:
    'A login token (one per device) or an access token (for a machine: scoped, expiring). Never the token itself: ' +
    '`tokenKey` is its first 15 characters.',
})
@Entity({ tableName: 'authtoken_login_token' })
export class LoginToken {
  [OptionalProps]?: 'name' | 'created' | 'expiry' | 'lastUsed' | 'kind' | 'scopes' | 'allowedCidrs' | 'rateRequests' | 'rateSeconds';

  /**
   * A login token has no key: the token is never stored. Declared (and always undefined) so that code
   * reading `request.auth.key` of a DRF token type-checks against either kind, and finds nothing here.
   */
  declare readonly key?: undefined;

  // bigint: a busy service makes many logins over its life. MikroORM maps it to a string, as GraphQL's ID is.
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 128, hidden: true, unique: true })
  digest!: string;

  @Field({ description: "The token's first 15 characters (TOKEN_PREFIX included): enough to recognise it, never to use it." })
  @Property({ type: 'string', length: 15, index: true })
  tokenKey!: string;

  @Field(() => User)
  @ManyToOne({ entity: () => User, deleteRule: 'cascade', updateRule: 'cascade' })
  user!: User;

  @Field({ description: 'What the device called itself at login (at most 64 characters; may be empty).' })
  @Property({ type: 'string', length: 64, default: '' })
  name: string = '';

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  created: Date = new Date();

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it stops working; null when TOKEN_TTL is 0.' })
  @Property({ type: 'datetime', nullable: true })
  expiry: Date | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Recorded at most once per MIN_REFRESH_INTERVAL.' })
  @Property({ type: 'datetime', nullable: true })
  lastUsed: Date | null = null;

  @Property({ type: 'string', length: 10, default: 'login' })
  kind: 'login' | 'access' = 'login';

  @Field(() => [String], { nullable: true, description: "An access token's scopes; null for a login token, which may do all its user may." })
  @Property({ type: ArrayType, columnType: 'text[]', nullable: true })
  scopes: string[] | null = null;

  /** An access token's networks (PostgreSQL cidr); null when it may be used from anywhere. */
  @Property({ type: ArrayType, columnType: 'cidr[]', nullable: true })
  allowedCidrs: string[] | null = null;

  /** An access token's rate, DRF's `<requests>/<period>`: both or neither. */
  @Property({ type: 'integer', nullable: true })
  rateRequests: number | null = null;

  @Property({ type: 'integer', nullable: true })
  rateSeconds: number | null = null;
}
