/**
 * MikroORM configuration for the `mikro-orm` CLI (migration:create, schema diffs). The server and the tests
 * build theirs with `ormConfig()` from src/database/orm.ts; this file only points the CLI at DATABASE_URL, read
 * and checked by the settings as the server reads it (the CLI needs a running server's URL: the embedded
 * default has no fixed address).
 */
import { ormConfig } from './src/database/orm';
import { loadSettings } from './src/settings';

const databaseUrl = loadSettings().database.url;
if (!databaseUrl) throw new Error('Set DATABASE_URL for the mikro-orm CLI (the embedded database has no fixed address).');

export default ormConfig(databaseUrl);
