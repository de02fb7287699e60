/**
 * Every setting of the server, declared once: its environment variable, default, parser, one-line
 * description and group (the object it sits in). `loadSettings` (src/settings/index.ts) reads them, the
 * README's settings table is rendered from them (`npm run settings:docs`), and test/settings-docs.test.ts
 * fails when the README lags behind. Adding a setting is adding one entry here.
 */
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../paths';
import { setting, type DefaultContext, type NodeEnv } from './declare';
import {
  authKeyword,
  boolean,
  cookieName,
  corsOrigins,
  databaseUrl,
  directory,
  integer,
  oneOf,
  text,
  throttleRate,
  tokenPrefix,
  trustedOrigins,
  trustProxy,
} from './parsers';

export type LogLevel = 'silent' | 'error' | 'info' | 'debug';
export type LogFormat = 'text' | 'json';
/** `transaction`: DATABASE_URL reaches PostgreSQL through a transaction pooler (no session state survives). */
export type DatabasePooler = 'none' | 'transaction';
/** Formats new passwords can be stored in: both are Django's own (see src/users/hashers). */
export const PASSWORD_HASHERS = ['bcrypt_sha256', 'pbkdf2_sha256'] as const;
export type PasswordHasherName = (typeof PASSWORD_HASHERS)[number];
/** Django 6.1's PBKDF2PasswordHasher.iterations (1,000,000 in 5.2, 1,200,000 in 6.0, 260,000 in 3.2). */
export const DJANGO_PBKDF2_ITERATIONS = 1_500_000;

const production = ({ nodeEnv }: DefaultContext) => nodeEnv === 'production';
const YEAR = 366 * 86_400;

/** Read before the others: several defaults depend on it. */
export const NODE_ENV = setting({
  name: 'NODE_ENV',
  default: 'development',
  description: '`production` hides stack traces and masks unexpected errors',
  parse: oneOf<NodeEnv>(['development', 'production', 'test']),
});

export const server = {
  title: 'Server',
  settings: {
    port: setting({ name: 'PORT', default: '4000', description: 'HTTP port (`0` picks a free one)', parse: integer(0, 65535) }),
    host: setting({ name: 'HOST', default: '127.0.0.1', description: 'interface to listen on (`0.0.0.0` for all)', parse: text }),
    nodeEnv: NODE_ENV,
    webConcurrency: setting({
      name: 'WEB_CONCURRENCY',
      default: (context) => (production(context) ? String(os.availableParallelism()) : '1'),
      documentedDefault: 'cores in production, else 1',
      description: 'worker processes on one port',
      parse: integer(1, 64),
    }),
    corsOrigins: setting({
      name: 'CORS_ORIGINS',
      documentedDefault: 'unset: same origin only',
      description: 'comma-separated origins, or `*`; they may send `Authorization` and read `WWW-Authenticate` and `Retry-After`',
      parse: corsOrigins,
      unset: undefined,
    }),
    /** Passed to express's `trust proxy`: `loopback`, a hop count, or comma-separated addresses/CIDRs. */
    trustProxy: setting({
      name: 'TRUST_PROXY',
      default: 'loopback',
      description: "whose `X-Forwarded-For` to believe (express's `trust proxy`: `loopback`, a hop count, addresses/CIDRs)",
      parse: trustProxy,
    }),
    metrics: setting({ name: 'METRICS', default: 'false', description: '`true` serves Prometheus metrics at `GET /metrics`', parse: boolean }),
  },
};

