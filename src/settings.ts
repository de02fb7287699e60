/**
 * Every setting of the server, read from the environment in this one place (as knox's `settings.py`).
 *
 * | variable           | default                          | meaning                                                   |
 * |--------------------|----------------------------------|-----------------------------------------------------------|
 * | PORT               | 4000                             | HTTP port (0 picks a free one)                            |
 * | HOST               | 127.0.0.1                        | interface to listen on (0.0.0.0 for all)                  |
 * | DATABASE_URL       | (unset: embedded PostgreSQL)     | postgres://user:pass@host:port/db; created if missing     |
 * | DATABASE_DIRECT_URL| DATABASE_URL                     | a direct (unpooled) URL: migrations' lock, LISTEN         |
 * | DATABASE_POOLER    | none (detected when it fails)    | transaction: DATABASE_URL is a transaction pooler         |
 * | DATA_DIR           | <project>/.data                  | where the embedded PostgreSQL keeps its files             |
 * | AUTH_KEYWORD       | Token                            | the Authorization scheme, e.g. Bearer                     |
 * | BCRYPT_ROUNDS      | 12                               | bcrypt cost, 4..15 (tests use 4)                          |
 * | CORS_ORIGINS       | (unset: same origin only)        | comma-separated origins, or * for any                     |
 * | NODE_ENV           | development                      | production hides stack traces and masks internal errors   |
 * | INTROSPECTION      | true outside production          | allow schema introspection                                |
 * | WEB_CONCURRENCY    | cores in production, else 1      | worker processes sharing the port                         |
 * | DB_POOL_SIZE       | 10                               | database connections per worker                           |
 * | LOG_LEVEL          | info                             | silent, error, info or debug (debug logs SQL)             |
 * | LOG_FORMAT         | json in production, else text    | text or json (one JSON object a line, via pino)           |
 * | METRICS            | false                            | serve Prometheus metrics at GET /metrics                  |
 * | TRUST_PROXY        | loopback                         | express "trust proxy": whose X-Forwarded-For to believe   |
 * | LOGIN_FAILURE_LIMIT| 10                               | failed logins per address+username before 429 (0: off)   |
 * | LOGIN_FAILURE_WINDOW| 900                             | seconds those failures are remembered                     |
 * | PASSWORD_HASHER    | bcrypt_sha256                    | format of new passwords: bcrypt_sha256 or pbkdf2_sha256   |
 * | PBKDF2_ITERATIONS  | 1500000                          | pbkdf2_sha256 iterations (Django 6.1's default), >= 1000  |
 * | DJANGO_DATABASE    | false                            | true: run on a Django project's auth_user/authtoken_token |
 * | PASSWORD_RATE      | 30/minute                        | password checks per client address (DRF rate; 0: off)     |
 * | MAX_ALIASES        | 15                               | aliases per operation (`__typename` not counted)          |
 * | MAX_DEPTH          | 10                               | selection depth per operation (introspection not counted) |
 * | MAX_TOKENS         | 1000                             | parser tokens per document                                |
 * | MAX_COST           | 5000                             | cost per operation: a field 1, a page `limit` x its items |
 * | TOKEN_PREFIX       | (empty)                          | login tokens start with this, at most 10 of [A-Za-z0-9_-] |
 * | TOKEN_TTL          | 36000                            | seconds a login token lives (0: never expires)            |
 * | AUTO_REFRESH       | false                            | each use moves a login token's expiry to now + TOKEN_TTL  |
 * | MIN_REFRESH_INTERVAL| 60                              | seconds: no write when expiry/lastUsed would move by less |
 * | AUTO_REFRESH_MAX_TTL| (unset: no cap)                 | seconds: expiry never passes created + this               |
 * | TOKEN_LIMIT_PER_USER| (unset: no limit)               | unexpired login tokens per user before login answers 403  |
 * | ACCESS_TOKEN_DEFAULT_DAYS| 30                         | an access token's life when expiresInDays is omitted      |
 * | ACCESS_TOKEN_MAX_DAYS| 366                             | longest expiresInDays (0: no cap; omitted = never expires)|
 * | SUDO_MAX_AGE       | 900                              | seconds a password confirmation unlocks what mints        |
 * |                    |                                  | credentials and the staff writes (0: not required)        |
 * | WS_INIT_TIMEOUT_MS | 3000                             | time a socket has to send connection_init (close 4408)    |
 * | WS_KEEPALIVE_MS    | 12000                            | WebSocket ping interval; no pong within it closes (0: off) |
 * | WS_MAX_SOCKETS     | 10000                            | open WebSockets per process; more are refused with 503    |
 * | WS_MAX_SUBSCRIPTIONS| 100                             | operations at once on one socket                          |
 * | WS_MAX_MESSAGE_BYTES| 102400                          | largest message a client may send (close 1009)            |
 *
 * A bad value stops the start-up with a message naming the variable: a typo must not silently fall back.
 */
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from './paths';
import { parseRate, type ThrottleRate } from './throttles/rate';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'silent' | 'error' | 'info' | 'debug';
export type LogFormat = 'text' | 'json';
/** `transaction`: DATABASE_URL reaches PostgreSQL through a transaction pooler (no session state survives). */
export type DatabasePooler = 'none' | 'transaction';
/** Formats new passwords can be stored in: both are Django's own (see src/users/hashers). */
export const PASSWORD_HASHERS = ['bcrypt_sha256', 'pbkdf2_sha256'] as const;
export type PasswordHasherName = (typeof PASSWORD_HASHERS)[number];
/** Django 6.1's PBKDF2PasswordHasher.iterations (1,000,000 in 5.2, 1,200,000 in 6.0, 260,000 in 3.2). */
export const DJANGO_PBKDF2_ITERATIONS = 1_500_000;

