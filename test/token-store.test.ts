// The token store's own contract (src/authtoken/token-store.ts, keys.ts), beside the HTTP tests: what keys
// look like (knox's test_crypto and test_models), and the backfill across several batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';
import { digestOf, digestsMatch, generateKey, generateLoginToken, isDrfKey, isLoginToken, tokenKeyOf } from '../src/authtoken/keys';
import { ensureTokens } from '../src/authtoken/token-store';

describe('keys', () => {
  it('makes DRF keys of 40 hex characters and login tokens of the prefix and 64 hex characters, all distinct', () => {
    const keys = new Set(Array.from({ length: 200 }, generateKey));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(isDrfKey(key) && !isLoginToken(key)).toBe(true);
    const tokens = Array.from({ length: 200 }, () => generateLoginToken('acme_'));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(200);
    for (const { token, tokenKey, digest } of tokens) {
      expect(token).toMatch(/^acme_[0-9a-f]{64}$/);
      expect(isLoginToken(token) && !isDrfKey(token)).toBe(true);
      expect(tokenKey).toBe(token.slice(0, 15));
      expect(digest).toBe(createHash('sha512').update(token).digest('hex'));
    }
    expect(generateLoginToken('').token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells shapes apart without a database: neither kind passes for the other, nothing else passes', () => {
    for (const key of ['', 'a'.repeat(39), 'A'.repeat(40), 'g'.repeat(64), 'a'.repeat(63), 'toolongprefix' + 'a'.repeat(64), 'ac me' + 'a'.repeat(64)]) {
      expect([key, isDrfKey(key) || isLoginToken(key)]).toEqual([key, false]);
    }
    expect(tokenKeyOf('abc')).toBe('abc');
  });

  it('compares digests in constant time, and never equal across lengths', () => {
    const digest = digestOf('some token');
    expect(digestsMatch(digest, digestOf('some token'))).toBe(true);
    expect(digestsMatch(digest, digestOf('some tokeN'))).toBe(false);
    expect(digestsMatch(digest, digest.slice(0, -1))).toBe(false);
  });
});

describe('ensureTokens', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('works through the users batch by batch, and keeps every existing token', async () => {
    const kept = await makeUser(server.orm, { username: 'batch-kept' });
    const keptKey = await tokenOf(server.orm, kept.id);
    await server.orm.em
      .getConnection()
      .execute(`insert into auth_user (username, email, password) select 'batch-' || i, 'b' || i || '@example.com', 'x' from generate_series(1, 23) i`);
    expect(await ensureTokens(server.orm.em.fork(), 5)).toBe(23);
    const [{ missing, distinct }] = await server.orm.em.getConnection().execute<{ missing: number; distinct: number }[]>(
      `select (select count(*)::int from auth_user u where not exists (select 1 from authtoken_token t where t.user_id = u.id)) as missing,
              (select count(distinct key)::int from authtoken_token) = (select count(*)::int from authtoken_token) as distinct`,
    );
    expect(missing).toBe(0);
    expect(distinct).toBe(true);
    expect(await tokenOf(server.orm, kept.id)).toBe(keptKey);
    expect(await ensureTokens(server.orm.em.fork(), 5)).toBe(0);
  });
});
