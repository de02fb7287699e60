/**
 * The management commands' dispatcher, `main(argv, io)`, apart from the process entry (src/cli.ts) so tests
 * can run a command in-process and read its output and exit code.
 */
import { SettingsError } from '../settings';
import { CommandError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, writeLine, type Command, type CommandIO } from './command';
import { clearTokensCommand } from './cleartokens';
import { createAccessTokenCommand } from './create-access-token';
import { createTokenCommand } from './create-token';
import { createSuperuserCommand } from './createsuperuser';
import { ensureTokensCommand } from './ensure-tokens';
import { migrateCommand } from './migrate';
import { pruneSecurityLogCommand } from './prune-security-log';

export const commands: Command[] = [
  clearTokensCommand,
  createAccessTokenCommand,
  createTokenCommand,
  createSuperuserCommand,
  ensureTokensCommand,
  migrateCommand,
  pruneSecurityLogCommand,
];

export function mainHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: npm run manage -- <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `npm run manage -- <command> --help` for a command\'s options. Commands use the server\'s database',
    'settings: DATABASE_URL, else the embedded PostgreSQL in DATA_DIR (joined if the server is running).',
  ].join('\n');
}

/** Runs one command line; returns the exit code. Unexpected errors keep their stack, on stderr. */
export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    writeLine(name === undefined ? io.stderr : io.stdout, mainHelp());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    writeLine(io.stderr, `Unknown command: ${name}\n\n${mainHelp()}`);
    return EXIT_USAGE;
  }
  try {
    await command.run(args, io);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      writeLine(io.stderr, `${error.message}\nRun \`npm run manage -- ${command.name} --help\` for usage.`);
      return EXIT_USAGE;
    }
    if (error instanceof CommandError) {
      writeLine(io.stderr, error.message);
      return EXIT_FAILURE;
    }
    if (error instanceof SettingsError) {
      writeLine(io.stderr, `Configuration error: ${error.message}`);
      return EXIT_FAILURE;
    }
    writeLine(io.stderr, `${command.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT_FAILURE;
  }
}
