/**
 * For migrations that must act differently on a Django project's database (DJANGO_DATABASE): there Django
 * owns auth_user and authtoken_token, and a migration adds only this server's tables, indexes and triggers,
 * never altering or dropping Django's. The start-up check (src/database/django.ts) has already made sure the
 * setting and the database agree, so the database itself says which case applies.
 */
import type { Migration } from '@mikro-orm/migrations';
import { isDjangoDatabase } from '../database/django';

export function onDjangoDatabase(migration: Migration): Promise<boolean> {
  // execute() is protected: reached through the instance, inside the migration's own transaction.
  const execute = (migration as unknown as { execute(sql: string): Promise<Record<string, unknown>[]> }).execute.bind(migration);
  return isDjangoDatabase((sql) => execute(sql));
}
