/** `manage ensure-tokens`: DRF's documented backfill, over ensureTokens(). */
import { ensureTokens } from '../authtoken/token-store';
import { loadSettings } from '../settings';
import { helpOrNoArguments, writeLine, type Command } from './command';
import { requireMigrated, withDatabaseFor } from './database';

export const ensureTokensCommand: Command = {
  name: 'ensure-tokens',
  summary: 'Give every user without a token one.',
  help: `Usage: npm run manage -- ensure-tokens

Creates a token for every user who has none (users inserted outside the ORM, or imported), and prints how
many it created. Existing tokens are never replaced, so it is safe to run again and while the server runs.

Options:
  -h, --help  Show this help.`,

  async run(args, io) {
    if (helpOrNoArguments(this, args, io)) return;
    const created = await withDatabaseFor(loadSettings(io.env), async ({ orm }) => {
      await requireMigrated(orm);
      return ensureTokens(orm.em.fork());
    });
    writeLine(io.stdout, `Created ${created} token${created === 1 ? '' : 's'}.`);
  },
};
