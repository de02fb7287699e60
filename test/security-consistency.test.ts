// The security log's consistency with the writes it records: an event that cannot be written takes its write
// down with it (one transaction), and the PASSWORD_RATE throttle's 429s are aggregated as the failed-login
// throttle's are. Real database, real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushThrottled } from '../src/security/security-log';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ PASSWORD_RATE: '3/hour' });
});
afterAll(() => server.close());

const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => server.orm.em.getConnection().execute<T[]>(text, values);

describe('one transaction', () => {
  it('a write whose event cannot be written is rolled back: the old key keeps working, no new key exists', async () => {
    const user = await makeUser(server.orm, { username: 'tx-user' });
    const old = (await tokenOf(server.orm, user.id))!;
    await sql("alter table authtoken_security_event add constraint refuse_created check (type <> 'TOKEN_CREATED') not valid");
    try {
      const response = await server.graphql('mutation { regenerateToken { token } }', { token: old });
      expect(response.body.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(await tokenOf(server.orm, user.id)).toBe(old);
      expect((await server.graphql('{ me { username } }', { token: old })).body.data).toEqual({ me: { username: 'tx-user' } });
      const [{ n }] = await sql<{ n: number }>("select count(*)::int as n from authtoken_security_event where user_id = ? and type = 'TOKEN_REVOKED'", [user.id]);
      expect(n).toBe(0);
    } finally {
      await sql('alter table authtoken_security_event drop constraint refuse_created');
    }
    const response = await server.graphql('mutation { regenerateToken { token } }', { token: old });
    expect(response.body.data.regenerateToken.token).not.toBe(old);
  });
});

describe('PASSWORD_RATE', () => {
  it("counts its 429s in one LOGIN_THROTTLED event per address and window, scope 'password'", async () => {
    await makeUser(server.orm, { username: 'rate-user' });
    const headers = { 'x-forwarded-for': '192.0.2.200' };
    const LOGIN = 'mutation Rate($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';
    for (let i = 0; i < 3; i += 1) await server.graphql(LOGIN, { variables: { u: 'rate-user', p: `wrong ${i}` }, headers });
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await server.graphql(LOGIN, { variables: { u: 'rate-user', p: 'correct horse' }, headers })).status);
    expect(statuses).toEqual([429, 429, 429, 429, 429, 429]);
    await flushThrottled();
    const rows = await sql<{ type: string; count: number; detail: unknown; ip: string; operation: string; user_id: number | null }>(
      "select type, count, detail, ip, operation, user_id from authtoken_security_event where ip = '192.0.2.200' and type = 'LOGIN_THROTTLED'",
    );
    expect(rows).toEqual([{ type: 'LOGIN_THROTTLED', count: 6, detail: { scope: 'password', windowSeconds: 3600 }, ip: '192.0.2.200', operation: 'Rate', user_id: null }]);
    // Another address has its own event.
    await server.graphql(LOGIN, { variables: { u: 'rate-user', p: 'x' }, headers: { 'x-forwarded-for': '192.0.2.201' } });
    const [{ n }] = await sql<{ n: number }>("select count(*)::int as n from authtoken_security_event where type = 'LOGIN_THROTTLED'");
    expect(n).toBe(1);
  });
});
