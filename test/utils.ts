/**
 * Shared test helpers. Every test file gets its own database, copied from the migrated template, and can
 * serve the real app over real HTTP on a free port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { inject } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createApp, type App } from '../src/app';
import { withDatabase } from '../src/database/database';
import { initOrm } from '../src/database/orm';
import { loadSettings, type Settings } from '../src/settings';
import { bcryptSha256Policy } from '../src/users/passwords';
import { createUser as createUserWithService, type UserFlags } from '../src/users/user.service';
import type { User } from '../src/users/user.entity';

/** Creates a fresh, migrated database for one test file and returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `authtoken_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${inject('templateDatabase')}`);
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

/** Settings as a test server uses them: cheap bcrypt, test environment, overridable per test. */
export function testSettings(env: Record<string, string> = {}): Settings {
  // PASSWORD_RATE off: a test file makes more registrations and logins from one address than a person would;
  // the throttle's own tests (test/password-throttle.test.ts) turn it on. SUDO_MAX_AGE off: most tests call
  // staff writes with tokens made straight in the database; sudo mode's own tests (test/sudo.test.ts) turn it on.
  return loadSettings({ NODE_ENV: 'test', BCRYPT_ROUNDS: '4', PASSWORD_RATE: '0', SUDO_MAX_AGE: '0', ...env });
}

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[] };
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  /** Sent as `Authorization: <keyword> <token>`. */
  token?: string;
  /** A raw Authorization header, sent as is. */
  authorization?: string;
  headers?: Record<string, string>;
}

export interface TestServer {
  orm: MikroORM;
  app: App;
  settings: Settings;
  databaseUrl: string;
  baseUrl: string;
  /** ws://.../graphql, for the graphql-ws client. */
  wsUrl: string;
  graphql<T = any>(query: string, options?: RequestOptions): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/**
 * The real app over real HTTP, on its own database: a fresh copy of the migrated template, or the
 * already-prepared database at `options.databaseUrl` (a Django project's, say).
 */
export async function startTestServer(env: Record<string, string> = {}, options: { databaseUrl?: string } = {}): Promise<TestServer> {
  const settings = testSettings(env);
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const orm = await initOrm(databaseUrl, { poolSize: 4 });
  const app = await createApp({ orm, settings });
  const server = http.createServer(app.express);
  app.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function graphql<T>(query: string, options: RequestOptions = {}): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.token !== undefined) headers.authorization = `${settings.tokens.keyword} ${options.token}`;
    if (options.authorization !== undefined) headers.authorization = options.authorization;
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables: options.variables }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<T>["body"] };
  }

  return {
    orm,
    app,
    settings,
    databaseUrl,
    baseUrl,
    wsUrl: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    graphql,
    async close() {
      server.closeAllConnections();
      const closed = new Promise((resolve) => server.close(resolve));
      await app.closeSockets(0);
      await closed;
      await app.stop();
      await orm.close();
    },
  };
}

let counter = 0;

/** A user created through the ORM (so the subscriber gives it a token), with a known password. */
export async function makeUser(
  orm: MikroORM,
  overrides: Partial<{ username: string; email: string; password: string }> & UserFlags = {},
): Promise<User> {
  counter += 1;
  const { isStaff, isSuperuser, isActive, ...fields } = overrides;
  return createUserWithService(
    orm.em.fork(),
    { username: `user${counter}`, email: `user${counter}@example.com`, password: 'correct horse', ...fields },
    bcryptSha256Policy(4),
    { isStaff, isSuperuser, isActive },
  );
}

/** The key of a user's token, straight from the table. */
export async function tokenOf(orm: MikroORM, userId: number): Promise<string | undefined> {
  const rows = await orm.em.getConnection().execute<{ key: string }[]>(
    'select key from authtoken_token where user_id = ?',
    [userId],
  );
  return rows[0]?.key;
}

/** Counts the SQL statements the ORM sends while `fn` runs (DRF's assertNumQueries). */
export async function countQueries<T>(orm: MikroORM, fn: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  // Counted where statements leave for PostgreSQL, pg's Client.query, so that the ORM, knex and the raw
  // hot-path reads (src/database/sql.ts) are all seen. Pool set-up statements would count too; the pool
  // is warmed first so that none land inside `fn`.
  await orm.em.getConnection().execute('select 1');
  // The pg the ORM's pool really uses (MikroORM brings its own copy).
  const driver: typeof Client = orm.em.getConnection().getKnex().client.driver.Client;
  const queries: string[] = [];
  const original = driver.prototype.query;
  driver.prototype.query = function (this: Client, config: unknown, ...rest: unknown[]) {
    queries.push(typeof config === 'string' ? config : (config as { text: string }).text);
    return (original as (...args: unknown[]) => unknown).call(this, config, ...rest);
  } as typeof original;
  try {
    return { result: await fn(), queries };
  } finally {
    driver.prototype.query = original;
  }
}
