import { Migration } from '@mikro-orm/migrations';
import { onDjangoDatabase } from './django';

/**
 * Users, tokens (DRF's authtoken_token) and the example products. On a Django project's database
 * (DJANGO_DATABASE) the users and tokens are Django's tables, left as Django made them: only the products.
 */
export class Migration20261123000000_initial extends Migration {
  override async up(): Promise<void> {
    if (!(await onDjangoDatabase(this))) this.createUsersAndTokens();
    this.addSql(`create table "product" (
      "id" serial primary key,
      "name" varchar(200) not null,
      "description" text not null default '',
      "price" numeric(12,2) not null,
      "created" timestamptz not null default now(),
      "updated" timestamptz not null default now()
    );`);
  }

  private createUsersAndTokens(): void {
    this.addSql(`create table "auth_user" (
      "id" serial primary key,
      "username" varchar(150) not null,
      "email" varchar(254) not null,
      "first_name" varchar(150) not null default '',
      "last_name" varchar(150) not null default '',
      "password" varchar(128) not null,
      "is_active" boolean not null default true,
      "is_staff" boolean not null default false,
      "is_superuser" boolean not null default false,
      "date_joined" timestamptz not null default now(),
      "last_login" timestamptz null
    );`);
    // Usernames are unique regardless of case; logins look them up through the same expression.
    this.addSql(`create unique index "auth_user_username_lower_unique" on "auth_user" (lower("username"));`);

    this.addSql(`create table "authtoken_token" (
      "key" varchar(40) primary key,
      "user_id" int not null,
      "created" timestamptz not null default now(),
      constraint "authtoken_token_user_id_unique" unique ("user_id"),
      constraint "authtoken_token_user_id_foreign" foreign key ("user_id")
        references "auth_user" ("id") on update cascade on delete cascade
    );`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "product" cascade;');
    if (await onDjangoDatabase(this)) return;
    this.addSql('drop table if exists "authtoken_token" cascade;');
    this.addSql('drop table if exists "auth_user" cascade;');
  }
}
