import { Migration } from '@mikro-orm/migrations';
import { onDjangoDatabase } from './django';

/**
 * What keeps the admin API fast with a large user base (the `users` and `tokens` queries).
 *
 * Search is a case-insensitive substring of the username or the email, and each page comes with an exact
 * `total`. Counting the users matching a broad term means visiting every match, so the text searched lives
 * in a narrow side table, `auth_user_search` (user id, lower(username) + newline + lower(email), and whether
 * the user has a token): counting 33,000 matches there reads a few MB, where the same count on auth_user's
 * wide rows, with ILIKE, took three to four times longer. Triggers keep it in step with auth_user and
 * authtoken_token, whoever writes them (the ORM, native SQL, `manage ensure-tokens`). The newline cannot
 * occur in a username or an email, so a match never spans both.
 *
 * A trigram GIN index serves terms of three or more characters. pg_trgm ships with PostgreSQL's contrib
 * modules (the embedded server has it) and is a trusted extension, so a database owner may create it; on a
 * server without it, search still works by scanning the narrow table.
 *
 * Free room in each page (fillfactor 85) lets the has_token flips of token resets be HOT updates, which leave
 * the trigram index alone.
 *
 * Tokens are listed newest first: an index on (created, key), the key breaking ties so pages are stable.
 *
 * On a Django project's database (DJANGO_DATABASE) the same side table, triggers and indexes are added to
 * Django's tables, with two differences, so that nothing here stands in Django's way:
 * - the two per-row update triggers name no columns (`after update`, the function checks what changed):
 *   a trigger's column list makes PostgreSQL refuse any later `ALTER COLUMN ... TYPE` of those columns,
 *   which would break a future Django migration of auth_user;
 * - `auth_user_search.user_id` has no foreign key: Django's `flush` truncates auth_user, which PostgreSQL
 *   refuses while another table references it. Triggers do the key's work instead: deleted users (per
 *   statement) and truncated users or tokens are removed or cleared from the side table.
 */
export class Migration20261123000200_admin_search extends Migration {
  override async up(): Promise<void> {
    const django = await onDjangoDatabase(this);
    const userKey = django ? '' : ' references "auth_user" ("id") on update cascade on delete cascade';
    this.addSql(`create table "auth_user_search" (
      "user_id" int primary key${userKey},
      "text" text not null,
      "has_token" boolean not null default false
    ) with (fillfactor = 85);`);
    this.addSql(`insert into "auth_user_search" ("user_id", "text", "has_token")
      select u."id", lower(u."username") || E'\\n' || lower(u."email"),
             exists (select 1 from "authtoken_token" t where t."user_id" = u."id")
        from "auth_user" u;`);

    // Inserts and deletes are handled per statement (transition tables), so bulk writes such as
    // `manage ensure-tokens` over 100,000 users cost one join, not 100,000 trigger calls. Username and
    // email changes are per row: only a trigger without a column list may see transition tables, and a
    // per-statement one would fire on every login's last_login update.
    this.addSql(`create function "auth_user_search_users_inserted"() returns trigger language plpgsql as $$
      begin
        insert into "auth_user_search" ("user_id", "text", "has_token")
        select i."id", lower(i."username") || E'\\n' || lower(i."email"),
               exists (select 1 from "authtoken_token" t where t."user_id" = i."id")
          from "inserted" i;
        return null;
      end
    $$;`);
    this.addSql(`create trigger "auth_user_search_users_inserted" after insert on "auth_user"
      referencing new table as "inserted" for each statement execute function "auth_user_search_users_inserted"();`);
    this.addSql(`create function "auth_user_search_user_renamed"() returns trigger language plpgsql as $$
      begin
        update "auth_user_search" set "text" = lower(new."username") || E'\\n' || lower(new."email")
         where "user_id" = new."id";
        return null;
      end
    $$;`);
    if (django) {
      this.addSql(`create or replace function "auth_user_search_user_renamed"() returns trigger language plpgsql as $$
        begin
          if new."username" is distinct from old."username" or new."email" is distinct from old."email" then
            update "auth_user_search" set "text" = lower(new."username") || E'\\n' || lower(new."email")
             where "user_id" = new."id";
          end if;
          return null;
        end
      $$;`);
      this.addSql(`create trigger "auth_user_search_user_renamed" after update on "auth_user"
        for each row execute function "auth_user_search_user_renamed"();`);
    } else {
      this.addSql(`create trigger "auth_user_search_user_renamed" after update of "id", "username", "email" on "auth_user"
        for each row execute function "auth_user_search_user_renamed"();`);
    }

    this.addSql(`create function "auth_user_search_tokens_inserted"() returns trigger language plpgsql as $$
      begin
        update "auth_user_search" s set "has_token" = true from "inserted" i where s."user_id" = i."user_id";
        return null;
      end
    $$;`);
    this.addSql(`create trigger "auth_user_search_tokens_inserted" after insert on "authtoken_token"
      referencing new table as "inserted" for each statement execute function "auth_user_search_tokens_inserted"();`);
    this.addSql(`create function "auth_user_search_tokens_deleted"() returns trigger language plpgsql as $$
      begin
        update "auth_user_search" s set "has_token" = false from "deleted" d where s."user_id" = d."user_id";
        return null;
      end
    $$;`);
    this.addSql(`create trigger "auth_user_search_tokens_deleted" after delete on "authtoken_token"
      referencing old table as "deleted" for each statement execute function "auth_user_search_tokens_deleted"();`);
    this.addSql(`create function "auth_user_search_token_moved"() returns trigger language plpgsql as $$
      begin
        update "auth_user_search" set "has_token" = false where "user_id" = old."user_id";
        update "auth_user_search" set "has_token" = true where "user_id" = new."user_id";
        return null;
      end
    $$;`);
    if (django) {
      this.addSql(`create or replace function "auth_user_search_token_moved"() returns trigger language plpgsql as $$
        begin
          if new."user_id" is distinct from old."user_id" then
            update "auth_user_search" set "has_token" = false where "user_id" = old."user_id";
            update "auth_user_search" set "has_token" = true where "user_id" = new."user_id";
          end if;
          return null;
        end
      $$;`);
      this.addSql(`create trigger "auth_user_search_token_moved" after update on "authtoken_token"
        for each row execute function "auth_user_search_token_moved"();`);
    } else {
      this.addSql(`create trigger "auth_user_search_token_moved" after update of "user_id" on "authtoken_token"
        for each row execute function "auth_user_search_token_moved"();`);
    }

    this.addSql(`do $$
      begin
        if exists (select 1 from pg_available_extensions where name = 'pg_trgm') then
          create extension if not exists pg_trgm;
          create index "auth_user_search_text_trgm_index" on "auth_user_search" using gin ("text" gin_trgm_ops);
        end if;
      end
    $$;`);
    // "if not exists" and the drops: a development database may hold an earlier draft of this migration.
    this.addSql(`create index if not exists "authtoken_token_created_key_index" on "authtoken_token" ("created", "key");`);
    if (django) {
      this.addDjangoDeleteTriggers();
      return;
    }
    this.addSql('drop index if exists "auth_user_username_trgm_index";');
    this.addSql('drop index if exists "auth_user_email_trgm_index";');
  }

