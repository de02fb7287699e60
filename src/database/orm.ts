/**
 * The one MikroORM configuration, shared by the server, the CLI and the tests. Migrations are listed in code
 * (src/migrations/index.ts) rather than globbed from disk, so the same list works from `src` under vitest and
 * from `dist` under node, with nothing to import at run time by path.
 */
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from '../resources';
import { TokenSubscriber } from '../authtoken/token.subscriber';
import { migrationsList } from '../migrations';
import { checkDatabaseMode } from './django';
import { logger, scrub } from '../logger';
import { withoutNamedStatements } from './sql';

export interface OrmOptions {
  poolSize?: number;
  debug?: boolean;
  /** `transaction`: the URL is a transaction pooler, so no statement stays prepared (src/database/sql.ts). */
  pooler?: 'none' | 'transaction';
}

export function ormConfig(clientUrl: string, options: OrmOptions = {}): Options {
  return defineConfig({
    clientUrl,
    entities,
    subscribers: [new TokenSubscriber()],
    extensions: [Migrator],
    migrations: {
      migrationsList,
      path: 'src/migrations',
      pathTs: 'src/migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    pool: { min: 0, max: options.poolSize ?? 10 },
    // Fail fast when the database is down instead of queueing requests for a minute.
    driverOptions: {
      connection: { connectionTimeoutMillis: 5000 },
      // knex's own messages (a pooled connection lost, "Connection Error: ...") into our log and its format,
      // rather than console.warn lines in the middle of a JSON log.
      log: {
        warn: (message: string) => logger.info(`Database pool: ${scrub(String(message))}`),
        error: (message: string) => logger.error(`Database pool: ${scrub(String(message))}`),
        deprecate: (message: string) => logger.debug(`Database pool: ${scrub(String(message))}`),
        debug: (message: string) => logger.debug(`Database pool: ${scrub(String(message))}`),
      },
    },
    forceUtcTimezone: true,
    // Statements without their parameters: 'query-params' would inline the values into the logged SQL, and
    // those are token keys, password hashes and e-mail addresses.
    debug: options.debug ? ['query', 'schema', 'discovery', 'info', 'deprecated'] : false,
    logger: (message: string) => logger.debug(message),
    // Plain text: colour codes would end up inside the JSON log's strings.
    colors: false,
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: true },
  });
}

export async function initOrm(clientUrl: string, options: OrmOptions = {}): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(clientUrl, options));
  if (options.pooler === 'transaction') withoutNamedStatements(orm);
  return orm;
}

/**
 * Applies pending migrations; returns the names applied (empty when up to date). First checks that
 * DJANGO_DATABASE matches the database (src/database/django.ts), so nothing is created on the wrong one.
 */
export async function migrate(orm: MikroORM, options: { djangoDatabase?: boolean } = {}): Promise<string[]> {
  await checkDatabaseMode(orm, options.djangoDatabase ?? false);
  const applied = await orm.getMigrator().up();
  return applied.map((migration) => migration.name);
}
