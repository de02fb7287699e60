/**
 * DRF's throttle-rate format, `<requests>/<period>` (`30/minute`, `1000/day`, `5/s`), for PASSWORD_RATE and an
 * access token's `rate`. DRF reads only the period's first letter; here a period must be a whole unit name
 * (second, minute, hour, day, or s, sec, m, min, h, d, with an optional plural s), so a typo is an error.
 */

/** A DRF throttle rate: `requests` per `seconds`. */
export interface ThrottleRate {
  requests: number;
  seconds: number;
}

const PERIODS: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600, d: 86_400, day: 86_400 };
const UNIT_NAMES: Record<number, string> = { 1: 'second', 60: 'minute', 3600: 'hour', 86_400: 'day' };

/** The rate, or undefined when the text is not one. */
export function parseRate(raw: string): ThrottleRate | undefined {
  const match = /^(\d{1,9})\/([a-z]+?)s?$/.exec(raw.trim().toLowerCase());
  const seconds = match ? PERIODS[match[2]] : undefined;
  if (!match || !seconds || Number(match[1]) < 1) return undefined;
  return { requests: Number(match[1]), seconds };
}

/** The rate as DRF's settings write it: `100/minute`. */
export function rateText(rate: ThrottleRate): string {
  return `${rate.requests}/${UNIT_NAMES[rate.seconds] ?? `${rate.seconds}s`}`;
}
