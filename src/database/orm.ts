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
import { logger } from '../logger';

export interface OrmOptions {
  poolSize?: number;
  debug?: boolean;
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
    driverOptions: { connection: { connectionTimeoutMillis: 5000 } },
    forceUtcTimezone: true,
    debug: options.debug ?? false,
    logger: (message: string) => logger.debug(message),
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: true },
  });
}

export async function initOrm(clientUrl: string, options: OrmOptions = {}): Promise<MikroORM> {
  return MikroORM.init(ormConfig(clientUrl, options));
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
