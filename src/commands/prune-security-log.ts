/** `manage prune-security-log`: deletes security events older than SECURITY_LOG_RETENTION_DAYS, over pruneSecurityLog(). */
import { loadSettings } from '../settings';
import { pruneSecurityLog } from '../security/prune';
import { helpOrNoArguments, writeLine, type Command } from './command';
import { requireMigrated, withDatabaseFor } from './database';

export const pruneSecurityLogCommand: Command = {
  name: 'prune-security-log',
  summary: 'Delete security events older than SECURITY_LOG_RETENTION_DAYS.',
  help: `Usage: npm run manage -- prune-security-log

Deletes every security event older than SECURITY_LOG_RETENTION_DAYS (default 90) and prints how many. The
server does this once a day by itself unless SECURITY_LOG_PRUNE=false; this is for a server that does not,
or for cron. Safe to run at any time.

Options:
  -h, --help  Show this help.`,

  async run(args, io) {
    if (helpOrNoArguments(this, args, io)) return;
    const settings = loadSettings(io.env);
    const deleted = await withDatabaseFor(settings, async ({ orm }) => {
      await requireMigrated(orm);
      return pruneSecurityLog(orm.em.fork(), settings.securityLog.retentionDays);
    });
    const days = settings.securityLog.retentionDays;
    writeLine(io.stdout, `Deleted ${deleted} security event${deleted === 1 ? '' : 's'} older than ${days} day${days === 1 ? '' : 's'}.`);
  },
};
