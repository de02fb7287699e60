/**
 * The security log's API: `securityEvents` (staff: anyone's events, filtered) and `mySecurityEvents` (the
 * caller's own). Both newest first, cursor-paged (`first` 1 to 100, `after` an edge's cursor); each event
 * costs as a page item does under MAX_COST.
 */
import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { Role } from '../auth-checker';
import { Scope } from '../access/scope';
import type { Context } from '../context';
import { connectionCost } from '../limits/cost';
import { DEFAULT_EVENTS, ownSecurityEvents, pageSize, searchSecurityEvents, MAX_EVENTS } from './security-event.queries';
import { SecurityEventConnection, SecurityEventFilter } from './security-event.types';

const DEFAULT_OWN_EVENTS = 20;

@Resolver()
export class SecurityEventResolver {
  @Scope('admin:read')
  @Authorized(Role.STAFF)
  @Query(() => SecurityEventConnection, {
    complexity: connectionCost,
    description: `Security events of every user, newest first, filtered (filter: { tokenKey } answers "what did this token do?"). \`first\` is 1 to ${MAX_EVENTS}. Staff only.`,
  })
  securityEvents(
    @Arg('filter', () => SecurityEventFilter, { nullable: true }) filter: SecurityEventFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_EVENTS }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { em, settings }: Context,
  ): Promise<SecurityEventConnection> {
    return searchSecurityEvents(em, filter, { first: pageSize(first, DEFAULT_EVENTS), after }, settings.database.django);
  }

  @Scope('profile:read')
  @Authorized()
  @Query(() => SecurityEventConnection, {
    complexity: connectionCost,
    description: `The caller's own security events, newest first: logins, failures, tokens made and revoked, password changes. \`first\` is 1 to ${MAX_EVENTS}.`,
  })
  mySecurityEvents(
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_OWN_EVENTS }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { em, user }: Context,
  ): Promise<SecurityEventConnection> {
    return ownSecurityEvents(em, user!.id, { first: pageSize(first, DEFAULT_OWN_EVENTS), after });
  }
}
