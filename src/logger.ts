/**
 * The server's one logger: `logger.info(message, fields?)`, `logger.error(message, error?, fields?)`,
 * `logger.debug(message, fields?)`. Configured once from the settings (`configureLogger`, called by the
 * server and the commands); until then it logs errors only, as text, which keeps library use and the test
 * run quiet.
 *
 * - `text` (the default outside production): the message, then `key=value` for each field; info to stdout,
 *   errors and debug to stderr, so a terminal and `grep` read it as before.
 * - `json` (LOG_FORMAT=json, the default in production): one JSON object a line on stdout through pino:
 *   `{"level":"info","time":"<ISO 8601>","pid":..,"msg":"...", ...fields}`, an error under `err` with its
 *   type, message and stack.
 *
 * What must never be logged, whatever the level: a token, a password or an Authorization value. Nothing
 * here logs request bodies, variables or headers; the SQL debug log carries statements without their
 * parameters (src/database/orm.ts); a logged error keeps its name, code, message and stack with SQL values
 * blanked, and nothing else; and pino's redaction blanks the field names that could hold a secret, in case a
 * caller passes one by mistake. test/logs.test.ts searches a whole debug log for the secrets it sent.
 */
import pino from 'pino';
import type { LogFormat, LogLevel } from './settings';

export type LogFields = Record<string, unknown>;

/** The request log's line: these fields and no others (none of them can carry a secret). */
export interface RequestLine {
  requestId: string;
  method: string | undefined;
  path: string;
  operation: string | undefined;
  userId: number | string | undefined;
  status: number;
  durationMs: number;
}

const ORDER: Record<LogLevel, number> = { silent: 0, error: 1, info: 2, debug: 3 };

/** Field names that could carry a secret, blanked in JSON output (the text format logs no such field). */
const REDACTED = ['authorization', 'password', 'token', 'key', '*.authorization', '*.password', '*.token', 'headers.authorization'];

let level: LogLevel = 'error';
let json: pino.Logger | undefined;
/** The request line's logger: the same output and format, without redaction (see `logger.request`). */
let jsonRequests: pino.Logger | undefined;

function createJsonLoggers(next: LogLevel): { all: pino.Logger; requests: pino.Logger } {
  const options: pino.LoggerOptions = {
    level: next,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  // Synchronous: a line written just before process.exit (or a crash) must not be lost in a buffer. One
  // destination for both, so that their lines stay in order.
  const destination = pino.destination({ fd: 1, sync: true });
  return { all: pino({ ...options, redact: { paths: REDACTED, censor: '[redacted]' } }, destination), requests: pino(options, destination) };
}

/** Sets the level and format: `settings.logging` (LOG_LEVEL, LOG_FORMAT). */
export function configureLogger({ level: next, format }: { level: LogLevel; format: LogFormat }): void {
  level = next;
  const loggers = format === 'json' ? createJsonLoggers(next) : undefined;
  json = loggers?.all;
  jsonRequests = loggers?.requests;
}

// SQL string literals: MikroORM's exceptions quote the failed statement with its values inlined
// (`insert into "authtoken_token" ... values ('<key>', ...) - <reason>`), and PostgreSQL's detail names the
// conflicting value (`Key (key)=(<key>) already exists.`).
const SQL_LITERAL = /'(?:[^']|'')*'/g;
const KEY_DETAIL = /\)=\((?:[^)]|\)(?!\s))*\)/g;

export function scrub(text: string): string {
  return text.replace(SQL_LITERAL, "'…'").replace(KEY_DETAIL, ')=(…)');
}

/**
 * An error as it may be logged: name, code, message and stack with SQL values blanked, and no other property
 * (drivers attach the statement's parameters, the row, the detail).
 */
function loggable(error: unknown): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? scrub(error) : error;
  const safe = new Error(scrub(error.message));
  safe.name = error.name;
  safe.stack = scrub(error.stack ?? `${error.name}: ${error.message}`);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') Object.assign(safe, { code });
  return safe;
}

function textFields(fields?: LogFields): string {
  if (!fields) return '';
  let text = '';
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    text += ` ${name}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`;
  }
  return text;
}

export const logger = {
  setLevel(next: LogLevel) {
    level = next;
    if (json) json.level = next;
    if (jsonRequests) jsonRequests.level = next;
  },
  isEnabled(wanted: Exclude<LogLevel, 'silent'>): boolean {
    return ORDER[level] >= ORDER[wanted];
  },
  error(message: string, error?: unknown, fields?: LogFields) {
    if (ORDER[level] < ORDER.error) return;
    if (json) json.error({ ...fields, ...(error === undefined ? {} : { err: loggable(error) }) }, message);
    else console.error(message + textFields(fields), ...(error === undefined ? [] : [loggable(error)]));
  },
  info(message: string, fields?: LogFields) {
    if (ORDER[level] < ORDER.info) return;
    if (json) json.info(fields ?? {}, message);
    else console.log(message + textFields(fields));
  },
  /**
   * The per-request line (src/observe/requests.ts), at info level. Its fields are fixed and none can hold a
   * secret (ids, method, path, operation name, status, duration), so it skips pino's redaction, which cost
   * 7-10 us a line, as much as the rest of the line and a twentieth of a 401's CPU.
   */
  request(fields: RequestLine) {
    if (ORDER[level] < ORDER.info) return;
    if (jsonRequests) jsonRequests.info(fields, 'request');
    else console.log('request' + textFields(fields as unknown as LogFields));
  },
  debug(message: string, fields?: LogFields) {
    if (ORDER[level] < ORDER.debug) return;
    if (json) json.debug(fields ?? {}, message);
    else console.error(message + textFields(fields));
  },
};
