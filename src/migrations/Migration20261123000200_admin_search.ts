import { Migration } from '@mikro-orm/migrations';

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
 * Tokens are listed newest first: an index on (created, key), the key breaking ties so pages are stable.
 */
export class Migration20261123000200_admin_search extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "auth_user_search" (
      "user_id" int primary key references "auth_user" ("id") on update cascade on delete cascade,
      "text" text not null,
      "has_token" boolean not null default false
    );`);
    this.addSql(`insert into "auth_user_search" ("user_id", "text", "has_token")
      select u."id", lower(u."username") || E'\\n' || lower(u."email"),
             exists (select 1 from "authtoken_token" t where t."user_id" = u."id")
        from "auth_user" u;`);

    this.addSql(`create function "auth_user_search_from_user"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into "auth_user_search" ("user_id", "text", "has_token")
          values (new."id", lower(new."username") || E'\\n' || lower(new."email"),
                  exists (select 1 from "authtoken_token" t where t."user_id" = new."id"));
        else
          update "auth_user_search" set "text" = lower(new."username") || E'\\n' || lower(new."email")
           where "user_id" = new."id";
        end if;
        return null;
      end
    $$;`);
    this.addSql(`create trigger "auth_user_search_from_user" after insert or update of "username", "email" on "auth_user"
      for each row execute function "auth_user_search_from_user"();`);

    this.addSql(`create function "auth_user_search_from_token"() returns trigger language plpgsql as $$
      begin
        if tg_op in ('DELETE', 'UPDATE') then
          update "auth_user_search" set "has_token" = false where "user_id" = old."user_id";
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          update "auth_user_search" set "has_token" = true where "user_id" = new."user_id";
        end if;
        return null;
      end
    $$;`);
    this.addSql(`create trigger "auth_user_search_from_token" after insert or delete or update of "user_id" on "authtoken_token"
      for each row execute function "auth_user_search_from_token"();`);

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
    this.addSql('drop index if exists "auth_user_username_trgm_index";');
    this.addSql('drop index if exists "auth_user_email_trgm_index";');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "authtoken_token_created_key_index";');
    this.addSql('drop trigger if exists "auth_user_search_from_token" on "authtoken_token";');
    this.addSql('drop trigger if exists "auth_user_search_from_user" on "auth_user";');
    this.addSql('drop function if exists "auth_user_search_from_token"();');
    this.addSql('drop function if exists "auth_user_search_from_user"();');
    this.addSql('drop table if exists "auth_user_search";');
  }
}
