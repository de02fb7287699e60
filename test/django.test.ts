/**
 * Beside a real Django project (DJANGO_DATABASE=true): Django's own `migrate` makes the schema in an empty
 * database, Django makes users and DRF tokens, then this server starts on that database. Needs Debian's
 * python3-django, python3-djangorestframework, python3-psycopg2 (and python3-bcrypt, python3-argon2 for those
 * formats), which .ci/run installs; skipped with a warning when they are missing. Django is called through
 * /usr/bin/python3: a python3 earlier on PATH (pyenv, a virtualenv) does not see Debian's packages.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createUserToken, UnknownUser } from '../src/authtoken/create-user-token';
import { main } from '../src/commands';
import { withDatabase, prepareDatabase } from '../src/database/database';
import { startTestServer, testSettings, type TestServer } from './utils';

const PYTHON = '/usr/bin/python3';
const available =
  fs.existsSync(PYTHON) &&
  spawnSync(PYTHON, ['-c', 'import django, rest_framework, psycopg2, bcrypt, argon2'], { stdio: 'ignore' }).status === 0;
if (!available) {
  console.warn(
    [
      '',
      '#'.repeat(100),
      '#  SKIPPED: the Django tests (test/django.test.ts).',
      `#  ${PYTHON} cannot import django, rest_framework, psycopg2, bcrypt and argon2. Install Debian's`,
      '#  python3-django python3-djangorestframework python3-psycopg2 python3-bcrypt python3-argon2 (.ci/run does).',
      '#'.repeat(100),
      '',
    ].join('\n'),
  );
}

const LOGIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token userId email } }';
const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { id username } }';
const LOGIN_TOKEN = 'mutation ($u: String!, $p: String!, $n: String) { login(username: $u, password: $p, name: $n) { token tokenId user { username } } }';
const CHANGE_PASSWORD = 'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
const BAD_CREDENTIALS = 'Unable to log in with provided credentials.';

type Op = Record<string, unknown> & { op: string };

/** A Django project in a temporary directory, on its own empty database, served by one Python process. */
class DjangoProject {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authtoken-django-'));
  private process: ChildProcessWithoutNullStreams | undefined;
  private pending: { resolve(results: any[]): void; reject(error: Error): void }[] = [];
  private buffered = '';
  private stderr = '';

  constructor(
    readonly databaseUrl: string,
    hashers: string[] | undefined,
    /** django.contrib.admin too (its django_admin_log), with the checks that want a full web stack silenced. */
    admin = false,
  ) {
    const url = new URL(databaseUrl);
    const settings = [
      'SECRET_KEY = "graphql-authtoken tests"',
      'USE_TZ = True',
      'DEFAULT_AUTO_FIELD = "django.db.models.AutoField"',
      `INSTALLED_APPS = [${admin ? '"django.contrib.admin", ' : ''}"django.contrib.auth", "django.contrib.contenttypes", "rest_framework", "rest_framework.authtoken"]`,
      ...(admin ? ['SILENCED_SYSTEM_CHECKS = ["admin.E403", "admin.E406", "admin.E408", "admin.E409", "admin.E410"]'] : []),
      `DATABASES = {"default": ${JSON.stringify({
        ENGINE: 'django.db.backends.postgresql',
        NAME: url.pathname.slice(1),
        USER: decodeURIComponent(url.username),
        PASSWORD: decodeURIComponent(url.password),
        HOST: url.hostname,
        PORT: url.port,
      })}}`,
      // Unset, Django's default list applies (pbkdf2_sha256 first): what a project has without a word.
      ...(hashers ? [`PASSWORD_HASHERS = ${JSON.stringify(hashers.map((name) => `django.contrib.auth.hashers.${name}`))}`] : []),
    ];
    fs.writeFileSync(path.join(this.dir, 'project_settings.py'), `${settings.join('\n')}\n`);
    fs.copyFileSync(path.join(__dirname, 'django', 'django_ops.py'), path.join(this.dir, 'django_ops.py'));
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = spawn(PYTHON, [path.join(this.dir, 'django_ops.py')], {
      env: { PATH: process.env.PATH, DJANGO_SETTINGS_MODULE: 'project_settings', PYTHONPATH: this.dir },
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffered += chunk;
      let newline;
      while ((newline = this.buffered.indexOf('\n')) >= 0) {
        const answer = JSON.parse(this.buffered.slice(0, newline));
        this.buffered = this.buffered.slice(newline + 1);
        const waiter = this.pending.shift()!;
        if (answer.error) waiter.reject(new Error(`Django failed:\n${answer.error}`));
        else waiter.resolve(answer.results);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.splice(0)) waiter.reject(new Error(`Django exited with ${code}:\n${this.stderr}`));
      this.process = undefined;
    });
    return child;
  }

