/**
 * The server's settings, read from the environment in this one place (as knox's `settings.py`), grouped by
 * concern: `settings.server`, `.database`, `.tokens`, `.loginTokens`, `.sessions`, `.passwords`, `.limits`,
 * `.throttles`, `.sockets`, `.logging`, `.securityLog`. Each consumer takes the group it needs (the WebSocket limits take
 * `settings.sockets`, typed `SocketSettings`), so what a function depends on shows in its signature.
 *
 * Each variable, its default and its meaning are declared once, in src/settings/declarations.ts; the
 * README's table is generated from there (`npm run settings:docs`).
 *
 * A bad value stops the start-up with a SettingsError naming the variable: a typo must not silently fall back.
 */
import { isSet, read, readGroup, type Env, type Setting, type ValuesOf } from './declare';
import { accessTokens, database, GROUPS, limits, loginTokens, logging, NODE_ENV, passwords, securityLog, server, sessions, sockets, sudo, throttles, tokens } from './declarations';
import { SettingsError } from './parsers';

export { SettingsError, type ThrottleRate } from './parsers';
export type { NodeEnv } from './declare';
export {
  DJANGO_PBKDF2_ITERATIONS,
  PASSWORD_HASHERS,
  type DatabasePooler,
  type LogFormat,
  type LogLevel,
  type PasswordHasherName,
  type TrustedDocumentsMode,
} from './declarations';

export type ServerSettings = ValuesOf<typeof server>;
export type DatabaseSettings = ValuesOf<typeof database> & {
  /** False when DATA_DIR was not set: the embedded database may then move somewhere it can run (see embedded.ts). */
  dataDirExplicit: boolean;
};
export type TokenSettings = ValuesOf<typeof tokens>;
export type LoginTokenSettings = ValuesOf<typeof loginTokens>;
export type AccessTokenSettings = ValuesOf<typeof accessTokens>;
export type SudoSettings = ValuesOf<typeof sudo>;
export type PasswordSettings = ValuesOf<typeof passwords>;
/** What one operation may ask for, and whether introspection is allowed (src/limits/). */
export type OperationLimits = ValuesOf<typeof limits> & {
  /** False when INTROSPECTION was not set: the refusal then says it is off by the production default. */
  introspectionExplicit: boolean;
};
export type ThrottleSettings = ValuesOf<typeof throttles>;
export type SocketSettings = ValuesOf<typeof sockets>;
export type SessionSettings = ValuesOf<typeof sessions>;
export type LoggingSettings = ValuesOf<typeof logging>;
export type SecurityLogSettings = ValuesOf<typeof securityLog>;

/** One property per group of GROUPS, so a group declared there is a group here. */
type Declared = { [K in keyof typeof GROUPS]: ValuesOf<(typeof GROUPS)[K]> };

export interface Settings extends Declared {
  database: DatabaseSettings;
  limits: OperationLimits;
}

export function loadSettings(env: Env = process.env): Settings {
  // NODE_ENV's own default is a plain value, so the context it is read with does not matter.
  const context = { env, nodeEnv: read(NODE_ENV, { env, nodeEnv: 'development' }) };
  const groups: Record<string, unknown> = {};
  for (const [key, group] of Object.entries(GROUPS)) groups[key] = readGroup<Record<string, Setting<unknown>>>(group, context);
  const grouped = groups as unknown as Settings;
  // Whether a variable was set at all, for messages and fallbacks that say which it was.
  grouped.database.dataDirExplicit = isSet(env, database.settings.dataDir.name);
  grouped.limits.introspectionExplicit = isSet(env, limits.settings.introspection.name);
  const { defaultDays, maxDays } = grouped.accessTokens;
  if (maxDays > 0 && defaultDays > maxDays) {
    throw new SettingsError(`ACCESS_TOKEN_DEFAULT_DAYS (${defaultDays}) must not exceed ACCESS_TOKEN_MAX_DAYS (${maxDays})`);
  }
  return grouped;
}
