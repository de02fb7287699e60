/** `manage create-access-token <username> --name N --scope S [--scope ...]`: an access token for provisioning CI. */
import { ValidationError } from '../errors';
import { issueAccessTokenFor } from '../access/access-token.service';
import { commandCaller } from '../security/security-log';
import { loadSettings } from '../settings';
import { rateText } from '../throttles/rate';
import { CommandError, parseCommandArgs, UsageError, writeLine, type Command } from './command';
import { requireMigrated, withDatabaseFor } from './database';

export const createAccessTokenCommand: Command = {
  name: 'create-access-token',
  summary: 'Create an access token for a user (scoped, expiring) and print it once.',
  help: `Usage: npm run manage -- create-access-token <username> --name <name> --scope <scope> [--scope ...]
                          [--days <days>] [--cidr <network> ...] [--rate <rate>]

Prints "Generated access token <token> for user <username>" and, on a second line, its scopes and expiry.
The token is shown this once: only its digest is stored. Validation is createAccessToken's, with the same
messages; admin scopes need a staff user.

Options:
  --name <name>      What the token is for (required, at most 64 characters).
  --scope <scope>    A scope (repeat for more): profile, products, tokens or admin, then :read or :write.
  --days <days>      Days until it expires (default ACCESS_TOKEN_DEFAULT_DAYS, at most ACCESS_TOKEN_MAX_DAYS).
  --cidr <network>   A network it may be used from, such as 10.0.0.0/8 (repeat for more; default anywhere).
  --rate <rate>      Uses allowed per period, such as 100/minute (default no limit).
  -h, --help         Show this help.`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        name: { type: 'string' },
        scope: { type: 'string', multiple: true },
        days: { type: 'string' },
        cidr: { type: 'string', multiple: true },
        rate: { type: 'string' },
      },
      true,
    );
    if (values.help) return writeLine(io.stdout, this.help);
    if (positionals.length !== 1 || !positionals[0].trim()) {
      throw new UsageError(positionals.length > 1 ? 'Give exactly one username.' : 'The username is required.');
    }
    if (values.name === undefined) throw new UsageError('--name is required.');
    if (values.days !== undefined && !/^-?\d{1,9}$/.test(values.days)) throw new UsageError('--days must be a whole number of days.');
    const username = positionals[0].trim();
    const settings = loadSettings(io.env);
    const issued = await withDatabaseFor(settings, async ({ orm }) => {
      await requireMigrated(orm);
      try {
        return await issueAccessTokenFor(
          orm.em.fork(),
          username,
          {
            name: values.name!,
            scopes: values.scope ?? [],
            expiresInDays: values.days === undefined ? null : Number(values.days),
            allowedCidrs: values.cidr ?? [],
            rate: values.rate ?? null,
          },
          settings,
          { caller: commandCaller('create-access-token') },
        );
      } catch (error) {
        // The API's messages (`scopes: "x" is not a valid choice.`, the 403 on admin scopes) as they are.
        if (error instanceof ValidationError || (error as { extensions?: { code?: string } }).extensions?.code === 'FORBIDDEN') {
          throw new CommandError((error as Error).message);
        }
        throw error;
      }
    });
    writeLine(io.stdout, `Generated access token ${issued.token} for user ${username}`);
    const details = [
      `scopes ${issued.scopes.join(' ')}`,
      issued.expiry ? `expires ${issued.expiry.toISOString()}` : 'never expires',
      ...(issued.allowedCidrs.length ? [`networks ${issued.allowedCidrs.join(' ')}`] : []),
      ...(issued.rate ? [`rate ${rateText(issued.rate)}`] : []),
    ];
    writeLine(io.stdout, `Id ${issued.id}; ${details.join('; ')}`);
  },
};
