import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the admin API (`users`, `tokens`): substring search on username and email, and newest-first
 * pages of tokens. Users are listed by id (their insertion order), which the primary key already serves.
 *
 * Substring search (`ILIKE '%term%'`) can only use an index through pg_trgm's trigram GIN operator class.
 * pg_trgm ships with PostgreSQL's contrib modules (the embedded server has it) and is a trusted extension,
 * so a database owner may create it; on a server without it the search still works, by sequential scan.
 */
export class Migration20261123000200_admin_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$
      begin
        if exists (select 1 from pg_available_extensions where name = 'pg_trgm') then
          create extension if not exists pg_trgm;
          create index if not exists "auth_user_username_trgm_index" on "auth_user" using gin ("username" gin_trgm_ops);
          create index if not exists "auth_user_email_trgm_index" on "auth_user" using gin ("email" gin_trgm_ops);
        end if;
      end
    $$;`);
    // The key breaks ties between tokens created in the same transaction, so offset paging stays stable.
    this.addSql(`create index "authtoken_token_created_key_index" on "authtoken_token" ("created", "key");`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "authtoken_token_created_key_index";');
    this.addSql('drop index if exists "auth_user_email_trgm_index";');
    this.addSql('drop index if exists "auth_user_username_trgm_index";');
  }
}
