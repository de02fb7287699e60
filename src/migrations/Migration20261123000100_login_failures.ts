import { Migration } from '@mikro-orm/migrations';

/**
 * Failed logins per client address and username, for obtainAuthToken's throttle. Unlogged: it is rebuilt by
 * use, so a crash losing it costs nothing, and skipping the WAL keeps failed logins cheap.
 */
export class Migration20261123000100_login_failures extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create unlogged table "authtoken_login_failure" (
      "ident" varchar(400) not null,
      "at" timestamptz not null default now()
    );`);
    this.addSql(`create index "authtoken_login_failure_ident_at_index" on "authtoken_login_failure" ("ident", "at");`);
    this.addSql(`create index "authtoken_login_failure_at_index" on "authtoken_login_failure" ("at");`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "authtoken_login_failure";');
  }
}
