/** `manage cleartokens`: deletes expired login tokens (knox's periodic clean-up), over clearExpiredTokens(). */
import { clearExpiredTokens } from '../authtoken/token-store';
import { loadSettings } from '../settings';
import { commandCaller } from '../security/security-log';
import { helpOrNoArguments, writeLine, type Command } from './command';
import { requireMigrated, withDatabaseFor } from './database';

export const clearTokensCommand: Command = {
  name: 'cleartokens',
  summary: 'Delete expired login tokens.',
  help: `Usage: npm run manage -- cleartokens

Deletes every login token past its expiry and prints how many. An expired token already answers 401 (and is
deleted when it is next presented); this removes the ones never presented again. Safe to run at any time,
e.g. from cron.

Options:
  -h, --help  Show this help.`,

  async run(args, io) {
    if (helpOrNoArguments(this, args, io)) return;
    const deleted = await withDatabaseFor(loadSettings(io.env), async ({ orm }) => {
      await requireMigrated(orm);
      return clearExpiredTokens(orm.em.fork(), { caller: commandCaller('cleartokens') });
    });
    writeLine(io.stdout, `Deleted ${deleted} expired login token${deleted === 1 ? '' : 's'}.`);
  },
};