export const database = {
  title: 'Database',
  settings: {
    url: setting({
      name: 'DATABASE_URL',
      documentedDefault: 'unset: embedded PostgreSQL',
      description: '`postgres://user:pass@host:5432/db`; the database is created if missing',
      parse: databaseUrl,
      unset: undefined,
    }),
    /**
     * For what needs a session of its own, which a transaction pooler (PgBouncer in transaction mode) does not
     * give: the migrations' lock (src/database/advisory-lock.ts) and the one LISTEN connection per process
     * (src/realtime/listener.ts). DATABASE_URL unless set; the embedded database's own URL with no DATABASE_URL.
     */
    directUrl: setting({
      name: 'DATABASE_DIRECT_URL',
      default: ({ env }) => env.DATABASE_URL?.trim() || undefined,
      documentedDefault: '`DATABASE_URL`',
      description:
        'a direct, unpooled URL to the same database, for what needs a session: the migrations\' lock, and each process\'s one LISTEN connection (live events, revocations); never a transaction pooler',
      parse: databaseUrl,
      unset: undefined,
    }),
    pooler: setting({
      name: 'DATABASE_POOLER',
      default: 'none',
      description: '`transaction` when `DATABASE_URL` goes through a transaction pooler such as PgBouncer (detected otherwise, after a first failure)',
      parse: oneOf<DatabasePooler>(['none', 'transaction']),
    }),
    dataDir: setting({
      name: 'DATA_DIR',
      default: path.join(projectRoot, '.data'),
      documentedDefault: '`./.data`',
      description: 'where the embedded PostgreSQL keeps its files',
      parse: directory,
    }),
    poolSize: setting({ name: 'DB_POOL_SIZE', default: '10', description: 'database connections per process', parse: integer(1, 100) }),
    /** Django's own auth_user and authtoken_token are used as Django created them (docs/django.md). */
    django: setting({
      name: 'DJANGO_DATABASE',
      default: 'false',
      description:
        "`true`: run on a Django project's `auth_user`/`authtoken_token`, usernames matched exactly (case-sensitive) instead of regardless of case",
      parse: boolean,
    }),
  },
};

export const tokens = {
  title: 'Tokens',
  settings: {
    keyword: setting({
      name: 'AUTH_KEYWORD',
      default: 'Token',
      description: 'the Authorization scheme; `Bearer` is one setting away',
      parse: authKeyword,
    }),
  },
};

/** Login tokens (django-rest-knox's settings): see docs/login-tokens.md. */
export const loginTokens = {
  title: 'Login tokens',
  settings: {
    /** Starts every new login token; at most 10 characters. */
    prefix: setting({
      name: 'TOKEN_PREFIX',
      default: '',
      documentedDefault: 'empty',
      description: 'login tokens start with this (at most 10 of `A-Za-z0-9_-`), so secret scanners can spot them',
      parse: tokenPrefix,
    }),
    /** Seconds a new token lives; 0 means it never expires. */
    ttl: setting({ name: 'TOKEN_TTL', default: '36000', description: 'seconds a login token lives; `0`: never expires', parse: integer(0, 10 * YEAR) }),
    autoRefresh: setting({
      name: 'AUTO_REFRESH',
      default: 'false',
      description: "each use moves a login token's expiry to now + `TOKEN_TTL`",
      parse: boolean,
    }),
    /** Seconds: expiry and lastUsed are written only when they would move by at least this much. */
    minRefreshInterval: setting({
      name: 'MIN_REFRESH_INTERVAL',
      default: '60',
      description: "seconds: a login token's expiry and `lastUsed` are written at most this often",
      parse: integer(0, YEAR),
    }),
    /** Seconds after creation that expiry never passes, or null for no cap. */
    autoRefreshMaxTtl: setting({
      name: 'AUTO_REFRESH_MAX_TTL',
      documentedDefault: 'unset: no cap',
      description: "seconds: a login token's expiry never passes its creation + this",
      parse: integer(1, 10 * YEAR),
      unset: null,
    }),
    /** Unexpired login tokens a user may hold, or null for no limit. */
    limitPerUser: setting({
      name: 'TOKEN_LIMIT_PER_USER',
      documentedDefault: 'unset: no limit',
      description: 'unexpired login tokens per user before `login` answers 403 (access tokens are not counted)',
      parse: integer(1, 1_000_000),
      unset: null,
    }),
  },
};

/** Access tokens for machines: see docs/access-tokens.md. */
export const accessTokens = {
  title: 'Access tokens',
  settings: {
    /** Days an access token lives when created without expiresInDays (ignored when maxDays is 0). */
    defaultDays: setting({
      name: 'ACCESS_TOKEN_DEFAULT_DAYS',
      default: '30',
      description: "an access token's life when `createAccessToken` omits `expiresInDays`; at most `ACCESS_TOKEN_MAX_DAYS`",
      parse: integer(1, 36_600),
    }),
    /** The longest expiresInDays; 0 for no cap, and then an omitted expiresInDays means never. */
    maxDays: setting({
      name: 'ACCESS_TOKEN_MAX_DAYS',
      default: '366',
      description: 'the longest `expiresInDays` (GitHub\'s organisation default); `0`: no cap, and an omitted `expiresInDays` means never',
      parse: integer(0, 36_600),
    }),
  },
};

