/**
 * The value parsers of the settings (src/settings/declarations.ts). Each gets a value already trimmed and
 * non-empty (the variable's, or its declared default) and throws a SettingsError whose message starts with
 * the variable's name: a typo must stop the start-up, never fall back silently.
 */
import net from 'node:net';
import path from 'node:path';
import { parseRate, type ThrottleRate } from '../throttles/rate';

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** What a parser is handed: the trimmed value, the variable's name, and its value as written (for messages). */
export interface Raw {
  value: string;
  name: string;
  /** The variable as set, untrimmed; undefined when the declared default is being parsed. */
  written: string | undefined;
}

export type Parser<T> = (raw: Raw) => T;

export const text: Parser<string> = ({ value }) => value;

export function integer(min: number, max: number): Parser<number> {
  return ({ value, name }) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new SettingsError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
    }
    return Number(value);
  };
}

export const boolean: Parser<boolean> = ({ value, name, written }) => {
  const lower = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  throw new SettingsError(`${name} must be true or false, got "${written}"`);
};

export function oneOf<T extends string>(allowed: readonly T[]): Parser<T> {
  return ({ value, name }) => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new SettingsError(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    }
    return value as T;
  };
}

/** A directory, resolved against the working directory as the server starts. */
export const directory: Parser<string> = ({ value }) => path.resolve(value);

export type { ThrottleRate } from '../throttles/rate';

/**
 * DRF's throttle-rate format (src/throttles/rate.ts, shared with an access token's `rate`); `0` turns it off.
 */
export const throttleRate: Parser<ThrottleRate | null> = ({ value, name, written }) => {
  if (value === '0') return null;
  const rate = parseRate(value);
  if (!rate) {
    throw new SettingsError(`${name} must be a rate such as 30/minute or 1000/day (second, minute, hour, day), or 0 for none, got "${written}"`);
  }
  return rate;
};

/** A PostgreSQL URL naming a database. The messages never echo the URL: it may hold a password. */
export const databaseUrl: Parser<string> = ({ value, name }) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingsError(`${name} must be a URL such as postgres://user:password@localhost:5432/authtoken`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new SettingsError(`${name} must start with postgres://, got "${url.protocol}//"`);
  }
  if (url.pathname.length <= 1) {
    throw new SettingsError(`${name} must name a database, e.g. postgres://localhost:5432/authtoken`);
  }
  return value;
};

/** `*`, or comma-separated origins (scheme, host and port only: what a browser sends in `Origin`). */
export const corsOrigins: Parser<string[] | '*'> = ({ value, name }) => {
  if (value === '*') return '*';
  const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || url.origin !== origin) {
      throw new SettingsError(`${name} entries must be origins such as https://app.example.com, got "${origin}"`);
    }
  }
  return origins;
};

/** TRUSTED_ORIGINS: origins, never `*` (which would trust every site with the session cookie). */
export const trustedOrigins: Parser<string[]> = (raw) => {
  if (raw.value === '*') throw new SettingsError(`${raw.name} cannot be *: list the origins a cookie session may be used from`);
  return corsOrigins(raw) as string[];
};

// RFC 6265's cookie-name characters (an RFC 7230 token).
const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** AUTH_COOKIE_NAME: the name without its prefix, which AUTH_COOKIE_SECURE decides. */
export const cookieName: Parser<string> = ({ value, name }) => {
  if (!COOKIE_NAME.test(value)) throw new SettingsError(`${name} must be a cookie name (letters, digits, - _ . and no spaces), got "${value}"`);
  // A browser honours the prefix only with Secure, Path=/ and no Domain: adding it is the setting's job.
  if (/^__(host|secure)-/i.test(value)) {
    throw new SettingsError(`${name} is the name without its prefix: __Host- is added while AUTH_COOKIE_SECURE is true, got "${value}"`);
  }
  return value;
};

/** express's `trust proxy`: `loopback` (and the other names), a hop count, true/false, or addresses/CIDRs. */
export const trustProxy: Parser<string | number | boolean> = ({ value, name }) => {
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  const names = ['loopback', 'linklocal', 'uniquelocal'];
  for (const entry of value.split(',').map((part) => part.trim())) {
    if (!names.includes(entry) && net.isIP(entry.split('/')[0]) === 0) {
      throw new SettingsError(`${name} must be loopback, a hop count, or addresses/CIDRs, got "${entry}"`);
    }
  }
  return value;
};

/** The Authorization scheme: it becomes a header token and the WWW-Authenticate value (RFC 7235 token characters). */
export const authKeyword: Parser<string> = ({ value, name }) => {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(value)) {
    throw new SettingsError(`${name} must be a single word such as Token or Bearer, got "${value}"`);
  }
  return value;
};

/** knox refuses a prefix over 10 characters. Header-safe characters only; no whitespace or quotes. */
export const tokenPrefix: Parser<string> = ({ value, name }) => {
  if (value.length > 10 || !/^[A-Za-z0-9_-]*$/.test(value)) {
    throw new SettingsError(`${name} must be at most 10 characters of A-Z, a-z, 0-9, _ and -, got "${value}"`);
  }
  return value;
};
