import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';
import { ensureTokens } from '../src/authtoken/token-store';
import type { User } from '../src/users/user.entity';

let server: TestServer;
let superuser: User;
let staff: User;
let plain: User;
let superKey: string;
let staffKey: string;
let plainKey: string;

beforeAll(async () => {
  server = await startTestServer();
  superuser = await makeUser(server.orm, { username: 'root-admin', email: 'root@corp.example', isSuperuser: true, isStaff: true });
  staff = await makeUser(server.orm, { username: 'Staffer', email: 'staffer@corp.example', isStaff: true });
  plain = await makeUser(server.orm, { username: 'plain-jane', email: 'Jane.Doe@Mail.example' });
  superKey = (await tokenOf(server.orm, superuser.id))!;
  staffKey = (await tokenOf(server.orm, staff.id))!;
  plainKey = (await tokenOf(server.orm, plain.id))!;
});
afterAll(() => server.close());

const operations: [string, string][] = [
  ['users', '{ users { total } }'],
  ['tokens', '{ tokens { total } }'],
  ['createToken', 'mutation { createToken(username: "plain-jane") { key } }'],
  ['deleteToken', 'mutation { deleteToken(key: "0000000000000000000000000000000000000000") }'],
  ['createUser', 'mutation { createUser(input: {username: "x-new", email: "x@example.com", password: "correct horse"}) { id } }'],
  ['setUserActive', 'mutation { setUserActive(id: "1", active: true) { id } }'],
];

