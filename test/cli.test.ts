import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, makeUser, tokenOf } from './utils';
import { CLI, runNodeProcess, SERVER, startNodeProcess, type NodeProcess, type Run } from './server-process';
import { initOrm } from '../src/database/orm';
import { createUserToken, UnknownUser } from '../src/authtoken/create-user-token';
import { ensureTokens } from '../src/authtoken/token-store';
import { createSuperuser } from '../src/commands/createsuperuser';
import { bcryptSha256Policy } from '../src/users/passwords';
import { commands, main } from '../src/commands';
import { runningEmbeddedUrl } from '../src/commands/database';
import { embeddedUrl, readPostmasterPid } from '../src/database/embedded';
import { ValidationError } from '../src/errors';
import { migrationsList } from '../src/migrations';

/** What `migrate` prints on an empty database: every migration, in order, by name. */
const APPLIED_LINES = migrationsList.map(({ name }) => `Applied ${name}`);


let databaseUrl: string;
let orm: MikroORM;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  orm = await initOrm(databaseUrl, { poolSize: 2 });
});
afterAll(() => orm.close());

/** The environment of a command run by an operator: no database settings but the ones a test gives. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !['DATABASE_URL', 'DATA_DIR', 'SUPERUSER_PASSWORD'].includes(name)) env[name] = value;
  }
  return { ...env, BCRYPT_ROUNDS: '4', LOG_LEVEL: 'error', ...extra };
}

/** Runs `node dist/src/cli.js <args>` as a real process, stdin closed (not a terminal). */
function manage(args: string[], extra: Record<string, string> = { DATABASE_URL: '' }): Promise<Run> {
  return runNodeProcess([CLI, ...args], baseEnv(extra.DATABASE_URL === '' ? { ...extra, DATABASE_URL: databaseUrl } : extra));
}

/** Runs a command in-process through main(), with captured streams. */
async function inProcess(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await main(argv, { stdout, stderr, stdin: new PassThrough(), env: baseEnv(env) });
  return { code, stdout: out, stderr: err };
}

async function keyOf(username: string): Promise<string | undefined> {
  const rows = await orm.em
    .getConnection()
    .execute<{ key: string }[]>('select t.key from authtoken_token t join auth_user u on u.id = t.user_id where u.username = ?', [username]);
  return rows[0]?.key;
}

