/** `manage migrate`: applies pending migrations, as the server does at start, and names each one. */
import { migrateDatabase } from '../database/database';
import { loadSettings } from '../settings';
import { helpOrNoArguments, writeLine, type Command } from './command';
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
    const applied = await withDatabaseFor(settings, ({ directUrl }) => migrateDatabase(directUrl, settings));
    if (applied.length === 0) return writeLine(io.stdout, 'No migrations to apply.');
    for (const name of applied) writeLine(io.stdout, `Applied ${name}`);
  },
};
