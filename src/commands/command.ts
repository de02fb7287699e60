/**
 * What every management command shares: its shape, the streams it talks to, and the two ways it can fail.
 *
 * Exit codes: 0 done, 1 the command failed (a message on stderr says why), 2 it was called wrongly (a usage
 * error, with a pointer to `--help`).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Readable, Writable } from 'node:stream';

export interface CommandIO {
  stdout: Writable;
  stderr: Writable;
  /** For the password prompt; a TTY only when a person is at the terminal. */
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env: Record<string, string | undefined>;
}

export interface Command {
  name: string;
  /** One line, for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  run(args: string[], io: CommandIO): Promise<void>;
}

/** The command was called wrongly: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command could not do its work, for a reason the message explains: exit code 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** node:util parseArgs, strict, with its errors turned into usage errors and `--help` handled. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * For commands that take no arguments: true when `--help` was asked for (and printed), a usage error for
 * anything else on the command line.
 */
export function helpOrNoArguments(command: Pick<Command, 'help'>, args: string[], io: Pick<CommandIO, 'stdout'>): boolean {
  const { values, positionals } = parseCommandArgs(args, {}, true);
  if (values.help) {
    writeLine(io.stdout, command.help);
    return true;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument: ${positionals[0]}`);
  return false;
}

export function writeLine(stream: Writable, text: string): void {
  stream.write(`${text}\n`);
}