describe('the functions behind the commands', () => {
  it("createUserToken returns the user's existing token", async () => {
    const user = await makeUser(orm, { username: 'fn-existing' });
    const token = await createUserToken(orm.em.fork(), 'fn-existing');
    expect(token.key).toBe(await tokenOf(orm, user.id));
    expect(token.user.username).toBe('fn-existing');
  });

  it('createUserToken with reset replaces the key', async () => {
    const user = await makeUser(orm, { username: 'fn-reset' });
    const before = await tokenOf(orm, user.id);
    const token = await createUserToken(orm.em.fork(), 'FN-RESET', true);
    expect(token.key).not.toBe(before);
    expect(await tokenOf(orm, user.id)).toBe(token.key);
  });

  it('createUserToken creates a token for a user without one', async () => {
    const user = await makeUser(orm, { username: 'fn-none' });
    await orm.em.getConnection().execute('delete from authtoken_token where user_id = ?', [user.id]);
    const token = await createUserToken(orm.em.fork(), 'fn-none');
    expect(token.key).toMatch(/^[0-9a-f]{40}$/);
    expect(await tokenOf(orm, user.id)).toBe(token.key);
  });

  it('createUserToken refuses an unknown user with DRF’s message', async () => {
    const failure = createUserToken(orm.em.fork(), 'fn-ghost');
    await expect(failure).rejects.toBeInstanceOf(UnknownUser);
    await expect(failure).rejects.toThrow(/^Cannot create the Token: user fn-ghost does not exist$/);
  });

  it('ensureTokens gives each user without a token one, leaves the others, and is safe to run twice', async () => {
    const kept = await makeUser(orm, { username: 'fn-kept' });
    const keptKey = await tokenOf(orm, kept.id);
    await orm.em
      .getConnection()
      .execute(`insert into auth_user (username, email, password) values ('fn-raw-1', 'r1@example.com', 'x'), ('fn-raw-2', 'r2@example.com', 'x')`);
    const first = await ensureTokens(orm.em.fork());
    expect(first).toBeGreaterThanOrEqual(2);
    const keys = [await keyOf('fn-raw-1'), await keyOf('fn-raw-2')];
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{40}$/);
    expect(keys[0]).not.toBe(keys[1]);
    expect(await tokenOf(orm, kept.id)).toBe(keptKey);
    expect(await ensureTokens(orm.em.fork())).toBe(0);
    const [{ missing }] = await orm.em
      .getConnection()
      .execute<{ missing: number }[]>('select count(*)::int as missing from auth_user u where not exists (select 1 from authtoken_token t where t.user_id = u.id)');
    expect(missing).toBe(0);
  });

  it('ensureTokens run concurrently creates each token once', async () => {
    await orm.em
      .getConnection()
      .execute(`insert into auth_user (username, email, password) select 'fn-many-' || i, 'm' || i || '@example.com', 'x' from generate_series(1, 200) i`);
    const counts = await Promise.all([ensureTokens(orm.em.fork()), ensureTokens(orm.em.fork()), ensureTokens(orm.em.fork())]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(200);
  });

  it('createSuperuser makes a superuser who is staff too, with a token', async () => {
    const user = await createSuperuser(orm.em.fork(), { username: 'fn-super', email: 'super@example.com', password: 'correct horse' }, bcryptSha256Policy(4));
    expect(user).toMatchObject({ isSuperuser: true, isStaff: true, isActive: true });
    expect(await tokenOf(orm, user.id)).toMatch(/^[0-9a-f]{40}$/);
  });

  it('createSuperuser validates as register does', async () => {
    await expect(
      createSuperuser(orm.em.fork(), { username: 'fn-super-2', email: 'nope', password: 'correct horse' }, bcryptSha256Policy(4)),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      createSuperuser(orm.em.fork(), { username: 'FN-SUPER', email: 'x@example.com', password: 'correct horse' }, bcryptSha256Policy(4)),
    ).rejects.toThrow('username: A user with that username already exists.');
  });

  it('runningEmbeddedUrl ignores a missing, damaged or stale postmaster.pid, and a pid that is no postgres', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authtoken-pid-'));
    try {
      fs.writeFileSync(`${dir}.password`, 'p@ss word\n');
      expect(runningEmbeddedUrl(dir)).toBeUndefined();
      fs.writeFileSync(path.join(dir, 'postmaster.pid'), '');
      expect(readPostmasterPid(dir)).toEqual({ pid: NaN, port: NaN });
      expect(runningEmbeddedUrl(dir)).toBeUndefined();
      // A pid that cannot be alive: beyond the kernel's pid_max.
      fs.writeFileSync(path.join(dir, 'postmaster.pid'), `99999999\n${dir}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`);
      expect(readPostmasterPid(dir)).toEqual({ pid: 99999999, port: 5432 });
      expect(runningEmbeddedUrl(dir)).toBeUndefined();
      // Alive, but not a postgres (this test's own process): a pid recycled since postgres died.
      fs.writeFileSync(path.join(dir, 'postmaster.pid'), `${process.pid}\n${dir}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`);
      expect(runningEmbeddedUrl(dir)).toBeUndefined();
      // The running case, with this password in its URL, is the embedded default's test below.
      expect(embeddedUrl(5432, 'p@ss word', 'authtoken')).toBe('postgres://postgres:p%40ss%20word@127.0.0.1:5432/authtoken');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(`${dir}.password`, { force: true });
    }
  });
});

