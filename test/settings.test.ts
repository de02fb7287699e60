import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths';
import { loadSettings, SettingsError } from '../src/settings';
import { cookieName } from '../src/sessions/cookie';

describe('loadSettings', () => {
  it('has cookie sessions off, named __Host-authtoken and Secure, trusting the CORS origins, and trusted documents off by default', () => {
    expect(loadSettings({}).sessions).toEqual({ cookie: false, cookieName: 'authtoken', cookieSecure: true, trustedOrigins: [], trustedDocuments: 'off' });
    expect(cookieName(loadSettings({}).sessions)).toBe('__Host-authtoken');
    expect(loadSettings({ NODE_ENV: 'production' }).sessions.trustedDocuments).toBe('off');
    expect(loadSettings({ CORS_ORIGINS: 'https://a.example,https://b.example' }).sessions.trustedOrigins).toEqual(['https://a.example', 'https://b.example']);
    // `*` lets any page read answers, never use the cookie.
    expect(loadSettings({ CORS_ORIGINS: '*' }).sessions.trustedOrigins).toEqual([]);
    expect(loadSettings({ CORS_ORIGINS: '*', TRUSTED_ORIGINS: 'https://app.example' }).sessions.trustedOrigins).toEqual(['https://app.example']);
    expect(cookieName(loadSettings({ AUTH_COOKIE: 'true', AUTH_COOKIE_NAME: 'sid' }).sessions)).toBe('__Host-sid');
    expect(cookieName(loadSettings({ AUTH_COOKIE_SECURE: 'false' }).sessions)).toBe('authtoken');
    expect(loadSettings({ TRUSTED_DOCUMENTS: 'enforce' }).sessions.trustedDocuments).toBe('enforce');
  });

  it('has the documented defaults for an empty environment', () => {
    expect(loadSettings({})).toMatchObject({
      server: { port: 4000, host: '127.0.0.1', corsOrigins: undefined, nodeEnv: 'development', webConcurrency: 1, metrics: false },
      database: {
        url: undefined,
        directUrl: undefined,
        pooler: 'none',
        dataDir: path.join(projectRoot, '.data'),
        dataDirExplicit: false,
        poolSize: 10,
      },
      tokens: { keyword: 'Token' },
      passwords: { bcryptRounds: 12 },
      limits: { introspection: true },
      throttles: { loginFailureLimit: 10, loginFailureWindow: 900 },
      logging: { level: 'info', format: 'text' },
      sockets: { initTimeoutMs: 3000, keepAliveMs: 12_000, maxSockets: 10_000, maxSubscriptions: 100, maxMessageBytes: 102_400 },
    });
  });

  it('logs JSON by default in production, text elsewhere, and LOG_FORMAT overrides either way', () => {
    expect(loadSettings({ NODE_ENV: 'production' }).logging.format).toBe('json');
    expect(loadSettings({ NODE_ENV: 'production', LOG_FORMAT: 'text' }).logging.format).toBe('text');
    expect(loadSettings({ LOG_FORMAT: 'json' }).logging.format).toBe('json');
  });

  it('takes DATABASE_URL as the direct URL unless DATABASE_DIRECT_URL names another', () => {
    const pooled = 'postgres://app@pgbouncer:6432/shop';
    expect(loadSettings({ DATABASE_URL: pooled }).database).toMatchObject({ url: pooled, directUrl: pooled, pooler: 'none' });
    expect(
      loadSettings({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: 'postgres://app@db:5432/shop', DATABASE_POOLER: 'transaction', METRICS: 'true' }),
    ).toMatchObject({
      database: { url: pooled, directUrl: 'postgres://app@db:5432/shop', pooler: 'transaction' },
      server: { metrics: true },
    });
  });

  it('reads the WebSocket limits and DATABASE_DIRECT_URL', () => {
    expect(
      loadSettings({
        DATABASE_DIRECT_URL: 'postgres://app@db-primary:5432/shop',
        WS_INIT_TIMEOUT_MS: '5000',
        WS_KEEPALIVE_MS: '0',
        WS_MAX_SOCKETS: '2000',
        WS_MAX_SUBSCRIPTIONS: '10',
        WS_MAX_MESSAGE_BYTES: '65536',
      }),
    ).toMatchObject({
      database: { directUrl: 'postgres://app@db-primary:5432/shop' },
      sockets: { initTimeoutMs: 5000, keepAliveMs: 0, maxSockets: 2000, maxSubscriptions: 10, maxMessageBytes: 65_536 },
    });
  });

  it('refuses bad WebSocket limits and a bad DATABASE_DIRECT_URL, naming the variable', () => {
    for (const [name, value] of [
      ['WS_INIT_TIMEOUT_MS', '50'],
      ['WS_INIT_TIMEOUT_MS', '3s'],
      ['WS_KEEPALIVE_MS', '-1'],
      ['WS_MAX_SOCKETS', '0'],
      ['WS_MAX_SUBSCRIPTIONS', 'many'],
      ['WS_MAX_MESSAGE_BYTES', '100'],
      ['DATABASE_DIRECT_URL', 'mysql://localhost/shop'],
      ['DATABASE_DIRECT_URL', 'not a url'],
      ['DATABASE_DIRECT_URL', 'postgres://localhost:5432'],
    ]) {
      expect(() => loadSettings({ [name]: value }), `${name}=${value}`).toThrow(SettingsError);
      expect(() => loadSettings({ [name]: value })).toThrow(name);
    }
  });

  it('reads the access token and sudo settings, and refuses a default longer than the cap', () => {
    expect(loadSettings({}).accessTokens).toEqual({ defaultDays: 30, maxDays: 366 });
    expect(loadSettings({}).sudo).toEqual({ maxAge: 900 });
    expect(loadSettings({ ACCESS_TOKEN_DEFAULT_DAYS: '7', ACCESS_TOKEN_MAX_DAYS: '0', SUDO_MAX_AGE: '0' })).toMatchObject({ accessTokens: { defaultDays: 7, maxDays: 0 }, sudo: { maxAge: 0 } });
    expect(() => loadSettings({ ACCESS_TOKEN_DEFAULT_DAYS: '90', ACCESS_TOKEN_MAX_DAYS: '30' })).toThrow('ACCESS_TOKEN_DEFAULT_DAYS (90) must not exceed ACCESS_TOKEN_MAX_DAYS (30)');
    for (const [name, value] of [['ACCESS_TOKEN_DEFAULT_DAYS', '0'], ['ACCESS_TOKEN_MAX_DAYS', '-1'], ['SUDO_MAX_AGE', '86401'], ['SUDO_MAX_AGE', 'soon']]) {
      expect(() => loadSettings({ [name]: value }), `${name}=${value}`).toThrow(SettingsError);
      expect(() => loadSettings({ [name]: value })).toThrow(name);
    }
  });

  it('treats empty and blank values as unset', () => {
    expect(loadSettings({ PORT: '', BCRYPT_ROUNDS: '  ', AUTH_KEYWORD: ' ', DATABASE_URL: '', NODE_ENV: '' })).toMatchObject({
      server: { port: 4000, nodeEnv: 'development' },
      passwords: { bcryptRounds: 12 },
      tokens: { keyword: 'Token' },
      database: { url: undefined },
    });
  });

  it('turns introspection off and runs a worker per core in production', () => {
    expect(loadSettings({ NODE_ENV: 'production' })).toMatchObject({
      server: { nodeEnv: 'production', webConcurrency: os.availableParallelism() },
      limits: { introspection: false },
    });
  });

  it('lets INTROSPECTION override the environment default either way', () => {
    expect(loadSettings({ NODE_ENV: 'production', INTROSPECTION: 'true' }).limits.introspection).toBe(true);
    expect(loadSettings({ INTROSPECTION: 'false' }).limits.introspection).toBe(false);
    expect(loadSettings({ INTROSPECTION: 'OFF' }).limits.introspection).toBe(false);
    expect(loadSettings({ INTROSPECTION: '1' }).limits.introspection).toBe(true);
  });

  it('reads every setting it is given', () => {
    const settings = loadSettings({
      PORT: '0',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://app:secret@db.internal:6543/shop',
      DATA_DIR: '/var/lib/shop',
      AUTH_KEYWORD: 'Bearer',
      BCRYPT_ROUNDS: '4',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      NODE_ENV: 'test',
      WEB_CONCURRENCY: '3',
      DB_POOL_SIZE: '25',
      LOG_LEVEL: 'debug',
    });
    expect(settings).toMatchObject({
      server: { port: 0, host: '0.0.0.0', corsOrigins: ['https://app.example.com', 'http://localhost:5173'], nodeEnv: 'test', webConcurrency: 3 },
      database: { url: 'postgresql://app:secret@db.internal:6543/shop', dataDir: '/var/lib/shop', dataDirExplicit: true, poolSize: 25 },
      tokens: { keyword: 'Bearer' },
      passwords: { bcryptRounds: 4 },
      logging: { level: 'debug' },
    });
  });

  it("stores passwords as Django's bcrypt_sha256 at 12 rounds, off Django mode, unless told otherwise", () => {
    expect(loadSettings({})).toMatchObject({
      passwords: { passwordHasher: 'bcrypt_sha256', pbkdf2Iterations: 1_500_000 },
      database: { django: false },
    });
    expect(loadSettings({ PASSWORD_HASHER: 'pbkdf2_sha256', PBKDF2_ITERATIONS: '1000', DJANGO_DATABASE: 'true' })).toMatchObject({
      passwords: { passwordHasher: 'pbkdf2_sha256', pbkdf2Iterations: 1000 },
      database: { django: true },
    });
    expect(loadSettings({ PASSWORD_HASHER: ' bcrypt_sha256 ', PBKDF2_ITERATIONS: '100000000', DJANGO_DATABASE: 'no' })).toMatchObject({
      passwords: { passwordHasher: 'bcrypt_sha256', pbkdf2Iterations: 100_000_000 },
      database: { django: false },
    });
  });

  it('has documented defaults for the operation limits and the password-work rate', () => {
    expect(loadSettings({})).toMatchObject({
      throttles: { passwordRate: { requests: 30, seconds: 60 } },
      limits: { maxAliases: 15, maxDepth: 10, maxTokens: 1000, maxCost: 5000, introspectionExplicit: false },
    });
  });

  it("reads PASSWORD_RATE in DRF's rate format, and 0 as off", () => {
    expect(loadSettings({ PASSWORD_RATE: '1000/day' }).throttles.passwordRate).toEqual({ requests: 1000, seconds: 86_400 });
    expect(loadSettings({ PASSWORD_RATE: '5/s' }).throttles.passwordRate).toEqual({ requests: 5, seconds: 1 });
    expect(loadSettings({ PASSWORD_RATE: '100/Hours' }).throttles.passwordRate).toEqual({ requests: 100, seconds: 3600 });
    expect(loadSettings({ PASSWORD_RATE: '20/min' }).throttles.passwordRate).toEqual({ requests: 20, seconds: 60 });
    expect(loadSettings({ PASSWORD_RATE: '0' }).throttles.passwordRate).toBeNull();
    expect(loadSettings({ MAX_ALIASES: '3', MAX_DEPTH: '4', MAX_TOKENS: '500', MAX_COST: '100' }).limits).toEqual({
      maxAliases: 3,
      maxDepth: 4,
      maxTokens: 500,
      maxCost: 100,
      introspection: true,
      introspectionExplicit: false,
    });
  });

  it('switches the header keyword to Bearer with one setting', () => {
    expect(loadSettings({ AUTH_KEYWORD: 'Bearer' }).tokens.keyword).toBe('Bearer');
    expect(loadSettings({ AUTH_KEYWORD: '  Bearer ' }).tokens.keyword).toBe('Bearer');
  });

  it('accepts * as CORS_ORIGINS for any origin', () => {
    expect(loadSettings({ CORS_ORIGINS: '*' }).server.corsOrigins).toBe('*');
  });

  it("has knox's login-token defaults, and reads each login-token setting", () => {
    expect(loadSettings({}).loginTokens).toEqual({
      prefix: '',
      ttl: 36_000,
      autoRefresh: false,
      minRefreshInterval: 60,
      autoRefreshMaxTtl: null,
      limitPerUser: null,
    });
    expect(
      loadSettings({
        TOKEN_PREFIX: 'acme_',
        TOKEN_TTL: '0',
        AUTO_REFRESH: 'true',
        MIN_REFRESH_INTERVAL: '0',
        AUTO_REFRESH_MAX_TTL: '86400',
        TOKEN_LIMIT_PER_USER: '5',
      }).loginTokens,
    ).toEqual({ prefix: 'acme_', ttl: 0, autoRefresh: true, minRefreshInterval: 0, autoRefreshMaxTtl: 86_400, limitPerUser: 5 });
  });

  it('accepts the bounds of the numeric settings', () => {
    expect(loadSettings({ PORT: '65535', BCRYPT_ROUNDS: '15' })).toMatchObject({ server: { port: 65535 }, passwords: { bcryptRounds: 15 } });
    expect(loadSettings({ BCRYPT_ROUNDS: '4' }).passwords.bcryptRounds).toBe(4);
  });

  const bad: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '80.5' }],
    ['BCRYPT_ROUNDS', { BCRYPT_ROUNDS: '3' }],
    ['BCRYPT_ROUNDS', { BCRYPT_ROUNDS: '16' }],
    ['BCRYPT_ROUNDS', { BCRYPT_ROUNDS: 'x' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['NODE_ENV', { NODE_ENV: 'Production' }],
    ['INTROSPECTION', { INTROSPECTION: 'maybe' }],
    ['AUTH_KEYWORD', { AUTH_KEYWORD: 'Token Bearer' }],
    ['AUTH_KEYWORD', { AUTH_KEYWORD: 'Tok:en' }],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
    ['DATABASE_URL', { DATABASE_URL: 'localhost:5432/authtoken' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://user:secret@localhost/authtoken' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://user:secret@localhost:5432' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://user:secret@localhost:5432/' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'app.example.com' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://app.example.com/path' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://app.example.com,*' }],
    ['WEB_CONCURRENCY', { WEB_CONCURRENCY: '0' }],
    ['DB_POOL_SIZE', { DB_POOL_SIZE: 'many' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['LOGIN_FAILURE_LIMIT', { LOGIN_FAILURE_LIMIT: '-3' }],
    ['LOGIN_FAILURE_WINDOW', { LOGIN_FAILURE_WINDOW: '0' }],
    ['DATABASE_DIRECT_URL', { DATABASE_URL: 'postgres://app@pgbouncer:6432/shop', DATABASE_DIRECT_URL: 'db:5432/shop' }],
    ['DATABASE_DIRECT_URL', { DATABASE_URL: 'postgres://app@pgbouncer:6432/shop', DATABASE_DIRECT_URL: 'postgres://app:secret@db:5432' }],
    ['DATABASE_POOLER', { DATABASE_POOLER: 'pgbouncer' }],
    ['DATABASE_POOLER', { DATABASE_POOLER: 'session' }],
    ['LOG_FORMAT', { LOG_FORMAT: 'JSON lines' }],
    ['METRICS', { METRICS: 'sometimes' }],
    ['PASSWORD_HASHER', { PASSWORD_HASHER: 'argon2' }],
    ['PASSWORD_HASHER', { PASSWORD_HASHER: 'BCRYPT_SHA256' }],
    ['PASSWORD_HASHER', { PASSWORD_HASHER: 'bcrypt' }],
    ['PASSWORD_HASHER', { PASSWORD_HASHER: 'django.contrib.auth.hashers.PBKDF2PasswordHasher' }],
    ['PBKDF2_ITERATIONS', { PBKDF2_ITERATIONS: '999' }],
    ['PBKDF2_ITERATIONS', { PBKDF2_ITERATIONS: '1_500_000' }],
    ['PBKDF2_ITERATIONS', { PBKDF2_ITERATIONS: '1e6' }],
    ['PBKDF2_ITERATIONS', { PBKDF2_ITERATIONS: '100000001' }],
    ['DJANGO_DATABASE', { DJANGO_DATABASE: 'django' }],
    ['DJANGO_DATABASE', { DJANGO_DATABASE: 'auto' }],
    ['TOKEN_PREFIX', { TOKEN_PREFIX: 'elevenchars' }],
    ['TOKEN_PREFIX', { TOKEN_PREFIX: 'acme:' }],
    ['TOKEN_TTL', { TOKEN_TTL: '-1' }],
    ['TOKEN_TTL', { TOKEN_TTL: '10h' }],
    ['AUTO_REFRESH', { AUTO_REFRESH: 'sometimes' }],
    ['MIN_REFRESH_INTERVAL', { MIN_REFRESH_INTERVAL: '1.5' }],
    ['AUTO_REFRESH_MAX_TTL', { AUTO_REFRESH_MAX_TTL: '0' }],
    ['TOKEN_LIMIT_PER_USER', { TOKEN_LIMIT_PER_USER: '0' }],
    ['TOKEN_LIMIT_PER_USER', { TOKEN_LIMIT_PER_USER: 'none' }],
    ['PASSWORD_RATE', { PASSWORD_RATE: '30' }],
    ['PASSWORD_RATE', { PASSWORD_RATE: '30/fortnight' }],
    ['PASSWORD_RATE', { PASSWORD_RATE: '0/minute' }],
    ['PASSWORD_RATE', { PASSWORD_RATE: '-1/minute' }],
    ['PASSWORD_RATE', { PASSWORD_RATE: 'minute/30' }],
    ['MAX_ALIASES', { MAX_ALIASES: '0' }],
    ['MAX_DEPTH', { MAX_DEPTH: 'ten' }],
    ['MAX_TOKENS', { MAX_TOKENS: '99' }],
    ['MAX_COST', { MAX_COST: '1.5' }],
    ['AUTH_COOKIE', { AUTH_COOKIE: 'maybe' }],
    ['AUTH_COOKIE_SECURE', { AUTH_COOKIE_SECURE: '2' }],
    ['AUTH_COOKIE_NAME', { AUTH_COOKIE_NAME: 'my session' }],
    ['AUTH_COOKIE_NAME', { AUTH_COOKIE_NAME: 'a;b' }],
    ['AUTH_COOKIE_NAME', { AUTH_COOKIE_NAME: '__Host-authtoken' }],
    ['AUTH_COOKIE_NAME', { AUTH_COOKIE_NAME: '__secure-x' }],
    ['TRUSTED_ORIGINS', { TRUSTED_ORIGINS: '*' }],
    ['TRUSTED_ORIGINS', { TRUSTED_ORIGINS: 'https://app.example/path' }],
    ['TRUSTED_ORIGINS', { TRUSTED_ORIGINS: 'app.example' }],
    ['TRUSTED_DOCUMENTS', { TRUSTED_DOCUMENTS: 'on' }],
  ];

  for (const [variable, env] of bad) {
    it(`refuses ${variable}=${JSON.stringify(env[variable])} with a SettingsError naming ${variable}`, () => {
      let error: unknown;
      try {
        loadSettings(env);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).message.startsWith(`${variable} `)).toBe(true);
      // A rejected DATABASE_URL must not echo its password into the start-up log.
      expect((error as SettingsError).message).not.toContain('secret');
    });
  }
});
