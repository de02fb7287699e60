/**
 * DJANGO_DATABASE: running on a Django project's own database. Django owns `auth_user` and `authtoken_token`
 * there (created by its `migrate`, columns without database defaults); this server's migrations then create
 * only its own tables, indexes and triggers around them (see src/migrations and docs/django.md).
 *
 * A database is Django's when its `django_migrations` table records the `auth` app. The setting is explicit,
 * and checked against the database before any migration runs, both ways: a Django database without the
 * setting, or the setting on a database Django has not migrated, stops the start with what to do.
 */
import type { MikroORM } from '@mikro-orm/postgresql';

export class DatabaseModeError extends Error {
  override name = 'DatabaseModeError';
}

/** The Django migrations that must have run: users with 150-character names (Django 3.1+) and DRF's tokens. */
export const REQUIRED_DJANGO_MIGRATIONS: [app: string, name: string][] = [
  ['auth', '0012_alter_user_first_name_max_length'],
  ['authtoken', '0001_initial'],
];

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** Whether Django's `migrate` has recorded the auth app here. */
export async function isDjangoDatabase(query: Query): Promise<boolean> {
  const [row] = await query(
    `select to_regclass('django_migrations') is not null
            and exists (select 1 from pg_class where oid = to_regclass('auth_user')) as present`,
  );
  if (!row?.present) return false;
  const [auth] = await query(`select exists (select 1 from django_migrations where app = 'auth') as present`);
  return Boolean(auth?.present);
}

async function appliedDjangoMigrations(query: Query): Promise<Set<string>> {
  const [table] = await query(`select to_regclass('django_migrations') is not null as present`);
  if (!table?.present) return new Set();
  const rows = await query(`select app || '.' || name as name from django_migrations where app in ('auth', 'authtoken')`);
  return new Set(rows.map((row) => String(row.name)));
}

/** Throws DatabaseModeError when DJANGO_DATABASE and the database disagree. */
export async function checkDatabaseMode(orm: MikroORM, djangoDatabase: boolean): Promise<void> {
  const query: Query = (sql) => orm.em.getConnection().execute(sql);
  const django = await isDjangoDatabase(query);
  if (!djangoDatabase) {
    if (!django) return;
    // A database this server created earlier keeps working: only a foreign auth_user is refused.
    const [ours] = await query(
      `select to_regclass('mikro_orm_migrations') is not null
              and exists (select 1 from pg_class where oid = to_regclass('auth_user_username_lower_unique')) as present`,
    );
    if (ours?.present) return;
    throw new DatabaseModeError(
      "this is a Django project's database (django_migrations records the auth app): " +
        'set DJANGO_DATABASE=true to run beside it on its auth_user and authtoken_token (docs/django.md).',
    );
  }
  const applied = await appliedDjangoMigrations(query);
  const missing = REQUIRED_DJANGO_MIGRATIONS.filter(([app, name]) => !applied.has(`${app}.${name}`));
  const [tables] = await query(
    `select to_regclass('auth_user') is not null and to_regclass('authtoken_token') is not null as present`,
  );
  if (missing.length > 0 || !tables?.present) {
    throw new DatabaseModeError(
      'DJANGO_DATABASE=true, but Django has not migrated this database' +
        (missing.length > 0 ? ` (missing ${missing.map(([app, name]) => `${app}.${name}`).join(', ')})` : '') +
        ": run the Django project's `python manage.py migrate` first, with django.contrib.auth (Django 3.2 or later) " +
        'and rest_framework.authtoken in INSTALLED_APPS, then start this server (docs/django.md).',
    );
  }
}