export interface Settings {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /**
   * For what needs a session of its own, which a transaction pooler (PgBouncer in transaction mode) does not
   * give: the migrations' lock (src/database/advisory-lock.ts) and the one LISTEN connection per process
   * (src/realtime/listener.ts). DATABASE_URL unless set; the embedded database's own URL with no DATABASE_URL.
   */
  databaseDirectUrl: string | undefined;
  databasePooler: DatabasePooler;
  dataDir: string;
  /** False when DATA_DIR was not set: the embedded database may then move somewhere it can run (see embedded.ts). */
  dataDirExplicit: boolean;
  authKeyword: string;
  bcryptRounds: number;
  /** The format new and upgraded passwords are stored in. */
  passwordHasher: PasswordHasherName;
  pbkdf2Iterations: number;
  /** Django's own auth_user and authtoken_token are used as Django created them (docs/django.md). */
  djangoDatabase: boolean;
  corsOrigins: string[] | '*' | undefined;
  nodeEnv: NodeEnv;
  introspection: boolean;
  /** False when INTROSPECTION was not set: the playground then says it is off by the production default. */
  introspectionExplicit: boolean;
  webConcurrency: number;
  dbPoolSize: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  metrics: boolean;
  loginFailureLimit: number;
  loginFailureWindow: number;
  /** PASSWORD_RATE: bcrypt-running operations allowed per client address, or null when off. */
  passwordRate: ThrottleRate | null;
  limits: OperationLimits;
  /** Login tokens (django-rest-knox's settings): see docs/login-tokens.md. */
  loginTokens: LoginTokenSettings;
  /** Access tokens: see docs/access-tokens.md. */
  accessTokens: AccessTokenSettings;
  /** SUDO_MAX_AGE: seconds a password confirmation counts as fresh; 0 turns sudo mode off. */
  sudoMaxAge: number;
  /** Passed to express's `trust proxy`: `loopback`, a hop count, or comma-separated addresses/CIDRs. */
  trustProxy: string | number | boolean;
  /** graphql-ws's connectionInitWaitTimeout. */
  wsInitTimeoutMs: number;
  /** WebSocket ping interval; a socket that misses its pong for this long is dropped. 0 turns pings off. */
  wsKeepAliveMs: number;
  wsMaxSockets: number;
  wsMaxSubscriptions: number;
  wsMaxMessageBytes: number;
}

export interface LoginTokenSettings {
  /** Starts every new login token; at most 10 characters. */
  prefix: string;
  /** Seconds a new token lives; 0 means it never expires. */
  ttl: number;
  autoRefresh: boolean;
  /** Seconds: expiry and lastUsed are written only when they would move by at least this much. */
  minRefreshInterval: number;
  /** Seconds after creation that expiry never passes, or null for no cap. */
  autoRefreshMaxTtl: number | null;
  /** Unexpired login tokens a user may hold, or null for no limit. */
  limitPerUser: number | null;
}


