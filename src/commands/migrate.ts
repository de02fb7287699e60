/** `manage migrate`: applies pending migrations, as the server does at start, and names each one. */
import { migrateDatabase } from '../database/database';
import { loadSettings } from '../settings';
import { DatabaseModeError } from '../database/django';
import { CommandError, helpOrNoArguments, writeLine, type Command } from './command';
import { withDatabaseFor } from './database';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations.',
  help: `Usage: npm run manage -- migrate

Applies the migrations the database does not have yet, in one transaction, and prints each one's name
(or "No migrations to apply."). The server does the same when it starts; both hold the same lock, so a
server starting meanwhile waits rather than applying them twice.

Options:
  -h, --help  Show this help.`,

  async run(args, io) {
    if (helpOrNoArguments(this, args, io)) return;
    const settings = loadSettings(io.env);
    const applied = await withDatabaseFor(settings, async ({ directUrl }) => {
      try {
        return await migrateDatabase(directUrl, settings);
      } catch (error) {
        // DJANGO_DATABASE and the database disagree: say what to do, without a stack.
        if (error instanceof DatabaseModeError) throw new CommandError(`Cannot migrate: ${error.message}`);
        throw error;
      }
    });
    if (applied.length === 0) return writeLine(io.stdout, 'No migrations to apply.');
    for (const name of applied) writeLine(io.stdout, `Applied ${name}`);
  },
};