/** Sudo mode (src/access/sudo.ts): what mints credentials or changes other accounts needs a fresh password. */
export const sudo = {
  title: 'Sudo mode',
  settings: {
    /** Seconds a password confirmation counts as fresh; 0 turns sudo mode off. */
    maxAge: setting({
      name: 'SUDO_MAX_AGE',
      default: '900',
      description: 'seconds a password confirmation unlocks `createAccessToken`, `rotateToken` and the staff writes; `0` turns sudo mode off',
      parse: integer(0, 86_400),
    }),
  },
};

/** The keys are PasswordPolicy's (src/users/hashers), so the group is passed as it is. */
export const passwords = {
  title: 'Passwords',
  settings: {
    /** The format new and upgraded passwords are stored in. */
    passwordHasher: setting({
      name: 'PASSWORD_HASHER',
      default: 'bcrypt_sha256',
      description:
        "format of new passwords, Django's: `bcrypt_sha256` (bcrypt, no 72-byte limit) or `pbkdf2_sha256`; all of Django's formats verify",
      parse: oneOf<PasswordHasherName>(PASSWORD_HASHERS),
    }),
    bcryptRounds: setting({ name: 'BCRYPT_ROUNDS', default: '12', description: 'bcrypt cost, 4 to 15', parse: integer(4, 15) }),
    // The floor keeps a typo (15 for 1500000) from storing nearly unprotected passwords; tests use 1000.
    pbkdf2Iterations: setting({
      name: 'PBKDF2_ITERATIONS',
      default: String(DJANGO_PBKDF2_ITERATIONS),
      description: "`pbkdf2_sha256` iterations (Django 6.1's default), at least 1000",
      parse: integer(1000, 100_000_000),
    }),
  },
};

/** What one operation may ask for, checked before anything executes (src/limits/). */
export const limits = {
  title: 'Operation limits',
  settings: {
    maxTokens: setting({ name: 'MAX_TOKENS', default: '1000', description: 'parser tokens per document', parse: integer(100, 1_000_000) }),
    maxAliases: setting({ name: 'MAX_ALIASES', default: '15', description: 'aliases per operation (`__typename` not counted)', parse: integer(1, 10_000) }),
    maxDepth: setting({ name: 'MAX_DEPTH', default: '10', description: 'field nesting per operation (introspection not counted)', parse: integer(1, 1_000) }),
    maxCost: setting({
      name: 'MAX_COST',
      default: '5000',
      description: 'cost per operation: a field 1, a page its `limit` times one item',
      parse: integer(1, 100_000_000),
    }),
    introspection: setting({
      name: 'INTROSPECTION',
      default: (context) => String(!production(context)),
      documentedDefault: '`true` outside production',
      description: 'allow schema introspection',
      parse: boolean,
    }),
  },
};

export type TrustedDocumentsMode = 'off' | 'log' | 'enforce';

/** Cookie sessions (src/sessions/, docs/sessions.md) and trusted documents (src/trusted-documents/). */
export const sessions = {
  title: 'Browser sessions and trusted documents',
  settings: {
    cookie: setting({
      name: 'AUTH_COOKIE',
      default: 'false',
      description:
        "`true`: `startSession` keeps a browser's login token in an HttpOnly cookie, with CSRF refused by origin ([docs/sessions.md](docs/sessions.md)); recommended for the web app in production",
      parse: boolean,
    }),
    /** Without its prefix: `cookieName()` (src/sessions/cookie.ts) gives the name sent. */
    cookieName: setting({
      name: 'AUTH_COOKIE_NAME',
      default: 'authtoken',
      description: 'the session cookie\'s name, sent as `__Host-<name>` while `AUTH_COOKIE_SECURE` is true',
      parse: cookieName,
    }),
    cookieSecure: setting({
      name: 'AUTH_COOKIE_SECURE',
      default: 'true',
      description: '`false` drops `Secure` and the `__Host-` prefix, for plain HTTP beyond localhost (logged at start)',
      parse: boolean,
    }),
    /** Besides the server's own origin, where a cookie-authenticated request may come from (CSRF). */
    trustedOrigins: setting({
      name: 'TRUSTED_ORIGINS',
      default: ({ env }) => (env.CORS_ORIGINS?.trim() === '*' ? undefined : env.CORS_ORIGINS?.trim() || undefined),
      documentedDefault: '`CORS_ORIGINS` (never `*`)',
      description: 'other origins whose pages may use the session cookie; only they get `Access-Control-Allow-Credentials`',
      parse: trustedOrigins,
      unset: [] as string[],
    }),
    trustedDocuments: setting({
      name: 'TRUSTED_DOCUMENTS',
      default: 'off',
      description:
        "`log` or `enforce`: only the web app's operations and the playground's examples (the manifest the web build writes), staff and introspection exempt ([docs/trusted-documents.md](docs/trusted-documents.md))",
      parse: oneOf<TrustedDocumentsMode>(['off', 'log', 'enforce']),
    }),
  },
};

