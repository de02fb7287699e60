import { Migration } from '@mikro-orm/migrations';

/**
 * A sliding-window rate throttle kept in PostgreSQL, for PASSWORD_RATE (src/throttles/password-work.ts).
 * One row per scope and client address holds the times of its recent hits, newest first, as DRF's
 * SimpleRateThrottle keeps its history in the cache. `authtoken_throttle_hit` prunes the history, and either
 * records a hit and answers null, or records nothing and answers the seconds until the oldest hit leaves the
 * window. It runs under the row's lock: concurrent hits for one address are counted one after another.
 * Unlogged, as the login failures: a crash forgets recent hits, which costs nothing worth a WAL write.
 */
export class Migration20261129000000_password_work extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create unlogged table "authtoken_throttle" (
      "scope" varchar(40) not null,
      "ident" varchar(400) not null,
      "history" timestamptz[] not null,
      "last_hit" timestamptz not null,
      primary key ("scope", "ident")
    );`);
    this.addSql(`create index "authtoken_throttle_last_hit_index" on "authtoken_throttle" ("last_hit");`);
    this.addSql(`create function authtoken_throttle_hit(p_scope text, p_ident text, p_requests int, p_seconds int)
      returns double precision language plpgsql as $$
    declare
      window_start timestamptz := clock_timestamp() - make_interval(secs => p_seconds);
      kept timestamptz[];
    begin
      -- Rows of addresses gone quiet for a whole window hold nothing that counts.
      delete from authtoken_throttle where scope = p_scope and last_hit < window_start and ident <> p_ident;
      insert into authtoken_throttle (scope, ident, history, last_hit) values (p_scope, p_ident, '{}', clock_timestamp())
        on conflict do nothing;
      select array(select hit from unnest(history) hit where hit > window_start order by hit desc) into kept
        from authtoken_throttle where scope = p_scope and ident = p_ident for update;
      if cardinality(kept) >= p_requests then
        update authtoken_throttle set history = kept where scope = p_scope and ident = p_ident;
        return extract(epoch from kept[cardinality(kept)] - window_start);
      end if;
      update authtoken_throttle set history = clock_timestamp() || kept, last_hit = clock_timestamp()
        where scope = p_scope and ident = p_ident;
      return null;
    end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function if exists authtoken_throttle_hit(text, text, int, int);');
    this.addSql('drop table if exists "authtoken_throttle";');
  }
}
