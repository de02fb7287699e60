/** The security log's GraphQL types: an event, a cursor-paged connection of them, and the staff's filter. */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, JSONObjectResolver } from 'graphql-scalars';
import { TokenKind } from '../authtoken/token-kind';
import { SecurityEventType } from './event-types';

@ObjectType({ simpleResolvers: true, description: 'One security event (docs/security-log.md). Never a password, key or Authorization value.' })
export class SecurityEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeISOResolver, { description: "The database's time of the event." })
  at!: Date;

  @Field(() => SecurityEventType)
  type!: SecurityEventType;

  @Field(() => String, { nullable: true, description: "Auth0's code for the same event, where Auth0 has one (`s`, `fp`, `fu`, ...)." })
  auth0Code!: string | null;

  @Field(() => ID, { nullable: true, description: 'Whose event it is; null when unknown (a login with an unknown username).' })
  userId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Who made the request (staff acting on another user, say); null without one.' })
  actorId!: string | null;

  @Field(() => String, { nullable: true, description: 'The username as given (failed logins) or as created.' })
  username!: string | null;

  @Field(() => TokenKind, { nullable: true, description: 'The kind of the token that authenticated the request.' })
  tokenKind!: TokenKind | null;

  @Field(() => String, { nullable: true, description: "That token's first 15 characters, as tokenInfo shows them; never the token." })
  tokenKey!: string | null;

  @Field(() => String, { nullable: true, description: 'The client address, after TRUST_PROXY.' })
  ip!: string | null;

  @Field(() => String, { nullable: true, description: 'The User-Agent, at most 256 characters.' })
  userAgent!: string | null;

  @Field(() => String, { nullable: true, description: "The request's X-Request-Id, as the request log names it." })
  requestId!: string | null;

  @Field(() => String, { nullable: true, description: 'The GraphQL operation name.' })
  operation!: string | null;

  @Field(() => JSONObjectResolver, { nullable: true, description: 'Small JSON about the event (the token created or revoked, the fields of a MUTATION, ...).' })
  detail!: Record<string, unknown> | null;

  @Field(() => Int, { description: 'How many occurrences the event stands for: above 1 only for aggregated events (LOGIN_THROTTLED).' })
  count!: number;
}

@ObjectType({ simpleResolvers: true })
export class SecurityEventEdge {
  @Field({ description: 'Pass as `after` to read on from this event.' })
  cursor!: string;

  @Field(() => SecurityEvent)
  node!: SecurityEvent;
}

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "The last edge's cursor; null for an empty page." })
  endCursor!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'Security events, newest first, cursor-paged: a page stays right while new events arrive.' })
export class SecurityEventConnection {
  @Field(() => [SecurityEventEdge])
  edges!: SecurityEventEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType({ description: 'Every condition given must hold.' })
export class SecurityEventFilter {
  @Field(() => [SecurityEventType], { nullable: true })
  types?: SecurityEventType[] | null;

  @Field(() => ID, { nullable: true })
  userId?: string | null;

  @Field(() => String, { nullable: true, description: "The user's events (any case), or events naming this username (a failed login's)." })
  username?: string | null;

  @Field(() => String, { nullable: true, description: "A token's first 15 characters, or the whole token pasted: what did this token do?" })
  tokenKey?: string | null;

  @Field(() => String, { nullable: true, description: 'A client address, exactly.' })
  ip?: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Events at or after this time.' })
  after?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Events before this time.' })
  before?: Date | null;
}