export type { ThrottleRate } from './throttles/rate';

export interface AccessTokenSettings {
  /** Days an access token lives when created without expiresInDays (ignored when maxDays is 0). */
  defaultDays: number;
  /** The longest expiresInDays; 0 for no cap, and then an omitted expiresInDays means never. */
  maxDays: number;
}

/** What one operation may ask for, checked before anything executes (src/limits/). */
export interface OperationLimits {
  maxAliases: number;
  maxDepth: number;
  maxTokens: number;
  maxCost: number;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new SettingsError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new SettingsError(`${name} must be true or false, got "${env[name]}"`);
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new SettingsError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/** DRF's throttle-rate format (src/throttles/rate.ts); `0` turns it off. */
function throttleRate(env: Env, name: string, fallback: string): ThrottleRate | null {
  const raw = env[name]?.trim() || fallback;
  if (raw === '0') return null;
  const rate = parseRate(raw);
  if (!rate) {
    throw new SettingsError(`${name} must be a rate such as 30/minute or 1000/day (second, minute, hour, day), or 0 for none, got "${env[name]}"`);
  }
  return rate;
}

function databaseUrl(env: Env, name = 'DATABASE_URL'): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError(`${name} must be a URL such as postgres://user:password@localhost:5432/authtoken`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new SettingsError(`${name} must start with postgres://, got "${url.protocol}//"`);
  }
  if (url.pathname.length <= 1) {
    throw new SettingsError(`${name} must name a database, e.g. postgres://localhost:5432/authtoken`);
  }
  return raw;
}

/** The direct URL: DATABASE_DIRECT_URL, else DATABASE_URL (the embedded database, which has no pooler, ignores it). */
function databaseDirectUrl(env: Env, url: string | undefined): string | undefined {
  return databaseUrl(env, 'DATABASE_DIRECT_URL') ?? url;
}

function corsOrigins(env: Env): Settings['corsOrigins'] {
  const raw = env.CORS_ORIGINS?.trim();
  if (!raw) return undefined;
  if (raw === '*') return '*';
  const origins = raw.split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || url.origin !== origin) {
      throw new SettingsError(`CORS_ORIGINS entries must be origins such as https://app.example.com, got "${origin}"`);
    }
  }
  return origins;
}

function trustProxy(env: Env): Settings['trustProxy'] {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw) return 'loopback';
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  const names = ['loopback', 'linklocal', 'uniquelocal'];
  for (const entry of raw.split(',').map((part) => part.trim())) {
    if (!names.includes(entry) && net.isIP(entry.split('/')[0]) === 0) {
      throw new SettingsError(`TRUST_PROXY must be loopback, a hop count, or addresses/CIDRs, got "${entry}"`);
    }
  }
  return raw;
}

function optionalInteger(env: Env, name: string, min: number, max: number): number | null {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? null : integer(env, name, 0, min, max);
}

function loginTokens(env: Env): LoginTokenSettings {
  const prefix = env.TOKEN_PREFIX?.trim() ?? '';
  // knox refuses a prefix over 10 characters. Header-safe characters only; no whitespace or quotes.
  if (prefix.length > 10 || !/^[A-Za-z0-9_-]*$/.test(prefix)) {
    throw new SettingsError(`TOKEN_PREFIX must be at most 10 characters of A-Z, a-z, 0-9, _ and -, got "${prefix}"`);
  }
  const YEAR = 366 * 86_400;
  return {
    prefix,
    ttl: integer(env, 'TOKEN_TTL', 36_000, 0, 10 * YEAR),
    autoRefresh: boolean(env, 'AUTO_REFRESH', false),
    minRefreshInterval: integer(env, 'MIN_REFRESH_INTERVAL', 60, 0, YEAR),
    autoRefreshMaxTtl: optionalInteger(env, 'AUTO_REFRESH_MAX_TTL', 1, 10 * YEAR),
    limitPerUser: optionalInteger(env, 'TOKEN_LIMIT_PER_USER', 1, 1_000_000),
  };
}