describe('argument handling (in-process)', () => {
  it('lists the commands for --help, exit 0', async () => {
    const run = await inProcess(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npm run manage -- <command> [options]');
    for (const command of ['create-access-token', 'create-token', 'createsuperuser', 'ensure-tokens', 'migrate']) expect(run.stdout).toContain(`  ${command}`);
  });

  it('prints the usage on stderr and exits 2 without a command', async () => {
    const run = await inProcess([]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('Usage: npm run manage -- <command> [options]');
  });

  it('exits 2 for an unknown command', async () => {
    const run = await inProcess(['drf_create_token']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('Unknown command: drf_create_token');
  });

  for (const command of commands) {
    it(`shows ${command.name} --help and -h, exit 0`, async () => {
      for (const flag of ['--help', '-h']) {
        const run = await inProcess([command.name, flag]);
        expect(run.code).toBe(0);
        expect(run.stdout.startsWith(`Usage: npm run manage -- ${command.name}`)).toBe(true);
      }
    });
  }

  const usageErrors: [string, string[], string][] = [
    ['create-token without a username', ['create-token'], 'The username is required.'],
    ['create-token with two usernames', ['create-token', 'a', 'b'], 'Give exactly one username.'],
    ['create-token with an unknown option', ['create-token', 'a', '--force'], "Unknown option '--force'"],
    ['create-access-token without a username', ['create-access-token', '--name', 'x'], 'The username is required.'],
    ['create-access-token without --name', ['create-access-token', 'a', '--scope', 'products:read'], '--name is required.'],
    ['create-access-token with days that are not a number', ['create-access-token', 'a', '--name', 'x', '--days', 'soon'], '--days must be a whole number of days.'],
    ['createsuperuser without --username', ['createsuperuser', '--email', 'a@example.com'], '--username is required.'],
    ['createsuperuser without --email', ['createsuperuser', '--username', 'a'], '--email is required.'],
    ['createsuperuser with --username but no value', ['createsuperuser', '--username'], "Option '--username <value>' argument missing"],
    ['ensure-tokens with an argument', ['ensure-tokens', 'all'], 'Unexpected argument: all'],
    ['migrate with an argument', ['migrate', 'zero'], 'Unexpected argument: zero'],
  ];
  for (const [name, argv, message] of usageErrors) {
    it(`exits 2 for ${name}, pointing to --help`, async () => {
      const run = await inProcess(argv);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain(`Run \`npm run manage -- ${argv[0]} --help\` for usage.`);
    });
  }

  it('refuses createsuperuser without a password when not at a terminal, exit 1', async () => {
    const run = await inProcess(['createsuperuser', '--username', 'nopass', '--email', 'nopass@example.com'], { DATABASE_URL: databaseUrl });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'No password given. Pass --password, set SUPERUSER_PASSWORD, or run the command in a terminal to be asked.\n',
    });
  });

  it('refuses a bad setting with a configuration error, exit 1', async () => {
    const run = await inProcess(['ensure-tokens'], { DATABASE_URL: databaseUrl, BCRYPT_ROUNDS: '99' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Configuration error: .*BCRYPT_ROUNDS/);
  });
});

/** A command in-process on this test's database (or `env`'s): what it prints and its exit code. */
function command(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return inProcess(args, { DATABASE_URL: databaseUrl, ...env });
}

// The commands' work, through main() in-process: only what needs a real process (the entry point's exit
// code and streams, a closed stdin, a terminal, a running server to join) starts one, below and further on.
describe('the commands on a database (in-process)', () => {
  it('create-token -r and --reset replace the token', async () => {
    const user = await makeUser(orm, { username: 'proc-bob' });
    const first = await tokenOf(orm, user.id);
    for (const flag of ['-r', '--reset']) {
      const before = await tokenOf(orm, user.id);
      const run = await command(['create-token', 'proc-bob', flag]);
      const after = await tokenOf(orm, user.id);
      expect(after).not.toBe(before);
      expect(run).toEqual({ code: 0, stdout: `Generated token ${after} for user proc-bob\n`, stderr: '' });
    }
    expect(await tokenOf(orm, user.id)).not.toBe(first);
  });

  it('create-token fails for an unknown user, exit 1', async () => {
    const run = await command(['create-token', 'proc-ghost']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'Cannot create the Token: user proc-ghost does not exist\n' });
  });

  it('create-access-token prints a working token once and stores only its digest', async () => {
    const user = await makeUser(orm, { username: 'proc-ci' });
    await makeUser(orm, { username: 'proc-ci2' }); // for the refusals below
    const run = await inProcess(['create-access-token', 'proc-ci', '--name', 'GitHub Actions', '--scope', 'products:read', '--scope', 'profile:read', '--days', '7', '--cidr', '10.0.0.0/8', '--rate', '100/minute'], { DATABASE_URL: databaseUrl });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [first, second] = run.stdout.trim().split('\n');
    const token = /^Generated access token ([0-9a-f]{64}) for user proc-ci$/.exec(first)?.[1];
    expect(token).toBeDefined();
    expect(second).toMatch(/^Id \d+; scopes profile:read products:read; expires \d{4}-\d\d-\d\dT[\d:.]+Z; networks 10\.0\.0\.0\/8; rate 100\/minute$/);
    const rows = await orm.em
      .getConnection()
      .execute<{ token_key: string; name: string; scopes: string[]; days: number }[]>(
        "select token_key, name, scopes, round(extract(epoch from expiry - created) / 86400)::int as days from authtoken_login_token where user_id = ? and kind = 'access'",
        [user.id],
      );
    expect(rows).toEqual([{ token_key: token!.slice(0, 15), name: 'GitHub Actions', scopes: ['profile:read', 'products:read'], days: 7 }]);
  });

  it.each([
    [['proc-ci2', '--name', 'x', '--scope', 'nope:read'], 'scopes: "nope:read" is not a valid choice.'],
    [['proc-ci2', '--name', 'x'], 'scopes: This list may not be empty.'],
    [['proc-ci2', '--name', 'x', '--scope', 'products:read', '--days', '0'], 'expiresInDays: Ensure this value is greater than or equal to 1.'],
    [['proc-ci2', '--name', 'x', '--scope', 'products:read', '--days', '400'], 'expiresInDays: Ensure this value is less than or equal to 366.'],
    [['proc-ci2', '--name', 'x', '--scope', 'products:read', '--cidr', '10.0.0.1/8'], 'allowedCidrs: Enter a valid IPv4 or IPv6 network.'],
    [['proc-ci2', '--name', 'x', '--scope', 'products:read', '--rate', 'lots'], 'rate: Enter a rate such as 100/minute.'],
    [['proc-ci2', '--name', 'x', '--scope', 'admin:read'], 'Requested scope exceeds your permissions.'],
    [['proc-nobody', '--name', 'x', '--scope', 'products:read'], 'Cannot create the access token: user proc-nobody does not exist'],
  ])('create-access-token %j fails with the API\'s message, exit 1, writing nothing', async (args, message) => {
    const [before] = await orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from authtoken_login_token');
    const run = await inProcess(['create-access-token', ...args], { DATABASE_URL: databaseUrl });
    expect(run).toEqual({ code: 1, stdout: '', stderr: `${message}\n` });
    const [after] = await orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from authtoken_login_token');
    expect(after.n).toBe(before.n);
  });

  it('createsuperuser takes the password from SUPERUSER_PASSWORD or --password', async () => {
    const fromEnv = await command(['createsuperuser', '--username', 'proc-root', '--email', 'root@example.com'], { SUPERUSER_PASSWORD: 'correct horse' });
    expect(fromEnv).toEqual({ code: 0, stdout: 'Superuser proc-root created.\n', stderr: '' });
    const fromFlag = await command(['createsuperuser', '--username', 'proc-root2', '--email', 'root2@example.com', '--password', 'battery staple']);
    expect(fromFlag).toEqual({ code: 0, stdout: 'Superuser proc-root2 created.\n', stderr: '' });
    const [row] = await orm.em
      .getConnection()
      .execute<{ is_staff: boolean; is_superuser: boolean }[]>("select is_staff, is_superuser from auth_user where username = 'proc-root'");
    expect(row).toEqual({ is_staff: true, is_superuser: true });
    expect(await keyOf('proc-root')).toMatch(/^[0-9a-f]{40}$/);
  });

  const refused: [string, string[], string][] = [
    ['a duplicate username', ['--username', 'PROC-ROOT', '--email', 'x@example.com', '--password', 'correct horse'], 'Error: username: A user with that username already exists.\n'],
    ['a bad email', ['--username', 'proc-x', '--email', 'nope', '--password', 'correct horse'], 'Error: email: Enter a valid email address.\n'],
    ['a short password', ['--username', 'proc-x', '--email', 'x@example.com', '--password', 'short'], 'Error: password: This password is too short. It must contain at least 8 characters.\n'],
    ['no password and no terminal', ['--username', 'proc-x', '--email', 'x@example.com'], 'No password given. Pass --password, set SUPERUSER_PASSWORD, or run the command in a terminal to be asked.\n'],
  ];
  for (const [name, args, stderr] of refused) {
    it(`createsuperuser refuses ${name}, exit 1`, async () => {
      // One case as a process (a real, closed stdin); the rest in-process, as they only differ in messages.
      const run = name.startsWith('no password') ? await manage(['createsuperuser', ...args]) : await command(['createsuperuser', ...args]);
      expect(run).toEqual({ code: 1, stdout: '', stderr });
    });
  }

  it('ensure-tokens says how many it created, then none', async () => {
    await orm.em.getConnection().execute(`insert into auth_user (username, email, password) values ('proc-raw-1', 'p1@example.com', 'x'), ('proc-raw-2', 'p2@example.com', 'x')`);
    const first = await command(['ensure-tokens']);
    expect(first).toEqual({ code: 0, stdout: 'Created 2 tokens.\n', stderr: '' });
    expect(await keyOf('proc-raw-1')).toMatch(/^[0-9a-f]{40}$/);
    const second = await command(['ensure-tokens']);
    expect(second).toEqual({ code: 0, stdout: 'Created 0 tokens.\n', stderr: '' });
  });

  it('migrate on an up-to-date database says so', async () => {
    expect(await command(['migrate'])).toEqual({ code: 0, stdout: 'No migrations to apply.\n', stderr: '' });
  });

  it('migrate creates a missing database and names each migration; other commands refuse it until then', async () => {
    const fresh = new URL(databaseUrl);
    fresh.pathname = `/${fresh.pathname.slice(1)}_fresh`;
    const env = { DATABASE_URL: fresh.toString() };
    const early = await command(['create-token', 'anyone'], env);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/^The database has \d+ unapplied migrations\. Run `npm run manage -- migrate` \(or start the server\) first\.\n$/);
    const run = await command(['migrate'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      APPLIED_LINES.map((line) => `${line}\n`).join(''),
    );
    expect(await command(['create-token', 'anyone'], env)).toMatchObject({ code: 1, stderr: 'Cannot create the Token: user anyone does not exist\n' });
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`drop database "${fresh.pathname.slice(1)}" with (force)`);
    await admin.end();
  });

  it('fails clearly when the database cannot be reached, exit 1', async () => {
    const run = await command(['ensure-tokens'], { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Cannot use the database at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: /m);
    expect(run.stderr).not.toContain('secret');
  });
});

// A process start costs a second or more on a busy machine, hence the longer timeout.
describe('the command line as a process (node dist/src/cli.js)', { timeout: 60_000 }, () => {
  it('create-token prints the existing token, exit 0', async () => {
    const user = await makeUser(orm, { username: 'proc-alice' });
    const run = await manage(['create-token', 'proc-alice']);
    expect(run).toEqual({ code: 0, stdout: `Generated token ${await tokenOf(orm, user.id)} for user proc-alice\n`, stderr: '' });
  });

  it('prints the command list for --help, and exits 2 with it on stderr without a command', async () => {
    const help = await manage(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('createsuperuser');
    const bare = await manage([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: npm run manage -- <command> [options]');
  });
});

// A real terminal: python's pty module gives the command one, so the no-echo prompt is exercised as typed.
const python = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;
const TYPE_AT_PROMPTS = `
import os, pty, sys
answers = sys.argv[1].split('|')
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
seen = b''
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    if answers and seen.rstrip().endswith(b':'):
        os.write(fd, (answers.pop(0) + '\\r').encode())
        seen += b'<typed>'
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode())
sys.exit(os.WEXITSTATUS(status))
`;

describe.skipIf(!python)('createsuperuser at a terminal', { timeout: 60_000 }, () => {
  function atTerminal(answers: string[], username: string): Run {
    const result = spawnSync(
      'python3',
      ['-c', TYPE_AT_PROMPTS, answers.join('|'), process.execPath, CLI, 'createsuperuser', '--username', username, '--email', `${username}@example.com`],
      { env: baseEnv({ DATABASE_URL: databaseUrl }), encoding: 'utf8', timeout: 50_000 },
    );
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('asks for the password twice without echoing it', async () => {
    const run = atTerminal(['tty secret 1', 'tty secret 1'], 'tty-root');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Password: <typed>');
    expect(run.stdout).toContain('Password (again): <typed>');
    expect(run.stdout).toContain('Superuser tty-root created.');
    expect(run.stdout).not.toContain('tty secret');
    expect(await keyOf('tty-root')).toMatch(/^[0-9a-f]{40}$/);
  });

  it('fails when the two passwords differ, creating nobody', async () => {
    const run = atTerminal(['tty secret 1', 'tty secret 2'], 'tty-mismatch');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Error: Your passwords didn't match.");
    expect(await keyOf('tty-mismatch')).toBeUndefined();
  });
});

describe('the embedded default', () => {
  let dataDir: string;
  let server: NodeProcess | undefined;

  beforeAll(() => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'authtoken-cli-'));
    // As root, postgres runs as its own user and must reach the directory.
    fs.chmodSync(tmp, 0o755);
    dataDir = path.join(tmp, 'data');
  });
  afterAll(async () => {
    await server?.kill();
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it(
    'runs on its own embedded PostgreSQL when no server runs, and joins the server’s while it runs',
    async () => {
      const env = baseEnv({ DATA_DIR: dataDir });
      const own = await manage(['migrate'], env);
      expect(own.stderr).toBe('');
      expect(own.stdout.split('\n').filter(Boolean)).toEqual(APPLIED_LINES);
      // The command stopped the postgres it started.
      expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

      server = startNodeProcess({ args: [SERVER], env: { ...env, PORT: '0', WEB_CONCURRENCY: '1', LOG_LEVEL: 'info', NODE_ENV: 'test' } });
      const endpoint = `${await server.ready}/graphql`;

      const created = await manage(['createsuperuser', '--username', 'embedded-root', '--email', 'e@example.com'], {
        ...env,
        SUPERUSER_PASSWORD: 'correct horse',
      });
      expect(created).toEqual({ code: 0, stdout: 'Superuser embedded-root created.\n', stderr: '' });
      const token = await manage(['create-token', 'embedded-root'], env);
      expect(token.code).toBe(0);
      const key = token.stdout.match(/^Generated token ([0-9a-f]{40}) for user embedded-root\n$/)![1];

      // The server sees what the command wrote: same database.
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Token ${key}` },
        body: JSON.stringify({ query: '{ me { username isSuperuser } }' }),
      });
      expect(await response.json()).toEqual({ data: { me: { username: 'embedded-root', isSuperuser: true } } });
      // And the server's postgres is still the one running: the command did not stop it.
      expect(runningEmbeddedUrl(path.join(dataDir, 'postgres'))).toBeDefined();
    },
    180_000,
  );
});
