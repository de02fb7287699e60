import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications that carry live data between processes (src/realtime/): PostgreSQL's NOTIFY, sent by
 * triggers, so that every write is seen whoever makes it (the ORM, raw SQL, the CLI, another replica), and
 * only once it commits (NOTIFY is delivered at commit, and dropped on rollback).
 *
 * - `authtoken_product`: one notification per product row written, `{"kind": "CREATED"|"UPDATED"|"DELETED",
 *   "product": {...}}`. A payload must stay under 8000 bytes: a row too large to fit (a long description)
 *   goes as `{"kind", "id"}` and each process reads the row itself; a deleted one can no longer be read, so
 *   it goes with its description cut to 1,500 characters.
 * - `authtoken_revoked`: `{"kind": "token"|"login"|"user", "ids": [...]}` when credentials stop being
 *   valid, so that every process closes the sockets that authenticated with them. DRF tokens are named by
 *   the SHA-256 of their key, login tokens by their id, never by anything a client could use: notifications
 *   are visible to every session that listens on the channel. `authtoken_notify_revoked(kind, ids)` is the
 *   one sender; another token table's trigger calls it with a kind of its own. (The kinds became the
 *   schema's `AUTHTOKEN`, `LOGIN` and `USER` in the token_kinds migration.)
 */
export class Migration20261129000200_live_events extends Migration {
  override async up(): Promise<void> {
    // 100 ids of 64 hex characters make about 6.7 kB: a bulk delete is sent in chunks that fit.
    this.addSql(`create function "authtoken_notify_revoked"("kind" text, "ids" text[]) returns void language plpgsql as $$
      declare
        "chunk" int := 100;
        "i" int := 1;
      begin
        while "i" <= coalesce(array_length("ids", 1), 0) loop
          perform pg_notify('authtoken_revoked', json_build_object('kind', "kind", 'ids', "ids"["i" : "i" + "chunk" - 1])::text);
          "i" := "i" + "chunk";
        end loop;
      end
    $$;`);

    // Per statement with a transition table: a bulk delete (a user with its token, an admin sweep) costs one
    // call. Regenerating a token deletes the old row, so that is covered too.
    this.addSql(`create function "authtoken_token_revoked"() returns trigger language plpgsql as $$
      begin
        perform "authtoken_notify_revoked"('token', array(select encode(sha256(convert_to(d."key", 'UTF8')), 'hex') from "deleted" d));
        return null;
      end
    $$;`);
    this.addSql(`create trigger "authtoken_token_revoked" after delete on "authtoken_token"
      referencing old table as "deleted" for each statement execute function "authtoken_token_revoked"();`);
    // A key rewritten in place, or a token handed to another user, ends what the old row authenticated.
    this.addSql(`create function "authtoken_token_changed"() returns trigger language plpgsql as $$
      begin
        if old."key" is distinct from new."key" or old."user_id" is distinct from new."user_id" then
          perform "authtoken_notify_revoked"('token', array[encode(sha256(convert_to(old."key", 'UTF8')), 'hex')]);
        end if;
        return null;
      end
    $$;`);
    this.addSql(`create trigger "authtoken_token_changed" after update of "key", "user_id" on "authtoken_token"
      for each row execute function "authtoken_token_changed"();`);

    // Login tokens (the login_tokens migration) are named by their surrogate id: nothing of the secret. Every
    // way one ends deletes its row: logout, revokeToken, logoutAll, a password change, expiry (cleartokens).
    this.addSql(`create function "authtoken_login_token_revoked"() returns trigger language plpgsql as $$
      begin
        perform "authtoken_notify_revoked"('login', array(select d."id"::text from "deleted" d));
        return null;
      end
    $$;`);
    this.addSql(`create trigger "authtoken_login_token_revoked" after delete on "authtoken_login_token"
      referencing old table as "deleted" for each statement execute function "authtoken_login_token_revoked"();`);

    // Deactivation keeps the user's tokens (reactivation restores them) but ends their sockets.
    this.addSql(`create function "authtoken_user_deactivated"() returns trigger language plpgsql as $$
      begin
        perform "authtoken_notify_revoked"('user', array[new."id"::text]);
        return null;
      end
    $$;`);
    this.addSql(`create trigger "authtoken_user_deactivated" after update of "is_active" on "auth_user"
      for each row when (old."is_active" and not new."is_active") execute function "authtoken_user_deactivated"();`);

    // The price as text keeps its two decimals ("10.00"); a JSON number would lose them.
    this.addSql(`create function "product_notify"() returns trigger language plpgsql as $$
      declare
        "row" "product" := case when tg_op = 'DELETE' then old else new end;
        "kind" text := case tg_op when 'INSERT' then 'CREATED' when 'UPDATE' then 'UPDATED' else 'DELETED' end;
        "payload" text;
      begin
        "payload" := json_build_object('kind', "kind", 'product', json_build_object(
          'id', "row"."id", 'name', "row"."name", 'description', "row"."description",
          'price', "row"."price"::text, 'created', "row"."created", 'updated', "row"."updated"))::text;
        if octet_length("payload") > 7900 then
          if tg_op = 'DELETE' then
            "payload" := json_build_object('kind', "kind", 'product', json_build_object(
              'id', "row"."id", 'name', "row"."name", 'description', left("row"."description", 1500),
              'price', "row"."price"::text, 'created', "row"."created", 'updated', "row"."updated"))::text;
          else
            "payload" := json_build_object('kind', "kind", 'id', "row"."id")::text;
          end if;
        end if;
        perform pg_notify('authtoken_product', "payload");
        return null;
      end
    $$;`);
    this.addSql(`create trigger "product_notify" after insert or update or delete on "product"
      for each row execute function "product_notify"();`);
  }

  override async down(): Promise<void> {
    for (const [name, table] of [
      ['product_notify', 'product'],
      ['authtoken_user_deactivated', 'auth_user'],
      ['authtoken_login_token_revoked', 'authtoken_login_token'],
      ['authtoken_token_changed', 'authtoken_token'],
      ['authtoken_token_revoked', 'authtoken_token'],
    ]) {
      this.addSql(`drop trigger if exists "${name}" on "${table}";`);
      this.addSql(`drop function if exists "${name}"();`);
    }
    this.addSql('drop function if exists "authtoken_notify_revoked"(text, text[]);');
  }
}
