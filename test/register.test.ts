import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tokenOf, type TestServer } from './utils';

const REGISTER = `mutation ($input: RegisterInput!) {
  register(input: $input) { id username email firstName lastName isActive isStaff isSuperuser dateJoined lastLogin }
}`;
const LOGIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token userId } }';

describe('register', () => {
  let server: TestServer;
  let serial = 0;

  beforeAll(async () => {
    server = await startTestServer({ LOGIN_FAILURE_LIMIT: '0' });
  });
  afterAll(() => server.close());

  /** A valid input with a fresh username, overridden field by field. */
  function input(overrides: Record<string, unknown> = {}) {
    serial += 1;
    return { username: `member${serial}`, email: `member${serial}@example.com`, password: 'a good passphrase', ...overrides };
  }

  const register = (fields: Record<string, unknown>) => server.graphql(REGISTER, { variables: { input: fields } });

  async function counts(): Promise<{ users: number; tokens: number }> {
    const [row] = await server.orm.em.getConnection().execute<{ users: number; tokens: number }[]>(
      'select (select count(*)::int from auth_user) as users, (select count(*)::int from authtoken_token) as tokens',
    );
    return row;
  }

  it('creates the user and answers with it, ordinary and active', async () => {
    const response = await register(input({ username: 'grace', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' }));
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.register).toEqual({
      id: expect.stringMatching(/^\d+$/),
      username: 'grace',
      email: 'grace@example.com',
      firstName: 'Grace',
      lastName: 'Hopper',
      isActive: true,
      isStaff: false,
      isSuperuser: false,
      dateJoined: expect.any(String),
      lastLogin: null,
    });
    expect(Math.abs(Date.now() - Date.parse(response.body.data.register.dateJoined))).toBeLessThan(60_000);
  });

  it('has no password field to ask for, and stores only a bcrypt hash', async () => {
    const asked = await server.graphql('mutation ($input: RegisterInput!) { register(input: $input) { id password } }', {
      variables: { input: input() },
    });
    expect(asked.status).toBe(400);
    expect(asked.body.errors?.[0]).toMatchObject({
      message: 'Cannot query field "password" on type "User".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });

    const fields = input({ password: 'plain text never stored' });
    const response = await register(fields);
    expect(JSON.stringify(response.body)).not.toContain('plain text never stored');
    const [row] = await server.orm.em.getConnection().execute('select password from auth_user where username = ?', [fields.username]);
    // Django's BCryptSHA256PasswordHasher format (PASSWORD_HASHER's default), at BCRYPT_ROUNDS.
    expect(row.password).toMatch(/^bcrypt_sha256\$\$2[aby]\$04\$/);
  });

  it('gives the new user a token through the subscriber, the one obtainAuthToken then returns', async () => {
    const fields = input();
    const id = Number((await register(fields)).body.data.register.id);
    const key = await tokenOf(server.orm, id);
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    const login = await server.graphql(LOGIN, { variables: { u: fields.username, p: fields.password } });
    expect(login.body.data.obtainAuthToken).toEqual({ token: key, userId: String(id) });
  });

  it('trims the username and email and defaults the names to empty', async () => {
    const response = await register(input({ username: '  padded ', email: ' padded@example.com  ' }));
    expect(response.body.data.register).toMatchObject({ username: 'padded', email: 'padded@example.com', firstName: '', lastName: '' });
  });

  it('accepts the limits exactly: 150-character username and names, a 72-byte password', async () => {
    const response = await register(
      input({ username: 'u'.repeat(150), firstName: 'f'.repeat(150), lastName: 'l'.repeat(150), password: 'é'.repeat(36) }),
    );
    expect(response.body.errors).toBeUndefined();
    // bcrypt uses every one of the 72 bytes: a password differing only in the last byte is refused.
    const wrong = await server.graphql(LOGIN, { variables: { u: 'u'.repeat(150), p: `${'é'.repeat(35)}è` } });
    expect(wrong.body.errors?.[0].message).toBe('Unable to log in with provided credentials.');
    const right = await server.graphql(LOGIN, { variables: { u: 'u'.repeat(150), p: 'é'.repeat(36) } });
    expect(right.body.data.obtainAuthToken.token).toMatch(/^[0-9a-f]{40}$/);
  });

  it('accepts ASCII letters, digits and @ . + - _ in the username', async () => {
    const response = await register(input({ username: 'Zoe.o+tag-1_@host' }));
    expect(response.body.data.register.username).toBe('Zoe.o+tag-1_@host');
  });

  it('refuses a username that differs from an existing one only in case', async () => {
    expect((await register(input({ username: 'Alice' }))).body.errors).toBeUndefined();
    const before = await counts();
    for (const username of ['alice', 'ALICE', ' aLiCe ']) {
      const response = await register(input({ username }));
      expect(response.body.errors).toEqual([
        {
          message: 'username: A user with that username already exists.',
          locations: expect.any(Array),
          path: ['register'],
          extensions: { code: 'BAD_USER_INPUT', field: 'username' },
        },
      ]);
    }
    expect(await counts()).toEqual(before);
  });

  it('lets only one of two simultaneous sign-ups with the same username through', async () => {
    const before = await counts();
    const responses = await Promise.all([register(input({ username: 'twin' })), register(input({ username: 'TWIN' }))]);
    const failures = responses.filter((response) => response.body.errors);
    expect(failures).toHaveLength(1);
    expect(failures[0].body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'username' });
    expect(await counts()).toEqual({ users: before.users + 1, tokens: before.tokens + 1 });
  });

  const failures: [string, Record<string, unknown>, string, RegExp][] = [
    ['a blank username', { username: '' }, 'username', /may not be blank/],
    ['a whitespace-only username', { username: '   ' }, 'username', /may not be blank/],
    ['a 151-character username', { username: 'u'.repeat(151) }, 'username', /no more than 150 characters/],
    ['a username with a space', { username: 'two words' }, 'username', /Enter a valid username/],
    ['a username with a semicolon', { username: 'semi;colon' }, 'username', /Enter a valid username/],
    ['a username with a slash', { username: 'a/b' }, 'username', /Enter a valid username/],
    // Usernames are ASCII (Django's ASCIIUsernameValidator): the case-insensitive unique index relies on
    // lower(), which folds only ASCII under the C locale the embedded cluster uses.
    ['a username with a non-ASCII letter', { username: 'zoë' }, 'username', /Enter a valid username/],
    ['a blank email', { email: '' }, 'email', /may not be blank/],
    ['an email without @', { email: 'not-an-email' }, 'email', /Enter a valid email address/],
    ['an email without a domain dot', { email: 'someone@localhost' }, 'email', /Enter a valid email address/],
    ['an email with a space', { email: 'some one@example.com' }, 'email', /Enter a valid email address/],
    ['an email with two @', { email: 'a@b@example.com' }, 'email', /Enter a valid email address/],
    ['a 255-character email', { email: `${'e'.repeat(243)}@example.com` }, 'email', /Enter a valid email address/],
    ['a 7-character password', { password: 'seven77' }, 'password', /too short. It must contain at least 8 characters/],
    ['an empty password', { password: '' }, 'password', /too short/],
    ['an entirely numeric password', { password: '1234567890' }, 'password', /entirely numeric/],
    ['a 151-character first name', { firstName: 'f'.repeat(151) }, 'firstName', /no more than 150 characters/],
    ['a 151-character last name', { lastName: 'l'.repeat(151) }, 'lastName', /no more than 150 characters/],
  ];

  for (const [name, overrides, field, message] of failures) {
    it(`refuses ${name} with BAD_USER_INPUT naming ${field}, and writes nothing`, async () => {
      const before = await counts();
      const response = await register(input(overrides));
      expect(response.status).toBe(200);
      expect(response.body.data).toBeNull();
      expect(response.body.errors).toHaveLength(1);
      const [error] = response.body.errors!;
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(error.message.startsWith(`${field}: `)).toBe(true);
      expect(error.message).toMatch(message);
      expect(await counts()).toEqual(before);
    });
  }

  // Passwords past bcrypt's 72 bytes were refused while hashes were plain bcrypt (which ignores the rest).
  // bcrypt_sha256 hashes every byte, so they are accepted, and every byte counts.
  for (const [name, password, shorter] of [
    ['73 ASCII bytes', 'p'.repeat(73), 'p'.repeat(72)],
    ['73 bytes of 37 characters (two-byte é)', `${'é'.repeat(36)}a`, 'é'.repeat(36)],
    ['73 bytes ending in a three-byte €', `${'a'.repeat(70)}€`, `${'a'.repeat(70)}`],
    ['73 bytes ending in a four-byte emoji', `${'a'.repeat(69)}😀`, `${'a'.repeat(69)}`],
    ['1,000 characters', `${'long passphrase '.repeat(62)}12345678`, 'long passphrase '.repeat(62)],
  ]) {
    it(`accepts a password of ${name}, and a login with only its first bytes fails`, async () => {
      const fields = input({ password });
      expect((await register(fields)).body.errors).toBeUndefined();
      const truncated = await server.graphql(LOGIN, { variables: { u: fields.username, p: shorter } });
      expect(truncated.body.errors?.[0].message).toBe('Unable to log in with provided credentials.');
      const whole = await server.graphql(LOGIN, { variables: { u: fields.username, p: password } });
      expect(whole.body.data.obtainAuthToken.token).toMatch(/^[0-9a-f]{40}$/);
    });
  }

  for (const [name, password] of [
    ['72 bytes of two-byte characters', 'é'.repeat(36)],
    ['69 ASCII bytes and a three-byte €', `${'a'.repeat(69)}€`],
    ['68 ASCII bytes and a four-byte emoji', `${'a'.repeat(68)}😀`],
  ]) {
    it(`accepts a password of exactly ${name}`, async () => {
      expect(Buffer.byteLength(password)).toBe(72);
      expect((await register(input({ password }))).body.errors).toBeUndefined();
    });
  }

  it('refuses a missing required field or a wrong type before any resolver runs, with HTTP 400', async () => {
    const before = await counts();
    for (const fields of [
      { username: 'nomail', password: 'a good passphrase' },
      { ...input(), username: 42 },
      { ...input(), firstName: ['x'] },
    ]) {
      const response = await register(fields);
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await counts()).toEqual(before);
  });
});
