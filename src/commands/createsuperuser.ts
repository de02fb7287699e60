/**
 * `manage createsuperuser --username <u> --email <e> [--password <p>]`: Django's command. The password comes
 * from --password, else SUPERUSER_PASSWORD, else a prompt without echo (asked twice) when a person is at the
 * terminal; without any of them the command fails rather than hang on a pipe.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../errors';
import type { PasswordPolicy } from '../users/passwords';
import type { User } from '../users/user.entity';
import { createUser } from '../users/user.service';
import { cleanNewUser, type NewUser } from '../users/user.validation';
import { loadSettings } from '../settings';
import { CommandError, parseCommandArgs, UsageError, writeLine, type Command, type CommandIO } from './command';
import { requireMigrated, withDatabaseFor } from './database';
import { promptHidden } from './prompt';

/** A superuser, validated as `register` validates (and, as in Django, staff too), with its token. */
export function createSuperuser(em: EntityManager, input: NewUser, passwords: PasswordPolicy): Promise<User> {
  return createUser(em, input, passwords, { isStaff: true, isSuperuser: true });
}

/** Validation messages (the same as the API's, naming the field) become the command's failure. */
async function asCommandError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError) throw new CommandError(`Error: ${error.message}`);
    throw error;
  }
}

async function passwordFrom(io: CommandIO, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  if (io.env.SUPERUSER_PASSWORD !== undefined && io.env.SUPERUSER_PASSWORD !== '') return io.env.SUPERUSER_PASSWORD;
  if (!io.stdin.isTTY) {
    throw new CommandError(
      'No password given. Pass --password, set SUPERUSER_PASSWORD, or run the command in a terminal to be asked.',
    );
  }
  const [password, again] = await promptHidden(io, ['Password: ', 'Password (again): ']);
  if (password !== again) throw new CommandError("Error: Your passwords didn't match.");
  return password;
}

export const createSuperuserCommand: Command = {
  name: 'createsuperuser',
  summary: 'Create a superuser (staff too), with its token.',
  help: `Usage: npm run manage -- createsuperuser --username <username> --email <email> [--password <password>]

Creates a superuser, validated as the register mutation validates: a valid username, a valid email, a
password of at least 8 characters, not all digits. A superuser is also staff.

The password comes from --password, else the SUPERUSER_PASSWORD environment variable, else a prompt
without echo when run in a terminal (--password shows in the process list and shell history: prefer the
other two).

Options:
  --username <username>  Required.
  --email <email>        Required.
  --password <password>  The password.
  -h, --help             Show this help.`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { username: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } },
      true,
    );
    if (values.help) return writeLine(io.stdout, this.help);
    if (positionals.length > 0) throw new UsageError(`Unexpected argument: ${positionals[0]}`);
    if (values.username === undefined) throw new UsageError('--username is required.');
    if (values.email === undefined) throw new UsageError('--email is required.');
    const settings = loadSettings(io.env);
    const password = await passwordFrom(io, values.password);
    const input = { username: values.username, email: values.email, password };
    // Bad input fails before the database is touched (and before an embedded start-up is paid for).
    await asCommandError(async () => cleanNewUser(input));
    const user = await withDatabaseFor(settings, async ({ orm }) => {
      await requireMigrated(orm);
      return asCommandError(() => createSuperuser(orm.em.fork(), input, settings.passwords));
    });
    writeLine(io.stdout, `Superuser ${user.username} created.`);
  },
};