  /** Runs operations in the project's Django process; answers their results in order. */
  run(ops: Op[]): Promise<any[]> {
    this.process ??= this.start();
    const child = this.process;
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      child.stdin.write(`${JSON.stringify(ops)}\n`);
    });
  }

  async one(op: Op): Promise<any> {
    return (await this.run([op]))[0];
  }

  async remove(): Promise<void> {
    const child = this.process;
    if (child) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A management command run in this process, as `npm run manage` runs it. */
async function manage(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await main(argv, { stdout, stderr, stdin: new PassThrough(), env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env } });
  return { code, stdout: out, stderr: err };
}

/** An empty database (not the migrated template) on the test server, named so the test run drops it. */
async function createEmptyDatabase(): Promise<string> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `authtoken_test_django_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

/** Everything PostgreSQL knows about the shape of Django's two tables: columns, defaults, constraints, indexes. */
async function djangoSchema(databaseUrl: string): Promise<unknown> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const columns = await client.query(
      `select table_name, column_name, data_type, character_maximum_length, is_nullable, column_default, is_identity
         from information_schema.columns where table_name in ('auth_user', 'authtoken_token') order by table_name, column_name`,
    );
    const constraints = await client.query(
      `select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as definition
         from pg_constraint where conrelid in ('auth_user'::regclass, 'authtoken_token'::regclass) order by 1, 2`,
    );
    const indexes = await client.query(
      `select tablename, indexname, indexdef from pg_indexes
        where tablename in ('auth_user', 'authtoken_token') and indexname not like 'authtoken_token_created_key_index'
        order by 1, 2`,
    );
    return { columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows };
  } finally {
    await client.end();
  }
}

const modes: [string, { hashers: string[] | undefined; prefix: RegExp; others: [string, string][] }][] = [
  [
    'bcrypt_sha256',
    {
      // A project that lists BCryptSHA256PasswordHasher first, as this mode asks.
      hashers: ['BCryptSHA256PasswordHasher', 'PBKDF2PasswordHasher', 'PBKDF2SHA1PasswordHasher', 'Argon2PasswordHasher', 'BCryptPasswordHasher'],
      prefix: /^bcrypt_sha256\$\$2b\$04\$/,
      others: [
        ['pbkdf2_sha256', 'pbkdf2_sha256'],
        ['pbkdf2_sha1', 'pbkdf2_sha1'],
        ['argon2', 'argon2'],
        ['bcrypt', 'bcrypt'],
      ],
    },
  ],
  [
    'pbkdf2_sha256',
    {
      // Django's default PASSWORD_HASHERS: nothing to configure in the project.
      hashers: undefined,
      prefix: /^pbkdf2_sha256\$1000\$[A-Za-z0-9]{22}\$/,
      others: [
        ['pbkdf2_sha1', 'pbkdf2_sha1'],
        ['argon2', 'argon2'],
        ['bcrypt_sha256', 'bcrypt_sha256'],
      ],
    },
  ],
];

for (const [hasher, mode] of modes) {
  describe.skipIf(!available)(`beside a Django project (DJANGO_DATABASE=true, PASSWORD_HASHER=${hasher})`, () => {
    let django: DjangoProject;
    let server: TestServer;
    let databaseUrl: string;
    let schemaBefore: unknown;
    let aliceToken: string;
    const login = (u: string, p: string) => server.graphql(LOGIN, { variables: { u, p } });

    beforeAll(async () => {
      databaseUrl = await createEmptyDatabase();
      django = new DjangoProject(databaseUrl, mode.hashers);
      const results = await django.run([
        { op: 'migrate' },
        { op: 'create_user', username: 'alice', email: 'alice@example.com', password: 'alice in django' },
        { op: 'create_token', username: 'alice' },
        { op: 'create_user', username: 'Carol', email: 'carol@example.com', password: 'carol in django' },
        { op: 'create_user', username: 'ghost', password: 'ghost in django', unusable: true },
        { op: 'create_user', username: 'retired', password: 'retired in django', active: false },
        ...mode.others.map(([name, djangoHasher]) => ({
          op: 'create_user',
          username: `user_${name}`,
          password: `${name} password`,
          hasher: djangoHasher,
          // Lighter than Django's defaults, so the suite stays quick; the format is the same.
          params: djangoHasher === 'argon2' ? { memory_cost: 1024, time_cost: 1, parallelism: 1 } : {},
        })),
      ]);
      aliceToken = results[2];
      schemaBefore = await djangoSchema(databaseUrl);

      // The real start-up path: the mode check, then this server's migrations around Django's tables.
      const settings = testSettings({ DATABASE_URL: databaseUrl, DJANGO_DATABASE: 'true' });
      const prepared = await prepareDatabase(settings);
      expect(prepared.applied.length).toBeGreaterThan(0);
      server = await startTestServer(
        { DJANGO_DATABASE: 'true', PASSWORD_HASHER: hasher, PBKDF2_ITERATIONS: '1000', LOGIN_FAILURE_LIMIT: '100' },
        { databaseUrl },
      );
    }, 180_000);

    afterAll(async () => {
      await server?.close();
      await django?.remove();
    });

    it("leaves Django's auth_user and authtoken_token exactly as Django made them", async () => {
      expect(await djangoSchema(databaseUrl)).toEqual(schemaBefore);
      // Only Django's own tables reference them: a foreign key from one of this server's would stop Django's flush.
      const referencing = await server.orm.em
        .getConnection()
        .execute<{ name: string }[]>(
          `select distinct conrelid::regclass::text as name from pg_constraint
            where contype = 'f' and confrelid in ('auth_user'::regclass, 'authtoken_token'::regclass) order by 1`,
        );
      expect(referencing.map((row) => row.name)).toEqual(['auth_user_groups', 'auth_user_user_permissions', 'authtoken_token']);
    });

    it('logs a Django user in, answering the DRF token Django made', async () => {
      const response = await login('alice', 'alice in django');
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.obtainAuthToken).toMatchObject({ token: aliceToken, email: 'alice@example.com' });
    });

    it('authenticates a DRF token made by Django, in one query as ever', async () => {
      const me = await server.graphql('{ me { username email } }', { token: aliceToken });
      expect(me.status).toBe(200);
      expect(me.body.data.me).toEqual({ username: 'alice', email: 'alice@example.com' });
    });

    for (const [name] of mode.others) {
      it(`logs in a user whose Django password is ${name}, re-hashes it as ${hasher}, and Django still accepts it`, async () => {
        const username = `user_${name}`;
        expect(await django.one({ op: 'password', username })).toMatch(new RegExp(`^${name}\\$`));
        expect((await login(username, `${name} passworD`)).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
        const response = await login(username, `${name} password`);
        expect(response.body.errors).toBeUndefined();
        const [stored, accepted, refused] = await django.run([
          { op: 'password', username },
          { op: 'check_password', username, password: `${name} password` },
          { op: 'authenticate', username, password: 'not it' },
        ]);
        expect(stored).toMatch(mode.prefix);
        expect(accepted).toBe(true);
        expect(refused).toBeNull();
        // And once more here, now from the re-hashed value.
        expect((await login(username, `${name} password`)).body.errors).toBeUndefined();
      });
    }

    it("refuses Django's unusable password and an inactive user with the one DRF message", async () => {
      for (const [username, password] of [
        ['ghost', 'ghost in django'],
        ['ghost', ''],
        ['retired', 'retired in django'],
      ]) {
        const response = await login(username, password);
        expect(response.body.data).toBeNull();
        expect(response.body.errors?.[0].message).toMatch(password ? BAD_CREDENTIALS : /Must include/);
      }
      expect(await django.one({ op: 'password', username: 'retired' })).toMatch(/^pbkdf2_sha256\$|^bcrypt_sha256\$/);
    });

    it("matches usernames exactly, as Django's ModelBackend does", async () => {
      expect((await login('carol', 'carol in django')).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
      expect((await login('CAROL', 'carol in django')).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
      expect((await login(' Carol ', 'carol in django')).body.errors).toBeUndefined();
      // A user named "carol" is a different user in Django, and may be registered here too.
      const registered = await server.graphql(REGISTER, {
        variables: { input: { username: 'carol', email: 'other-carol@example.com', password: 'lower-case carol' } },
      });
      expect(registered.body.errors).toBeUndefined();
      const [carols, lower, upper] = await django.run([
        { op: 'usernames' },
        { op: 'authenticate', username: 'carol', password: 'lower-case carol' },
        { op: 'authenticate', username: 'Carol', password: 'carol in django' },
      ]);
      expect(carols.filter((name: string) => name.toLowerCase() === 'carol')).toEqual(['Carol', 'carol']);
      expect([lower, upper]).toEqual(['carol', 'Carol']);
      // The same exact name twice is refused by Django's own unique constraint.
      const again = await server.graphql(REGISTER, {
        variables: { input: { username: 'carol', email: 'third@example.com', password: 'third carol' } },
      });
      expect(again.body.errors?.[0].message).toBe('username: A user with that username already exists.');
    });

    it('finds users for create-token and the admin createToken exactly too', async () => {
      // "carol" was registered here beside Django's "Carol" (the test above).
      const carol = await createUserToken(server.orm.em.fork(), 'carol', false, true);
      expect([carol.user.username, carol.user.email]).toEqual(['carol', 'other-carol@example.com']);
      await expect(createUserToken(server.orm.em.fork(), 'CAROL', false, true)).rejects.toBeInstanceOf(UnknownUser);
      expect(await django.one({ op: 'token_user', key: carol.key })).toBe('carol');
    });

    it("registers a user Django's check_password accepts, with a token DRF's Token model finds", async () => {
      const registered = await server.graphql(REGISTER, {
        variables: { input: { username: 'dave', email: 'dave@example.com', password: 'a password longer than seventy-two bytes, which bcrypt alone would cut short!' } },
      });
      expect(registered.body.errors).toBeUndefined();
      const issued = (await login('dave', 'a password longer than seventy-two bytes, which bcrypt alone would cut short!')).body.data.obtainAuthToken;
      const [stored, accepted, truncated, tokenUser] = await django.run([
        { op: 'password', username: 'dave' },
        { op: 'check_password', username: 'dave', password: 'a password longer than seventy-two bytes, which bcrypt alone would cut short!' },
        { op: 'check_password', username: 'dave', password: 'a password longer than seventy-two bytes, which bcrypt alone would cut sho' },
        { op: 'token_user', key: issued.token },
      ]);
      expect(stored).toMatch(mode.prefix);
      expect(accepted).toBe(true);
      expect(truncated).toBe(false);
      expect(tokenUser).toBe('dave');
    });

    it('creates a token for a Django user who had none, which DRF then finds', async () => {
      const issued = (await login('Carol', 'carol in django')).body.data.obtainAuthToken;
      expect(await django.one({ op: 'token_user', key: issued.token })).toBe('Carol');
      const me = await server.graphql('{ me { username } }', { token: issued.token });
      expect(me.body.data.me.username).toBe('Carol');
    });

    it('logs a Django user in with login (exactly matched), and the login token authenticates', async () => {
      const loginWith = (u: string) => server.graphql(LOGIN_TOKEN, { variables: { u, p: 'carol in django', n: 'Django phone' } });
      expect((await loginWith('CAROL')).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
      const response = await loginWith('Carol');
      expect(response.body.errors).toBeUndefined();
      const issued = response.body.data.login;
      expect(issued.user).toEqual({ username: 'Carol' });
      const me = await server.graphql('{ me { username } myTokens { id name current } tokenInfo { kind } }', { token: issued.token });
      expect(me.status).toBe(200);
      expect(me.body.data).toEqual({
        me: { username: 'Carol' },
        myTokens: [{ id: issued.tokenId, name: 'Django phone', current: true }],
        tokenInfo: { kind: 'LOGIN' },
      });
    });

    it("changes a Django user's password through the one credentials check, in a format Django accepts", async () => {
      await django.one({ op: 'create_user', username: 'Erin', email: 'erin@example.com', password: 'erin in django' });
      const device = (await server.graphql(LOGIN_TOKEN, { variables: { u: 'Erin', p: 'erin in django' } })).body.data.login;
      const other = (await server.graphql(LOGIN_TOKEN, { variables: { u: 'Erin', p: 'erin in django' } })).body.data.login;
      const wrong = await server.graphql(CHANGE_PASSWORD, { token: device.token, variables: { c: 'erin in DJANGO', n: 'erin changed here' } });
      expect(wrong.body.errors?.[0].message).toBe('currentPassword: Your old password was entered incorrectly. Please enter it again.');
      const changed = await server.graphql(CHANGE_PASSWORD, { token: device.token, variables: { c: 'erin in django', n: 'erin changed here' } });
      expect(changed.body).toEqual({ data: { changePassword: true } });
      const [stored, accepted, old] = await django.run([
        { op: 'password', username: 'Erin' },
        { op: 'check_password', username: 'Erin', password: 'erin changed here' },
        { op: 'check_password', username: 'Erin', password: 'erin in django' },
      ]);
      expect(stored).toMatch(mode.prefix);
      expect([accepted, old]).toEqual([true, false]);
      expect((await server.graphql('{ me { username } }', { token: device.token })).status).toBe(200);
      expect((await server.graphql('{ me { username } }', { token: other.token })).status).toBe(401);
    });

    it("keeps the admin search table in step with Django's writes (inserts, tokens, renames)", async () => {
      const search = () =>
        server.orm.em
          .getConnection()
          .execute<{ username: string; text: string; has_token: boolean }[]>(
            `select u.username, s.text, s.has_token from auth_user u join auth_user_search s on s.user_id = u.id
              where u.username in ('retired', 'pensioner', 'ghost') order by u.username`,
          );
      expect(await search()).toEqual([
        { username: 'ghost', text: 'ghost\n', has_token: false },
        { username: 'retired', text: 'retired\n', has_token: false },
      ]);
      await django.run([
        { op: 'rename', username: 'retired', to: 'pensioner' },
        { op: 'create_token', username: 'ghost' },
      ]);
      expect(await search()).toEqual([
        { username: 'ghost', text: 'ghost\n', has_token: true },
        { username: 'pensioner', text: 'pensioner\n', has_token: false },
      ]);
      await django.run([{ op: 'rename', username: 'pensioner', to: 'retired' }]);
    });

    it('counts failed logins in its own table there', async () => {
      const [row] = await server.orm.em
        .getConnection()
        .execute<{ n: number }[]>("select count(*)::int as n from authtoken_login_failure where ident like '%|ghost'");
      expect(row.n).toBeGreaterThan(0);
    });

    it('lets Django delete a user with a token, and the admin search forgets the user', async () => {
      const issued = (await login('alice', 'alice in django')).body.data.obtainAuthToken;
      expect(await django.one({ op: 'delete_user', username: 'alice' })).toBe(true);
      const me = await server.graphql('{ me { username } }', { token: issued.token });
      expect(me.status).toBe(401);
      const [row] = await server.orm.em
        .getConnection()
        .execute<{ n: number }[]>('select count(*)::int as n from auth_user_search where user_id = ?', [issued.userId]);
      expect(row.n).toBe(0);
    });

    it("lets Django delete a user with login tokens, which go with the user (no foreign key: a trigger)", async () => {
      await django.one({ op: 'create_user', username: 'frank', password: 'frank in django' });
      const tokens: { token: string; tokenId: string }[] = [];
      for (const name of ['laptop', 'phone']) {
        tokens.push((await server.graphql(LOGIN_TOKEN, { variables: { u: 'frank', p: 'frank in django', n: name } })).body.data.login);
      }
      const rows = async () =>
        (
          await server.orm.em
            .getConnection()
            .execute<{ n: number }[]>('select count(*)::int as n from authtoken_login_token where id in (?, ?)', tokens.map((t) => t.tokenId))
        )[0].n;
      expect(await rows()).toBe(2);
      expect(await django.one({ op: 'delete_user', username: 'frank' })).toBe(true);
      expect(await rows()).toBe(0);
      for (const { token } of tokens) expect((await server.graphql('{ me { username } }', { token })).status).toBe(401);
    });

    it("still passes Django's own migrate and check afterwards, with the schema unchanged", async () => {
      const [migrated, checked] = await django.run([{ op: 'migrate' }, { op: 'check' }]);
      expect(migrated).toContain('No migrations to apply.');
      expect(checked).toContain('System check identified no issues');
      expect(await djangoSchema(databaseUrl)).toEqual(schemaBefore);
    });

    it("lets Django's flush empty the tables (TRUNCATE), and the admin search and login-token tables follow", async () => {
      const connection = server.orm.em.getConnection();
      const count = async (table: string) => (await connection.execute<{ n: number }[]>(`select count(*)::int as n from ${table}`))[0].n;
      const device = (await server.graphql(LOGIN_TOKEN, { variables: { u: 'Carol', p: 'carol in django' } })).body.data.login;
      expect(await count('auth_user_search')).toBeGreaterThan(0);
      expect(await count('authtoken_login_token')).toBeGreaterThan(0);
      expect(await django.one({ op: 'flush' })).toBe(true);
      expect(await count('auth_user_search')).toBe(0);
      expect(await count('authtoken_login_token')).toBe(0);
      expect((await server.graphql('{ me { username } }', { token: device.token })).status).toBe(401);
      expect(await django.one({ op: 'usernames' })).toEqual([]);
      expect((await login('Carol', 'carol in django')).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
    });
  });
}

describe.skipIf(!available)('DJANGO_DATABASE and the database must agree', () => {
  it('refuses DJANGO_DATABASE=true on a database Django has not migrated, creating nothing', async () => {
    const url = await createEmptyDatabase();
    const reason =
      /DJANGO_DATABASE=true, but Django has not migrated this database \(missing auth\.0012_alter_user_first_name_max_length, authtoken\.0001_initial\): run the Django project's `python manage\.py migrate` first/;
    await expect(prepareDatabase(testSettings({ DATABASE_URL: url, DJANGO_DATABASE: 'true' }))).rejects.toThrow(reason);
    const migrate = await manage(['migrate'], { DATABASE_URL: url, DJANGO_DATABASE: 'true' });
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toMatch(reason);
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(`select count(*)::int as n from pg_tables where schemaname = 'public'`);
    await client.end();
    expect(rows[0].n).toBe(0);
  });

  it("refuses the default mode on a Django project's database, leaving it alone", async () => {
    const url = await createEmptyDatabase();
    const django = new DjangoProject(url, undefined);
    try {
      await django.run([{ op: 'migrate' }]);
      const before = await djangoSchema(url);
      await expect(prepareDatabase(testSettings({ DATABASE_URL: url }))).rejects.toThrow(
        /this is a Django project's database \(django_migrations records the auth app\): set DJANGO_DATABASE=true/,
      );
      expect(await djangoSchema(url)).toEqual(before);
      // `manage migrate` says the same, without a stack, and exits 1.
      const migrate = await manage(['migrate'], { DATABASE_URL: url });
      expect(migrate).toEqual({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(/^Cannot migrate: this is a Django project's database .*set DJANGO_DATABASE=true.*\n$/),
      });
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(`select to_regclass('mikro_orm_migrations') is null as untouched`);
      await client.end();
      expect(rows[0].untouched).toBe(true);
    } finally {
      await django.remove();
    }
  }, 120_000);
});

describe.skipIf(!available)("beside a Django project with its admin (django_admin_log)", () => {
  let django: DjangoProject;
  let server: TestServer;
  let staffKey: string;

  beforeAll(async () => {
    const databaseUrl = await createEmptyDatabase();
    django = new DjangoProject(databaseUrl, undefined, true);
    await django.run([
      { op: 'migrate' },
      { op: 'create_user', username: 'boss', email: 'boss@example.com', password: 'boss in django' },
      { op: 'create_user', username: 'dora', email: 'dora@example.com', password: 'dora in django' },
    ]);
    await prepareDatabase(testSettings({ DATABASE_URL: databaseUrl, DJANGO_DATABASE: 'true' }));
    server = await startTestServer({ DJANGO_DATABASE: 'true', PASSWORD_HASHER: 'pbkdf2_sha256', PBKDF2_ITERATIONS: '1000' }, { databaseUrl });
    await server.orm.em.getConnection().execute("update auth_user set is_staff = true where username = 'boss'");
    staffKey = (await server.graphql(LOGIN, { variables: { u: 'boss', p: 'boss in django' } })).body.data.obtainAuthToken.token;
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await django?.remove();
  });

  it("writes the admin API's staff writes to Django's admin log, which LogEntry reads and get_change_message() renders", async () => {
    const staff = (query: string, variables: Record<string, unknown>) => server.graphql(query, { token: staffKey, variables });
    const created = await staff('mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }', {
      input: { username: 'eve', email: 'eve@example.com', password: 'eve made by staff' },
    });
    const eveId = created.body.data.createUser.id;
    const dora = await staff('mutation { setUserActive(id: "0", active: true) { id } }', {});
    expect(dora.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const [{ id: doraId }] = await server.orm.em.getConnection().execute<{ id: number }[]>("select id from auth_user where username = 'dora'");
    expect((await staff('mutation ($id: ID!) { setUserActive(id: $id, active: false) { id } }', { id: String(doraId) })).body.errors).toBeUndefined();
    expect((await staff('mutation ($id: ID!) { setPassword(id: $id, password: "dora set by staff") }', { id: String(doraId) })).body.errors).toBeUndefined();
    const token = (await staff('mutation { createToken(username: "eve", reset: true) { key } }', {})).body.data.createToken.key;
    expect((await staff('mutation ($k: String!) { deleteToken(key: $k) }', { k: token })).body.data.deleteToken).toBe(true);
    // A refused write (a missing token) logs nothing.
    expect((await staff('mutation { deleteToken(key: "0000000000000000000000000000000000000000") }', {})).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const entries = await django.one({ op: 'admin_log', by: 'boss' });
    const eveToken = entries.find((entry: { content_type: string }) => entry.content_type === 'authtoken.token')!.object_repr;
    expect(entries).toEqual([
      { user: 'boss', content_type: 'auth.user', object_id: eveId, object_repr: 'eve', action_flag: 1, is_addition: true, is_change: false, is_deletion: false, change_message: 'Added.', str: 'Added “eve”.' },
      { user: 'boss', content_type: 'auth.user', object_id: String(doraId), object_repr: 'dora', action_flag: 2, is_addition: false, is_change: true, is_deletion: false, change_message: 'Changed Active.', str: 'Changed “dora” — Changed Active.' },
      { user: 'boss', content_type: 'auth.user', object_id: String(doraId), object_repr: 'dora', action_flag: 2, is_addition: false, is_change: true, is_deletion: false, change_message: 'Changed password.', str: 'Changed “dora” — Changed password.' },
      expect.objectContaining({ content_type: 'authtoken.token', object_id: eveId, action_flag: 3, change_message: '' }),
      { user: 'boss', content_type: 'authtoken.token', object_id: eveId, object_repr: token.slice(0, 15), action_flag: 1, is_addition: true, is_change: false, is_deletion: false, change_message: 'Added.', str: `Added “${token.slice(0, 15)}”.` },
      { user: 'boss', content_type: 'authtoken.token', object_id: eveId, object_repr: token.slice(0, 15), action_flag: 3, is_addition: false, is_change: false, is_deletion: true, change_message: '', str: `Deleted “${token.slice(0, 15)}.”` },
    ]);
    // The replaced key is named by its prefix too: no key in Django's log.
    expect(eveToken).toHaveLength(15);
    const log = JSON.stringify(entries);
    for (const secret of [token, staffKey, 'eve made by staff', 'dora set by staff']) expect(log).not.toContain(secret);
  });
});
