import { Migration } from '@mikro-orm/migrations';

/**
 * Access tokens (issue 20) and the password confirmations of sudo mode.
 *
 * Access tokens live in `authtoken_login_token` beside login tokens, told apart by `kind`: they have the same
 * shape (TOKEN_PREFIX + 64 hex characters) and storage (digest + token_key), so the one lookup by token_key
 * that authenticates a login token finds an access token with the same single query. What only access tokens
 * have is null on login tokens:
 * - `scopes`: the scopes granted (`products:read`, ...); null means unrestricted (a login token).
 * - `allowed_cidrs`: PostgreSQL `cidr[]`, so the lookup judges the client address with `<<=` in the same query.
 * - `rate_requests` / `rate_seconds`: a DRF rate, counted per token by authtoken_throttle_hit (the throttle
 *   PASSWORD_RATE uses) from inside the lookup.
 *
 * `authtoken_password_confirmation` is sudo mode's mark: when the token a request authenticated with last had
 * its user's password confirmed. It is keyed by the credential's public name (`token:<sha256 of a DRF key>`,
 * `login:<id>`), the names revocation notifications already use, never by a key, and it leaves Django's
 * `authtoken_token` untouched. Unlogged: a crash forgets confirmations, which only asks for the password again.
 */
export class Migration20261203000200_access_tokens extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "authtoken_login_token"
      add column "kind" varchar(10) not null default 'login',
      add column "scopes" text[] null,
      add column "allowed_cidrs" cidr[] null,
      add column "rate_requests" int null,
      add column "rate_seconds" int null,
      add constraint "authtoken_login_token_kind_check" check ("kind" in ('login', 'access')),
      add constraint "authtoken_login_token_scopes_check" check (("kind" = 'access') = ("scopes" is not null)),
      add constraint "authtoken_login_token_rate_check" check (("rate_requests" is null) = ("rate_seconds" is null));`);
    this.addSql(`create unlogged table "authtoken_password_confirmation" (
      "credential" varchar(80) primary key,
      "confirmed" timestamptz not null
    );`);
    this.addSql(`create index "authtoken_password_confirmation_confirmed_index" on "authtoken_password_confirmation" ("confirmed");`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "authtoken_password_confirmation";');
    this.addSql(`alter table "authtoken_login_token"
      drop constraint if exists "authtoken_login_token_rate_check",
      drop constraint if exists "authtoken_login_token_scopes_check",
      drop constraint if exists "authtoken_login_token_kind_check",
      drop column if exists "rate_seconds", drop column if exists "rate_requests",
      drop column if exists "allowed_cidrs", drop column if exists "scopes", drop column if exists "kind";`);
  }
}
