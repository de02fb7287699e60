import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestServer, tokenOf, countQueries, type TestServer } from './utils';
import { authenticate } from '../src/authentication';
import { contextFactory } from '../src/context';
import { Token } from '../src/authtoken/token.entity';
import { User } from '../src/users/user.entity';

// DRF runs one header suite for both keywords; so does this file.
describe.each(['Token', 'Bearer'])('the Authorization header with AUTH_KEYWORD=%s', (keyword) => {
  let server: TestServer;
  let key: string;
  let inactiveKey: string;
  const other = keyword === 'Token' ? 'Bearer' : 'Token';

  beforeAll(async () => {
    server = await startTestServer({ AUTH_KEYWORD: keyword });
    const user = await makeUser(server.orm, { username: 'header-user' });
    key = (await tokenOf(server.orm, user.id))!;
    const inactive = await makeUser(server.orm, { username: 'sleeper', isActive: false });
    inactiveKey = (await tokenOf(server.orm, inactive.id))!;
  });
  afterAll(() => server.close());

  const whoAmI = '{ __typename me { username } }';
  const publicQuery = '{ __typename }';

  it('treats a request without the header as anonymous', async () => {
    const response = await server.graphql(publicQuery);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ __typename: 'Query' });
  });

  it('treats an empty header as anonymous', async () => {
    const response = await server.graphql(publicQuery, { authorization: '' });
    expect(response.status).toBe(200);
  });

  it(`treats another scheme (${other}, Basic) as anonymous`, async () => {
    for (const authorization of [`${other} ${key}`, 'Basic dXNlcjpwYXNz']) {
      const response = await server.graphql(publicQuery, { authorization });
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ __typename: 'Query' });
    }
  });

  const failures: [string, () => string, string][] = [
    ['the keyword alone', () => keyword, 'Invalid token header. No credentials provided.'],
    ['the keyword and spaces only', () => `${keyword}    `, 'Invalid token header. No credentials provided.'],
    ['a key with a space in it', () => `${keyword} ${key.slice(0, 20)} ${key.slice(20)}`, 'Invalid token header. Token string should not contain spaces.'],
    ['a key with characters outside printable ASCII', () => `${keyword} ${key.slice(0, 39)}\u00e9`, 'Invalid token header. Token string should not contain invalid characters.'],
    ['an unknown key', () => `${keyword} ${'0'.repeat(40)}`, 'Invalid token.'],
    ['a key of the wrong shape', () => `${keyword} not-a-key`, 'Invalid token.'],
    ["an inactive user's key", () => `${keyword} ${inactiveKey}`, 'User inactive or deleted.'],
  ];

  for (const [name, header, message] of failures) {
    it(`fails the whole operation with 401 for ${name}`, async () => {
      const response = await server.graphql(publicQuery, { authorization: header() });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(keyword);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toEqual([{ message, extensions: { code: 'UNAUTHENTICATED' } }]);
    });
  }

  for (const variant of [`${keyword} %s`, `${keyword.toLowerCase()} %s`, `${keyword.toUpperCase()}    %s`, `  ${keyword}\t%s  `]) {
    it(`authenticates "${variant}" with a valid key`, async () => {
      const response = await server.graphql(whoAmI, { authorization: variant.replace('%s', key) });
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ __typename: 'Query', me: { username: 'header-user' } });
    });
  }

  it('answers an anonymous request to an @Authorized field with 401 and WWW-Authenticate', async () => {
    const response = await server.graphql(whoAmI);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(keyword);
    expect(response.body.errors).toMatchObject([
      { message: 'Authentication credentials were not provided.', path: ['me'], extensions: { code: 'UNAUTHENTICATED' } },
    ]);
  });

  it('keeps the http extension out of the response body', async () => {
    const response = await server.graphql(whoAmI);
    expect(JSON.stringify(response.body)).not.toContain('"http"');
  });
});

describe('authenticating a token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('costs exactly one query: the token joined to its user', async () => {
    const user = await makeUser(server.orm);
    const key = (await tokenOf(server.orm, user.id))!;
    const em = server.orm.em.fork();
    const { result, queries } = await countQueries(server.orm, () => authenticate(em, `Token ${key}`, server.settings));
    expect(result?.user.id).toBe(user.id);
    expect(result?.token.key).toBe(key);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/join "auth_user"/);
  });

  it('gives the user and token exactly as the ORM loads them, managed by the request EntityManager', async () => {
    const made = await makeUser(server.orm, { username: 'mapped', isStaff: true });
    await server.orm.em.getConnection().execute(
      "update auth_user set first_name = 'Ada', last_name = 'Lovelace', last_login = '2026-01-02T03:04:05.678Z' where id = ?",
      [made.id],
    );
    const key = (await tokenOf(server.orm, made.id))!;
    const em = server.orm.em.fork();
    const { user, token } = (await authenticate(em, `Token ${key}`, server.settings))!;

    // Every mapped property, compared with what the ORM itself loads (a new User column must be mapped too).
    const loaded = await server.orm.em.fork().findOneOrFail(User, made.id);
    const userProps = server.orm.getMetadata().get(User.name).props.map((prop) => prop.name);
    expect(userProps).toContain('lastLogin');
    for (const name of userProps) expect([name, user[name as keyof User]]).toEqual([name, loaded[name as keyof User]]);
    expect(user).toBeInstanceOf(User);
    expect(token).toBeInstanceOf(Token);
    const loadedToken = await server.orm.em.fork().findOneOrFail(Token, { key });
    expect([token.key, token.created, token.user]).toEqual([loadedToken.key, loadedToken.created, user]);

    // Managed: the identity map answers for them without a query, and a change to the user is flushed.
    const { result: again, queries } = await countQueries(server.orm, () => em.findOne(User, made.id));
    expect(again).toBe(user);
    expect(queries).toHaveLength(0);
    user.firstName = 'Augusta';
    await em.flush();
    expect((await server.orm.em.fork().findOneOrFail(User, made.id)).firstName).toBe('Augusta');
    expect(await tokenOf(server.orm, made.id)).toBe(key);
  });

  it('builds the context as DRF sets request.user and request.auth', async () => {
    const made = await makeUser(server.orm, { username: 'context-user' });
    const key = (await tokenOf(server.orm, made.id))!;
    const createContext = contextFactory(server.orm, server.settings);

    const context = await createContext(`Token ${key}`, '127.0.0.1');
    expect(context.user?.id).toBe(made.id);
    expect(context.auth?.key).toBe(key);
    expect(context.auth?.user).toBe(context.user);
    expect(context.auth).toBe(context.auth);
    // Apollo hands resolvers a copy made with Object.assign; auth must survive it.
    const copy = Object.assign(Object.create(Object.getPrototypeOf(context)), context) as typeof context;
    expect([copy.user, copy.auth]).toEqual([context.user, context.auth]);
    expect(context.ip).toBe('127.0.0.1');

    const anonymous = await createContext(undefined, '127.0.0.1');
    expect([anonymous.user, anonymous.auth]).toEqual([null, null]);
    await expect(createContext(`Token ${'0'.repeat(40)}`, '127.0.0.1')).rejects.toThrow('Invalid token.');
  });

  it('costs no query for a malformed key', async () => {
    const em = server.orm.em.fork();
    const { queries } = await countQueries(server.orm, () =>
      authenticate(em, 'Token short', server.settings).catch((error: Error) => error.message),
    );
    expect(queries).toHaveLength(0);
  });
});
