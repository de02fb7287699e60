/**
 * MikroORM configuration for the `mikro-orm` CLI (migration:create, schema diffs). The server and the tests
 * build theirs with `ormConfig()` from src/database/orm.ts; this file only points the CLI at DATABASE_URL.
 */
import { ormConfig } from './src/database/orm';

export default ormConfig(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/authtoken');