export const throttles = {
  title: 'Throttles',
  settings: {
    loginFailureLimit: setting({
      name: 'LOGIN_FAILURE_LIMIT',
      default: '10',
      description:
        'failed logins (`obtainAuthToken`, `login`, a wrong current password in `changePassword`) per client address and username before `THROTTLED` (429); `0` turns it off',
      parse: integer(0, 1_000_000),
    }),
    loginFailureWindow: setting({
      name: 'LOGIN_FAILURE_WINDOW',
      default: '900',
      description: 'seconds a failed login is remembered',
      parse: integer(1, 86_400),
    }),
    /** Bcrypt-running operations allowed per client address, or null when off. */
    passwordRate: setting({
      name: 'PASSWORD_RATE',
      default: '30/minute',
      description:
        "password-checking operations (registrations, logins, users made by staff) per client address before `THROTTLED` (429); DRF's rate format, `0` turns it off",
      parse: throttleRate,
    }),
  },
};

export const sockets = {
  title: 'WebSockets',
  settings: {
    /** graphql-ws's connectionInitWaitTimeout. */
    initTimeoutMs: setting({
      name: 'WS_INIT_TIMEOUT_MS',
      default: '3000',
      description: 'time a WebSocket has to send `connection_init` (else close 4408)',
      parse: integer(100, 60_000),
    }),
    /** WebSocket ping interval; a socket that misses its pong for this long is dropped. 0 turns pings off. */
    keepAliveMs: setting({
      name: 'WS_KEEPALIVE_MS',
      default: '12000',
      description: 'WebSocket ping interval; a socket without a pong for as long is dropped; `0` turns pings off',
      parse: integer(0, 600_000),
    }),
    maxSockets: setting({
      name: 'WS_MAX_SOCKETS',
      default: '10000',
      description: 'open WebSockets per process; more are refused at the upgrade with 503',
      parse: integer(1, 1_000_000),
    }),
    maxSubscriptions: setting({
      name: 'WS_MAX_SUBSCRIPTIONS',
      default: '100',
      description: 'operations at once on one WebSocket; more get `LIMIT_EXCEEDED`',
      parse: integer(1, 10_000),
    }),
    maxMessageBytes: setting({
      name: 'WS_MAX_MESSAGE_BYTES',
      default: '102400',
      description: 'largest message a WebSocket client may send (else close 1009)',
      parse: integer(1024, 10_485_760),
    }),
  },
};

export const logging = {
  title: 'Logging',
  settings: {
    level: setting({
      name: 'LOG_LEVEL',
      default: ({ nodeEnv }) => (nodeEnv === 'test' ? 'error' : 'info'),
      documentedDefault: '`info` (`error` with `NODE_ENV=test`)',
      description: '`silent`, `error`, `info` or `debug` (debug logs SQL)',
      parse: oneOf<LogLevel>(['silent', 'error', 'info', 'debug']),
    }),
    format: setting({
      name: 'LOG_FORMAT',
      default: (context) => (production(context) ? 'json' : 'text'),
      documentedDefault: '`json` in production, else `text`',
      description: '`json`: one JSON object a line (pino), with a line per request',
      parse: oneOf<LogFormat>(['text', 'json']),
    }),
  },
};

export const securityLog = {
  title: 'Security log',
  settings: {
    // Auth0 keeps 1 to 30 days by plan, GitHub 180.
    retentionDays: setting({
      name: 'SECURITY_LOG_RETENTION_DAYS',
      default: '90',
      description: 'days the security log keeps an event, 1 to 3650 (docs/security-log.md)',
      parse: integer(1, 3650),
    }),
    prune: setting({
      name: 'SECURITY_LOG_PRUNE',
      default: 'true',
      description: 'the server deletes older security events once a day (one replica does it)',
      parse: boolean,
    }),
  },
};

/** The groups, in the order of the README table. */
export const GROUPS = { server, database, tokens, loginTokens, accessTokens, sudo, sessions, passwords, limits, throttles, sockets, logging, securityLog };
