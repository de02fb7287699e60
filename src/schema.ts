/** The type-graphql schema: every resolver, and the 401/403 auth checker. */
import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from './auth-checker';
import { resolvers } from './resources';
import { createLivePubSub, type LivePubSub } from './realtime/live-events';

// Every @ObjectType of the API is declared with simpleResolvers: its fields are plain properties, read by
// graphql-js's default resolver. Without it type-graphql wraps each field in a resolver of its own, 200
// calls for a page of 50 products (profile in issue 5).
// `pubSub` is the app's own (src/app.ts): type-graphql binds it into the schema's subscribe functions.
export function createSchema(pubSub: LivePubSub = createLivePubSub()): Promise<GraphQLSchema> {
  // Input checks live in the resolvers' validation functions, so class-validator is not wired in.
  return buildSchema({ resolvers, authChecker, validate: false, pubSub });
}

/** The SDL committed as schema.graphql (a test fails when it is stale; `npm run schema` rewrites it). */
export async function printSchemaSDL(): Promise<string> {
  const { printSchema, lexicographicSortSchema } = await import('graphql');
  return `${printSchema(lexicographicSortSchema(await createSchema()))}\n`;
}
