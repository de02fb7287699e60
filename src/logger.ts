/**
 * A tiny levelled logger writing to stderr (info to stdout), so the server's log stays greppable and the
 * test run stays quiet (LOG_LEVEL defaults to `error` under NODE_ENV=test).
 */
import type { LogLevel } from './settings';

const ORDER: Record<LogLevel, number> = { silent: 0, error: 1, info: 2, debug: 3 };

let level: LogLevel = process.env.NODE_ENV === 'test' ? 'error' : ((process.env.LOG_LEVEL as LogLevel) ?? 'info');

export const logger = {
  setLevel(next: LogLevel) {
    level = next;
  },
  error(message: string, error?: unknown) {
    if (ORDER[level] >= ORDER.error) console.error(message, ...(error === undefined ? [] : [error]));
  },
  info(message: string) {
    if (ORDER[level] >= ORDER.info) console.log(message);
  },
  debug(message: string) {
    if (ORDER[level] >= ORDER.debug) console.error(message);
  },
};
