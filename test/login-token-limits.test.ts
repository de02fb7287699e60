/**
 * login, changePassword and setPassword run the password hasher, so they take part in issue 9's limits as
 * register, obtainAuthToken and createUser do: at most one password-checking field per operation, and each
 * spends the caller's PASSWORD_RATE before any hashing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';

let server: TestServer;
let userId: number;
let drfKey: string;
let staffKey: string;
beforeAll(async () => {
  server = await startTestServer({ PASSWORD_RATE: '3/minute' });
  const user = await makeUser(server.orm, { username: 'limited', password: 'correct horse' });
  const staff = await makeUser(server.orm, { username: 'limits-staff', isStaff: true });
  userId = user.id;
  drfKey = (await tokenOf(server.orm, user.id))!;
  staffKey = (await tokenOf(server.orm, staff.id))!;
});
afterAll(() => server.close());

async function loginRows(): Promise<number> {
  const [row] = await server.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from authtoken_login_token where user_id = ?', [userId]);
  return row.n;
}

const login = (alias: string) => `${alias}: login(username: "limited", password: "correct horse") { token }`;

describe('one password-checking field per operation', () => {
  it('counts login, changePassword and setPassword as password-checking fields, and writes nothing when refusing', async () => {
    const forms: [string, string | undefined][] = [
      [`mutation { ${login('a')} ${login('b')} }`, undefined],
      [`mutation { ${login('a')} obtainAuthToken(username: "limited", password: "correct horse") { token } }`, undefined],
      [`mutation { ${login('a')} changePassword(currentPassword: "correct horse", newPassword: "another horse") }`, drfKey],
      [`mutation { changePassword(currentPassword: "correct horse", newPassword: "another horse") setPassword(id: "${userId}", password: "third horse!") }`, staffKey],
      [`mutation { ${login('a')} ...F } fragment F on Mutation { ${login('b')} }`, undefined],
    ];
    for (const [query, token] of forms) {
      const response = await server.graphql(query, { token, headers: { 'x-forwarded-for': '198.51.100.1' } });
      expect(response.status).toBe(400);
      expect(response.body.errors![0]).toMatchObject({
        message: 'Only one password-checking field is allowed per operation.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    }
    expect(await loginRows()).toBe(0);
    // Nothing was spent either: the address still has its three.
    for (let i = 0; i < 3; i += 1) {
      expect((await server.graphql(`mutation { ${login('a')} }`, { headers: { 'x-forwarded-for': '198.51.100.1' } })).status).toBe(200);
    }
  });
});

describe('PASSWORD_RATE', () => {
  it('counts login, and refuses past the rate before hashing or writing', async () => {
    const from = { headers: { 'x-forwarded-for': '198.51.100.2' } };
    const before = await loginRows();
    for (let i = 0; i < 3; i += 1) expect((await server.graphql(`mutation { ${login('a')} }`, from)).status).toBe(200);
    const refused = await server.graphql(`mutation { ${login('a')} }`, from);
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0].extensions!.code).toBe('THROTTLED');
    expect(await loginRows()).toBe(before + 3);
  });

  it('counts changePassword, wrong current passwords included', async () => {
    const from = { token: drfKey, headers: { 'x-forwarded-for': '198.51.100.3' } };
    const change = (c: string) => server.graphql(`mutation { changePassword(currentPassword: "${c}", newPassword: "another horse") }`, from);
    for (let i = 0; i < 3; i += 1) expect((await change('not the password')).body.errors![0].extensions!.field).toBe('currentPassword');
    const refused = await change('correct horse');
    expect(refused.status).toBe(429);
    expect((await server.graphql('mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token } }', { headers: { 'x-forwarded-for': '198.51.100.9' }, variables: { u: 'limited', p: 'correct horse' } })).status).toBe(200);
  });

  it('counts setPassword', async () => {
    const target = await makeUser(server.orm, { username: 'rate-target' });
    const from = { token: staffKey, headers: { 'x-forwarded-for': '198.51.100.4' } };
    for (let i = 0; i < 3; i += 1) {
      expect((await server.graphql(`mutation { setPassword(id: "${target.id}", password: "password ${i}!") }`, from)).status).toBe(200);
    }
    const refused = await server.graphql(`mutation { setPassword(id: "${target.id}", password: "password 3!") }`, from);
    expect(refused.status).toBe(429);
    expect((await server.graphql('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { headers: { 'x-forwarded-for': '198.51.100.10' }, variables: { u: 'rate-target', p: 'password 2!' } })).status).toBe(200);
  });
});