  /** On a Django database, where the side table has no foreign key: deletes and truncations follow by trigger. */
  private addDjangoDeleteTriggers(): void {
    this.addSql(`create function "auth_user_search_users_deleted"() returns trigger language plpgsql as $$
      begin
        delete from "auth_user_search" s using "deleted" d where s."user_id" = d."id";
        return null;
      end
    $$;`);
    this.addSql(`create trigger "auth_user_search_users_deleted" after delete on "auth_user"
      referencing old table as "deleted" for each statement execute function "auth_user_search_users_deleted"();`);
    this.addSql(`create function "auth_user_search_users_truncated"() returns trigger language plpgsql as $$
      begin
        delete from "auth_user_search";
        return null;
      end
    $$;`);
    this.addSql(`create trigger "auth_user_search_users_truncated" after truncate on "auth_user"
      for each statement execute function "auth_user_search_users_truncated"();`);
    this.addSql(`create function "auth_user_search_tokens_truncated"() returns trigger language plpgsql as $$
      begin
        update "auth_user_search" set "has_token" = false where "has_token";
        return null;
      end
    $$;`);
    this.addSql(`create trigger "auth_user_search_tokens_truncated" after truncate on "authtoken_token"
      for each statement execute function "auth_user_search_tokens_truncated"();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "authtoken_token_created_key_index";');
    for (const [name, table] of [
      ['auth_user_search_tokens_truncated', 'authtoken_token'],
      ['auth_user_search_users_truncated', 'auth_user'],
      ['auth_user_search_users_deleted', 'auth_user'],
      ['auth_user_search_token_moved', 'authtoken_token'],
      ['auth_user_search_tokens_deleted', 'authtoken_token'],
      ['auth_user_search_tokens_inserted', 'authtoken_token'],
      ['auth_user_search_user_renamed', 'auth_user'],
      ['auth_user_search_users_inserted', 'auth_user'],
    ]) {
      this.addSql(`drop trigger if exists "${name}" on "${table}";`);
      this.addSql(`drop function if exists "${name}"();`);
    }
    this.addSql('drop table if exists "auth_user_search";');
  }
}
