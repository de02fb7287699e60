/**
 * Live events as a registry. A resource declares each event it publishes with `liveEvent({ channel, topic,
 * decode })` and lists it in `liveEvents` in src/resources.ts, beside its resolvers; its `@Subscription`
 * subscribes to `topics: <event>.topic`. The hub (src/realtime/hub.ts) LISTENs on every registered
 * channel and only dispatches: a notification's payload goes to its event's `decode`, and what that returns
 * is published on the event's topic, in the order the notifications came (their commit order).
 *
 * - `channel`: the PostgreSQL NOTIFY channel a trigger of the resource's migration sends on (so every write
 *   is seen, whoever makes it). Lower-case letters, digits and `_`.
 * - `topic`: the in-process pub/sub topic; by convention the subscription field's name.
 * - `decode(payload, orm)`: the payload as the subscription's root value, or undefined to publish nothing
 *   (a row gone before it could be read). It may read the database (a payload too large for a notification
 *   carries only an id). A throw loses that one event, logged; the next ones still come.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { createPubSub } from '@graphql-yoga/subscription';

export interface LiveEvent<Payload = unknown> {
  channel: string;
  topic: string;
  decode(payload: string, orm: MikroORM): Payload | undefined | Promise<Payload | undefined>;
}

/** Declares an event; the type parameter ties the decoded payload to what the subscription resolves. */
export function liveEvent<Payload>(event: LiveEvent<Payload>): LiveEvent<Payload> {
  return event;
}

/** One per app: what a process's notifications are fanned out through to its subscribers. */
export function createLivePubSub() {
  return createPubSub<Record<string, [unknown]>>();
}

export type LivePubSub = ReturnType<typeof createLivePubSub>;
