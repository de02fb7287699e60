/** `manage create-token <username> [-r]`: DRF's `drf_create_token`, over createUserToken(). */
import { createUserToken, UnknownUser } from '../authtoken/create-user-token';
import { loadSettings } from '../settings';
import { CommandError, parseCommandArgs, UsageError, writeLine, type Command } from './command';
import { requireMigrated, withDatabaseFor } from './database';

export const createTokenCommand: Command = {
  name: 'create-token',
  summary: "Print a user's token, creating it if needed (-r replaces it).",
  help: `Usage: npm run manage -- create-token <username> [-r|--reset]

Prints "Generated token <key> for user <username>": the user's existing token, or a new one when the user
has none. The username matches regardless of case (exactly with DJANGO_DATABASE=true).

Options:
  -r, --reset  Replace the token with a new key; the old key stops working at once.
  -h, --help   Show this help.`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { reset: { type: 'boolean', short: 'r' } }, true);
    if (values.help) return writeLine(io.stdout, this.help);
    if (positionals.length !== 1 || !positionals[0].trim()) {
      throw new UsageError(positionals.length > 1 ? 'Give exactly one username.' : 'The username is required.');
    }
    const username = positionals[0].trim();
    const settings = loadSettings(io.env);
    const token = await withDatabaseFor(settings, async ({ orm }) => {
      await requireMigrated(orm);
      try {
        return await createUserToken(orm.em.fork(), username, values.reset ?? false, settings.database.django);
      } catch (error) {
        if (error instanceof UnknownUser) throw new CommandError(error.message);
        throw error;
      }
    });
    writeLine(io.stdout, `Generated token ${token.key} for user ${token.user.username}`);
  },
};