describe('who may use the admin API', () => {
  for (const [name, query] of operations) {
    it(`answers an anonymous ${name} with 401 and WWW-Authenticate`, async () => {
      const response = await server.graphql(query);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Token');
      expect(response.body.errors![0]).toMatchObject({
        message: 'Authentication credentials were not provided.',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    });

    it(`answers ${name} from a user who is not staff with 403`, async () => {
      const response = await server.graphql(query, { token: plainKey });
      expect(response.status).toBe(403);
      expect(response.body.errors![0]).toMatchObject({
        message: 'You do not have permission to perform this action.',
        extensions: { code: 'FORBIDDEN' },
      });
    });
  }
});

describe('users', () => {
  const query = 'query($s: String, $l: Int, $o: Int) { users(search: $s, limit: $l, offset: $o) { total items { id username email isStaff } } }';

  it('lists every user newest first with the total', async () => {
    const response = await server.graphql(query, { token: staffKey });
    expect(response.status).toBe(200);
    const page = response.body.data.users;
    const [{ count }] = await server.orm.em.getConnection().execute<{ count: number }[]>('select count(*)::int as count from auth_user');
    expect(page.total).toBe(count);
    const ids = page.items.map((item: { id: string }) => Number(item.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(page.items.map((item: { username: string }) => item.username).slice(-3)).toEqual(['plain-jane', 'Staffer', 'root-admin']);
  });

  it('searches usernames and emails by substring, in any case', async () => {
    const byName = await server.graphql(query, { token: staffKey, variables: { s: 'AIN-J' } });
    expect(byName.body.data.users).toEqual({
      total: 1,
      items: [{ id: String(plain.id), username: 'plain-jane', email: 'Jane.Doe@Mail.example', isStaff: false }],
    });
    const byEmail = await server.graphql(query, { token: staffKey, variables: { s: '@CORP.example' } });
    expect(byEmail.body.data.users.total).toBe(2);
    expect(byEmail.body.data.users.items.map((u: { username: string }) => u.username)).toEqual(['Staffer', 'root-admin']);
  });

  it('treats a blank search as no search and trims the term', async () => {
    const all = await server.graphql(query, { token: staffKey });
    const blank = await server.graphql(query, { token: staffKey, variables: { s: '   ' } });
    expect(blank.body.data).toEqual(all.body.data);
    const padded = await server.graphql(query, { token: staffKey, variables: { s: '  staffer ' } });
    expect(padded.body.data.users.total).toBe(1);
  });

  it('matches % and _ literally', async () => {
    await makeUser(server.orm, { username: 'per_cent', email: 'percent@literal.example' });
    const underscore = await server.graphql(query, { token: staffKey, variables: { s: 'r_c' } });
    expect(underscore.body.data.users.items.map((u: { username: string }) => u.username)).toEqual(['per_cent']);
    const percent = await server.graphql(query, { token: staffKey, variables: { s: '%' } });
    expect(percent.body.data.users).toEqual({ total: 0, items: [] });
    // "_" would match any one character, so "r_c" must not find "rac" or similar.
    const none = await server.graphql(query, { token: staffKey, variables: { s: 'a_n' } });
    expect(none.body.data.users.total).toBe(0);
  });

  it('does not match across the username and the email', async () => {
    const response = await server.graphql(query, { token: staffKey, variables: { s: 'jane jane' } });
    expect(response.body.data.users.total).toBe(0);
  });

  it('pages with limit and offset, total unchanged', async () => {
    const first = await server.graphql(query, { token: staffKey, variables: { l: 2, o: 0 } });
    const second = await server.graphql(query, { token: staffKey, variables: { l: 2, o: 2 } });
    const all = await server.graphql(query, { token: staffKey, variables: { l: 100 } });
    expect(first.body.data.users.total).toBe(all.body.data.users.total);
    expect([...first.body.data.users.items, ...second.body.data.users.items]).toEqual(all.body.data.users.items.slice(0, 4));
  });

  it('uses the default page size for an explicit null limit', async () => {
    const response = await server.graphql(query, { token: staffKey, variables: { l: null, o: null } });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.users.items.length).toBeGreaterThan(0);
  });

  it('sees a renamed user under the new name at once', async () => {
    const renamed = await makeUser(server.orm, { username: 'before-rename', email: 'rename@example.com' });
    await server.orm.em.getConnection().execute('update auth_user set username = ? where id = ?', ['after-rename', renamed.id]);
    const before = await server.graphql(query, { token: staffKey, variables: { s: 'before-rename' } });
    const after = await server.graphql(query, { token: staffKey, variables: { s: 'AFTER-rename' } });
    expect(before.body.data.users.total).toBe(0);
    expect(after.body.data.users.items).toEqual([{ id: String(renamed.id), username: 'after-rename', email: 'rename@example.com', isStaff: false }]);
  });

  const badInput: [string, Record<string, unknown>, string, string][] = [
    ['a limit of 0', { l: 0 }, 'limit', 'limit: Ensure this value is between 1 and 100.'],
    ['a limit of 101', { l: 101 }, 'limit', 'limit: Ensure this value is between 1 and 100.'],
    ['a negative offset', { o: -1 }, 'offset', 'offset: Ensure this value is greater than or equal to 0.'],
    ['a search of 255 characters', { s: 'a'.repeat(255) }, 'search', 'search: Ensure this field has no more than 254 characters.'],
    ['a search with a line break', { s: 'jane\njane' }, 'search', 'search: Control characters are not allowed.'],
  ];
  for (const [name, variables, field, message] of badInput) {
    it(`refuses ${name} with BAD_USER_INPUT naming ${field}`, async () => {
      for (const list of ['users', 'tokens']) {
        const response = await server.graphql(query.replace('users(', `${list}(`).replace(/\{ total items \{[^}]*\} \}/, '{ total }'), {
          token: staffKey,
          variables,
        });
        expect(response.status).toBe(200);
        expect(response.body.errors).toMatchObject([{ message, extensions: { code: 'BAD_USER_INPUT', field } }]);
      }
    });
  }
});

describe('tokens', () => {
  const query = 'query($s: String) { tokens(search: $s) { total items { key created user { id username } } } }';

  it("lists tokens newest first, each with its user", async () => {
    const response = await server.graphql(query, { token: staffKey });
    const { items, total } = response.body.data.tokens;
    const [{ count }] = await server.orm.em.getConnection().execute<{ count: number }[]>('select count(*)::int as count from authtoken_token');
    expect(total).toBe(count);
    const times = items.map((item: { created: string }) => Date.parse(item.created));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(items).toContainEqual({ key: plainKey, created: expect.any(String), user: { id: String(plain.id), username: 'plain-jane' } });
  });

  it("searches by the user's username or email, in any case", async () => {
    const byEmail = await server.graphql(query, { token: staffKey, variables: { s: 'jane.DOE@' } });
    expect(byEmail.body.data.tokens).toEqual({
      total: 1,
      items: [{ key: plainKey, created: expect.any(String), user: { id: String(plain.id), username: 'plain-jane' } }],
    });
    const byName = await server.graphql(query, { token: staffKey, variables: { s: 'STAFF' } });
    expect(byName.body.data.tokens.items.map((t: { key: string }) => t.key)).toEqual([staffKey]);
  });

  it('counts only users who have a token, and sees tokens from the backfill', async () => {
    await server.orm.em
      .getConnection()
      .execute(`insert into auth_user (username, email, password) values ('tokenless-1', 'tl1@backfill.example', 'x'), ('tokenless-2', 'tl2@backfill.example', 'x')`);
    const before = await server.graphql(query, { token: staffKey, variables: { s: 'backfill.example' } });
    expect(before.body.data.tokens).toEqual({ total: 0, items: [] });
    await ensureTokens(server.orm.em.fork());
    const after = await server.graphql(query, { token: staffKey, variables: { s: 'backfill.example' } });
    expect(after.body.data.tokens.total).toBe(2);
    expect(after.body.data.tokens.items.map((t: { user: { username: string } }) => t.user.username).sort()).toEqual(['tokenless-1', 'tokenless-2']);
  });
});

describe('createToken', () => {
  const mutation = 'mutation($u: String!, $r: Boolean) { createToken(username: $u, reset: $r) { key created user { username } } }';

  it("returns the user's existing token, matching the username in any case", async () => {
    const response = await server.graphql(mutation, { token: staffKey, variables: { u: 'PLAIN-JANE' } });
    expect(response.body.data.createToken).toEqual({ key: plainKey, created: expect.any(String), user: { username: 'plain-jane' } });
  });

  it('treats reset: null and reset: false as no reset', async () => {
    for (const r of [null, false]) {
      const response = await server.graphql(mutation, { token: staffKey, variables: { u: 'plain-jane', r } });
      expect(response.body.data.createToken.key).toBe(plainKey);
    }
  });

  it('creates a token for a user who has none', async () => {
    const user = await makeUser(server.orm, { username: 'lost-token' });
    await server.orm.em.getConnection().execute('delete from authtoken_token where user_id = ?', [user.id]);
    const response = await server.graphql(mutation, { token: staffKey, variables: { u: 'lost-token' } });
    const { key } = response.body.data.createToken;
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    expect(await tokenOf(server.orm, user.id)).toBe(key);
  });

  it('with reset replaces the key, and the old key stops working at once', async () => {
    const user = await makeUser(server.orm, { username: 'reset-me' });
    const oldKey = (await tokenOf(server.orm, user.id))!;
    expect((await server.graphql('{ me { username } }', { token: oldKey })).status).toBe(200);
    const response = await server.graphql(mutation, { token: staffKey, variables: { u: 'reset-me', r: true } });
    const newKey = response.body.data.createToken.key;
    expect(newKey).not.toBe(oldKey);
    const old = await server.graphql('{ me { username } }', { token: oldKey });
    expect(old.status).toBe(401);
    expect(old.body.errors![0].message).toBe('Invalid token.');
    const fresh = await server.graphql('{ me { username } }', { token: newKey });
    expect(fresh.body.data).toEqual({ me: { username: 'reset-me' } });
  });

  it('refuses an unknown username with BAD_USER_INPUT and DRF’s message', async () => {
    const response = await server.graphql(mutation, { token: staffKey, variables: { u: 'nobody-at-all' } });
    expect(response.status).toBe(200);
    expect(response.body.errors).toMatchObject([
      { message: 'Cannot create the Token: user nobody-at-all does not exist', extensions: { code: 'BAD_USER_INPUT', field: 'username' } },
    ]);
  });

  it('refuses a missing username as a GraphQL validation error', async () => {
    const response = await server.graphql('mutation { createToken { key } }', { token: staffKey });
    expect(response.status).toBe(400);
    expect(response.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('deleteToken', () => {
  const mutation = 'mutation($k: String!) { deleteToken(key: $k) }';

  it('deletes the token, and its key stops working at once', async () => {
    const user = await makeUser(server.orm, { username: 'delete-me' });
    const key = (await tokenOf(server.orm, user.id))!;
    const response = await server.graphql(mutation, { token: staffKey, variables: { k: key } });
    expect(response.body.data).toEqual({ deleteToken: true });
    expect(await tokenOf(server.orm, user.id)).toBeUndefined();
    const after = await server.graphql('{ me { username } }', { token: key });
    expect(after.status).toBe(401);
    expect(after.body.errors![0].message).toBe('Invalid token.');
  });

  it('answers NOT_FOUND for a key that does not exist', async () => {
    const response = await server.graphql(mutation, { token: staffKey, variables: { k: 'f'.repeat(40) } });
    expect(response.body.errors).toMatchObject([{ message: 'No Token matches the given query.', extensions: { code: 'NOT_FOUND' } }]);
  });

  for (const [name, key, message] of [
    ['a blank key', '  ', 'key: This field may not be blank.'],
    ['a key longer than 40 characters', 'a'.repeat(41), 'key: Ensure this field has no more than 40 characters.'],
  ]) {
    it(`refuses ${name} with BAD_USER_INPUT`, async () => {
      const response = await server.graphql(mutation, { token: staffKey, variables: { k: key } });
      expect(response.body.errors).toMatchObject([{ message, extensions: { code: 'BAD_USER_INPUT', field: 'key' } }]);
    });
  }
});

describe('createUser', () => {
  const mutation =
    'mutation($in: CreateUserInput!) { createUser(input: $in) { id username email isActive isStaff isSuperuser } }';
  const input = (username: string, extra: Record<string, unknown> = {}) => ({
    in: { username, email: `${username}@example.com`, password: 'correct horse', ...extra },
  });

  it('lets staff create an ordinary user, who gets a token and can log in', async () => {
    const response = await server.graphql(mutation, { token: staffKey, variables: input('made-by-staff') });
    expect(response.body.data.createUser).toMatchObject({ username: 'made-by-staff', isActive: true, isStaff: false, isSuperuser: false });
    expect(await tokenOf(server.orm, Number(response.body.data.createUser.id))).toMatch(/^[0-9a-f]{40}$/);
    const login = await server.graphql('mutation { obtainAuthToken(username: "made-by-staff", password: "correct horse") { token } }');
    expect(login.body.data.obtainAuthToken.token).toMatch(/^[0-9a-f]{40}$/);
    const listed = await server.graphql('{ users(search: "made-by-staff") { total } }', { token: staffKey });
    expect(listed.body.data.users.total).toBe(1);
  });

  it('creates an inactive user when asked', async () => {
    const response = await server.graphql(mutation, { token: staffKey, variables: input('made-inactive', { isActive: false }) });
    expect(response.body.data.createUser.isActive).toBe(false);
  });

  for (const flag of ['isStaff', 'isSuperuser']) {
    it(`refuses staff who set ${flag} with 403, creating nothing`, async () => {
      const username = `escalate-${flag.toLowerCase()}`;
      const response = await server.graphql(mutation, { token: staffKey, variables: input(username, { [flag]: true }) });
      expect(response.status).toBe(403);
      expect(response.body.errors).toMatchObject([
        { message: 'Only a superuser may create staff or superuser accounts.', extensions: { code: 'FORBIDDEN' } },
      ]);
      const listed = await server.graphql('query($s: String) { users(search: $s) { total } }', { token: staffKey, variables: { s: username } });
      expect(listed.body.data.users.total).toBe(0);
    });
  }

  it('lets a superuser create staff, and a superuser is staff too', async () => {
    const madeStaff = await server.graphql(mutation, { token: superKey, variables: input('new-staff', { isStaff: true }) });
    expect(madeStaff.body.data.createUser).toMatchObject({ isStaff: true, isSuperuser: false });
    const madeSuper = await server.graphql(mutation, { token: superKey, variables: input('new-super', { isSuperuser: true }) });
    expect(madeSuper.body.data.createUser).toMatchObject({ isStaff: true, isSuperuser: true });
  });

  const badInput: [string, Record<string, unknown>, string, string][] = [
    ['a duplicate username (any case)', { username: 'STAFFER' }, 'username', 'username: A user with that username already exists.'],
    ['an invalid username', { username: 'no spaces' }, 'username', 'username: Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.'],
    ['an invalid email', { email: 'not-an-email' }, 'email', 'email: Enter a valid email address.'],
    ['a short password', { password: 'short' }, 'password', 'password: This password is too short. It must contain at least 8 characters.'],
    ['a numeric password', { password: '1234567890' }, 'password', 'password: This password is entirely numeric.'],
  ];
  for (const [name, override, field, message] of badInput) {
    it(`refuses ${name} with BAD_USER_INPUT naming ${field}`, async () => {
      const variables = input('valid-name');
      Object.assign(variables.in, override);
      const response = await server.graphql(mutation, { token: staffKey, variables });
      expect(response.status).toBe(200);
      expect(response.body.errors).toMatchObject([{ message, extensions: { code: 'BAD_USER_INPUT', field } }]);
    });
  }
});

describe('setUserActive', () => {
  const mutation = 'mutation($id: ID!, $a: Boolean!) { setUserActive(id: $id, active: $a) { id isActive } }';

  it("deactivates a user, whose token then answers 401 'User inactive or deleted.', and reactivates them", async () => {
    const user = await makeUser(server.orm, { username: 'sleepy' });
    const key = (await tokenOf(server.orm, user.id))!;
    const off = await server.graphql(mutation, { token: staffKey, variables: { id: String(user.id), a: false } });
    expect(off.body.data.setUserActive).toEqual({ id: String(user.id), isActive: false });
    const refused = await server.graphql('{ me { username } }', { token: key });
    expect(refused.status).toBe(401);
    expect(refused.body.errors).toEqual([{ message: 'User inactive or deleted.', extensions: { code: 'UNAUTHENTICATED' } }]);
    const on = await server.graphql(mutation, { token: staffKey, variables: { id: String(user.id), a: true } });
    expect(on.body.data.setUserActive.isActive).toBe(true);
    expect((await server.graphql('{ me { username } }', { token: key })).body.data).toEqual({ me: { username: 'sleepy' } });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const response = await server.graphql(mutation, { token: staffKey, variables: { id: '999999', a: false } });
    expect(response.body.errors).toMatchObject([{ message: 'No User matches the given query.', extensions: { code: 'NOT_FOUND' } }]);
  });

  for (const id of ['abc', '0', '-1', '99999999999']) {
    it(`refuses the id "${id}" with BAD_USER_INPUT`, async () => {
      const response = await server.graphql(mutation, { token: staffKey, variables: { id, a: false } });
      expect(response.body.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', field: 'id' } }]);
    });
  }

  it('refuses staff who change a superuser with 403, and lets a superuser change staff', async () => {
    const refused = await server.graphql(mutation, { token: staffKey, variables: { id: String(superuser.id), a: false } });
    expect(refused.status).toBe(403);
    expect(refused.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    const other = await makeUser(server.orm, { username: 'other-staff', isStaff: true });
    const allowed = await server.graphql(mutation, { token: superKey, variables: { id: String(other.id), a: false } });
    expect(allowed.body.data.setUserActive.isActive).toBe(false);
  });

  it('refuses to let anyone deactivate themselves', async () => {
    const response = await server.graphql(mutation, { token: superKey, variables: { id: String(superuser.id), a: false } });
    expect(response.body.errors).toMatchObject([
      { message: 'id: You cannot deactivate your own account.', extensions: { code: 'BAD_USER_INPUT', field: 'id' } },
    ]);
    expect((await server.graphql('{ me { username } }', { token: superKey })).status).toBe(200);
  });
});