function accessTokens(env: Env): AccessTokenSettings {
  const maxDays = integer(env, 'ACCESS_TOKEN_MAX_DAYS', 366, 0, 36_600);
  const defaultDays = integer(env, 'ACCESS_TOKEN_DEFAULT_DAYS', 30, 1, 36_600);
  if (maxDays > 0 && defaultDays > maxDays) {
    throw new SettingsError(`ACCESS_TOKEN_DEFAULT_DAYS (${defaultDays}) must not exceed ACCESS_TOKEN_MAX_DAYS (${maxDays})`);
  }
  return { defaultDays, maxDays };
}

export function loadSettings(env: Env = process.env): Settings {
  const nodeEnv = oneOf<NodeEnv>(env, 'NODE_ENV', 'development', ['development', 'production', 'test']);
  const production = nodeEnv === 'production';
  const authKeyword = env.AUTH_KEYWORD?.trim() || 'Token';
  // The keyword becomes a header token and the WWW-Authenticate value: RFC 7235 token characters only.
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(authKeyword)) {
    throw new SettingsError(`AUTH_KEYWORD must be a single word such as Token or Bearer, got "${authKeyword}"`);
  }
  const url = databaseUrl(env);
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl: url,
    databaseDirectUrl: databaseDirectUrl(env, url),
    databasePooler: oneOf<DatabasePooler>(env, 'DATABASE_POOLER', 'none', ['none', 'transaction']),
    dataDir: path.resolve(env.DATA_DIR?.trim() || path.join(projectRoot, '.data')),
    dataDirExplicit: Boolean(env.DATA_DIR?.trim()),
    authKeyword,
    bcryptRounds: integer(env, 'BCRYPT_ROUNDS', 12, 4, 15),
    passwordHasher: oneOf<PasswordHasherName>(env, 'PASSWORD_HASHER', 'bcrypt_sha256', PASSWORD_HASHERS),
    // The floor keeps a typo (15 for 1500000) from storing nearly unprotected passwords; tests use 1000.
    pbkdf2Iterations: integer(env, 'PBKDF2_ITERATIONS', DJANGO_PBKDF2_ITERATIONS, 1000, 100_000_000),
    djangoDatabase: boolean(env, 'DJANGO_DATABASE', false),
    corsOrigins: corsOrigins(env),
    nodeEnv,
    introspection: boolean(env, 'INTROSPECTION', !production),
    introspectionExplicit: Boolean(env.INTROSPECTION?.trim()),
    webConcurrency: integer(env, 'WEB_CONCURRENCY', production ? os.availableParallelism() : 1, 1, 64),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 100),
    trustProxy: trustProxy(env),
    loginFailureLimit: integer(env, 'LOGIN_FAILURE_LIMIT', 10, 0, 1_000_000),
    loginFailureWindow: integer(env, 'LOGIN_FAILURE_WINDOW', 900, 1, 86_400),
    passwordRate: throttleRate(env, 'PASSWORD_RATE', '30/minute'),
    limits: {
      maxAliases: integer(env, 'MAX_ALIASES', 15, 1, 10_000),
      maxDepth: integer(env, 'MAX_DEPTH', 10, 1, 1_000),
      maxTokens: integer(env, 'MAX_TOKENS', 1000, 100, 1_000_000),
      maxCost: integer(env, 'MAX_COST', 5000, 1, 100_000_000),
    },
    loginTokens: loginTokens(env),
    accessTokens: accessTokens(env),
    sudoMaxAge: integer(env, 'SUDO_MAX_AGE', 900, 0, 86_400),
    wsInitTimeoutMs: integer(env, 'WS_INIT_TIMEOUT_MS', 3000, 100, 60_000),
    wsKeepAliveMs: integer(env, 'WS_KEEPALIVE_MS', 12_000, 0, 600_000),
    wsMaxSockets: integer(env, 'WS_MAX_SOCKETS', 10_000, 1, 1_000_000),
    wsMaxSubscriptions: integer(env, 'WS_MAX_SUBSCRIPTIONS', 100, 1, 10_000),
    wsMaxMessageBytes: integer(env, 'WS_MAX_MESSAGE_BYTES', 102_400, 1024, 10_485_760),
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', nodeEnv === 'test' ? 'error' : 'info', ['silent', 'error', 'info', 'debug']),
    logFormat: oneOf<LogFormat>(env, 'LOG_FORMAT', production ? 'json' : 'text', ['text', 'json']),
    metrics: boolean(env, 'METRICS', false),
  };
}
