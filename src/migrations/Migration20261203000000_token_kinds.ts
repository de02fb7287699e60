import { Migration } from '@mikro-orm/migrations';

/**
 * Revocation notifications name token kinds as everything else does (src/authtoken/token-kind.ts): the
 * `authtoken_revoked` payload becomes `{"kind": "AUTHTOKEN"|"LOGIN"|"USER", "ids": [...]}` instead of
 * `"token"|"login"|"user"`. Only the trigger functions change; the triggers keep calling them.
 *
 * A rolling upgrade: a process from before this migration does not recognise the new kinds (it logs the
 * payload as unexpected), so its sockets are closed on revocation only once it is replaced.
 */
const KINDS = { authtoken: 'AUTHTOKEN', login: 'LOGIN', user: 'USER' };
const OLD_KINDS = { authtoken: 'token', login: 'login', user: 'user' };

function functions(kinds: typeof KINDS): string[] {
  return [
    `create or replace function "authtoken_token_revoked"() returns trigger language plpgsql as $$
      begin
        perform "authtoken_notify_revoked"('${kinds.authtoken}', array(select encode(sha256(convert_to(d."key", 'UTF8')), 'hex') from "deleted" d));
        return null;
      end
    $$;`,
    `create or replace function "authtoken_token_changed"() returns trigger language plpgsql as $$
      begin
        if old."key" is distinct from new."key" or old."user_id" is distinct from new."user_id" then
          perform "authtoken_notify_revoked"('${kinds.authtoken}', array[encode(sha256(convert_to(old."key", 'UTF8')), 'hex')]);
        end if;
        return null;
      end
    $$;`,
    `create or replace function "authtoken_login_token_revoked"() returns trigger language plpgsql as $$
      begin
        perform "authtoken_notify_revoked"('${kinds.login}', array(select d."id"::text from "deleted" d));
        return null;
      end
    $$;`,
    `create or replace function "authtoken_user_deactivated"() returns trigger language plpgsql as $$
      begin
        perform "authtoken_notify_revoked"('${kinds.user}', array[new."id"::text]);
        return null;
      end
    $$;`,
  ];
}

export class Migration20261203000000_token_kinds extends Migration {
  override async up(): Promise<void> {
    for (const sql of functions(KINDS)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of functions(OLD_KINDS)) this.addSql(sql);
  }
}
