/**
 * Secure by default: every root field must refuse an anonymous caller (401 UNAUTHENTICATED), except the ones
 * declared public below. Forgetting @Authorized() on a new field fails this test, whatever the field does:
 * each query and mutation of the real schema is called anonymously over HTTP, and each subscription over an
 * anonymous WebSocket, with made-up arguments of the right types.
 * And every protected root field (subscriptions too) declares what an access token needs to use it
 * (`@Scope(...)`, src/access/scope.ts): forgetting it fails here too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { startTestServer, type TestServer } from './utils';
import { scopeOf } from '../src/access/scope';
import { openSocket, subscribe } from './ws-client';

/** The root fields anyone may call. Adding to this list is a decision: say why beside the field. */
// startSession: login's twin for cookie sessions. accessScopes: the list of scopes a token can be given, as
// the schema itself shows them.
const PUBLIC_FIELDS = new Set(['register', 'obtainAuthToken', 'login', 'startSession', 'accessScopes']);

const UNAUTHENTICATED = 'Authentication credentials were not provided.';
// An unprotected subscription answers nothing until an event: one that gave no error by then was let in.
const SUBSCRIPTION_WAIT_MS = 3000;

/** A literal of the input type: every required field filled, nothing optional. */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((field) => isNonNullType(field.type) && field.defaultValue === undefined);
    return `{ ${fields.map((field) => `${field.name}: ${literal(field.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    if (type.name === 'Int' || type.name === 'Float') return '1';
    if (type.name === 'Boolean') return 'false';
    return '"1"';
  }
  throw new Error(`No literal for ${String(type)}`);
}

/** The smallest selection of an output type: a leaf needs none, an object its typename. */
function selection(type: GraphQLOutputType): string {
  return isLeafType(getNamedType(type)) ? '' : ' { __typename }';
}

function call(field: GraphQLField<unknown, unknown>): string {
  const required = field.args.filter((arg: GraphQLArgument) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const args = required.length ? `(${required.map((arg) => `${arg.name}: ${literal(arg.type)}`).join(', ')})` : '';
  return `${field.name}${args}${selection(field.type)}`;
}

describe('every root field refuses anonymous callers unless declared public', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('covers every query and mutation of the schema', async () => {
    const roots = [
      ['query', server.app.schema.getQueryType()],
      ['mutation', server.app.schema.getMutationType()],
    ] as const;
    const answered: string[] = [];
    let checked = 0;
    for (const [operation, type] of roots) {
      if (!type || !isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (PUBLIC_FIELDS.has(field.name)) continue;
        const response = await server.graphql(`${operation} { ${call(field)} }`);
        checked += 1;
        const error = response.body.errors?.[0];
        const refused = response.status === 401 && error?.extensions?.code === 'UNAUTHENTICATED' && error.message === UNAUTHENTICATED;
        if (!refused) answered.push(`${operation} ${field.name}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      }
    }
    expect(answered).toEqual([]);
    // Not vacuous: the schema has protected fields of both kinds.
    expect(checked).toBeGreaterThan(10);
  });

  it('has every protected root field declare its access scope, and no public field declare one', () => {
    const roots = [server.app.schema.getQueryType(), server.app.schema.getMutationType(), server.app.schema.getSubscriptionType()];
    const undeclared: string[] = [];
    const publicWithScope: string[] = [];
    let declared = 0;
    for (const type of roots) {
      for (const field of Object.values(type?.getFields() ?? {})) {
        const scope = scopeOf(field);
        if (PUBLIC_FIELDS.has(field.name)) {
          if (scope !== undefined) publicWithScope.push(field.name);
        } else if (scope === undefined) undeclared.push(`${type!.name}.${field.name}`);
        else declared += 1;
      }
    }
    expect(undeclared).toEqual([]);
    expect(publicWithScope).toEqual([]);
    // The subscription is covered: productChanged declares products:read.
    expect(scopeOf(server.app.schema.getSubscriptionType()!.getFields().productChanged)).toBe('products:read');
    expect(declared).toBeGreaterThan(20);
  });

  it('covers every subscription of the schema, over an anonymous WebSocket', async () => {
    const type = server.app.schema.getSubscriptionType();
    const fields = type ? Object.values(type.getFields()).filter((field) => !PUBLIC_FIELDS.has(field.name)) : [];
    // Not vacuous: the schema has subscriptions.
    expect(fields.length).toBeGreaterThan(0);
    const socket = openSocket(server.wsUrl);
    try {
      await socket.connected;
      const answered: string[] = [];
      for (const field of fields) {
        const subscription = subscribe(socket.client, `subscription { ${call(field)} }`);
        const outcome = await Promise.race([
          subscription.failed,
          new Promise((resolve) => setTimeout(() => resolve('no error: subscribed anonymously'), SUBSCRIPTION_WAIT_MS)),
        ]);
        subscription.unsubscribe();
        const error = Array.isArray(outcome) ? outcome[0] : undefined;
        const refused = error?.message === UNAUTHENTICATED && error.extensions?.code === 'UNAUTHENTICATED';
        if (!refused) answered.push(`subscription ${field.name}: ${JSON.stringify(outcome).slice(0, 200)}`);
      }
      expect(answered).toEqual([]);
    } finally {
      await socket.dispose();
    }
  });

  it('lets the declared public fields through to their own checks', async () => {
    const response = await server.graphql('mutation { obtainAuthToken(username: "nobody", password: "nothing") { token } }');
    expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
