/**
 * Reads on the hottest paths (the token lookup on every request, a products page) sent straight to a pooled
 * `pg` connection. They still come from MikroORM's knex pool, so pool size, timeouts and type parsing are
 * the ORM's; what they skip is knex's query runner (SQL formatting, binding positions, events), which the
 * issue 5 profile showed costing more CPU than the `pg` work it wraps.
 *
 * Outside transactions only: a transaction's queries must go through its own connection, via the ORM.
 * Reads only, on the per-request path (the SQL rule in src/authtoken/token-store.ts): a statement here is
 * run again when a transaction pooler rejects its name, which a write must not be.
 *
 * Behind a transaction pooler (DATABASE_POOLER=transaction, e.g. PgBouncer in `pool_mode = transaction`)
 * a connection here is not one server session: a statement prepared on one server connection is missing on
 * the next, or already exists under the same name (`prepared statement "authtoken_..." already exists`).
 * There every statement is sent unnamed (parse, bind and execute in one round trip, as knex does), which
 * costs PostgreSQL a parse and plan per request but nothing in round trips.
 */
import { createHash } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { logger } from '../logger';

interface PgConnection {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** The configurations (shared by an ORM's EntityManager and all its forks) that must not name statements. */
const unnamed = new WeakSet<object>();

/** For an ORM on a transaction pooler: send every statement of this module unnamed. */
export function withoutNamedStatements(orm: MikroORM): void {
  unnamed.add(orm.config);
}

// Each statement is prepared once per connection under a name of its own (pg keeps the parsed statement and
// sends only Bind and Execute afterwards), which spares PostgreSQL parsing and planning it on every request.
// A name is a digest of its text, so one text never meets two names or one name two texts, in this process
// or any other: a replica that reaches a server connection where another prepared the name finds the same
// statement there, never a different one run with its parameters. Texts must be constants (values go in $1,
// $2, ...): each distinct text stays prepared on every connection.
const statementNames = new Map<string, string>();

// Checked once per distinct text, when it is first named: a write sent here would be run twice when a pooler
// rejects its name, and would dodge the ORM the SQL rule gives writes to.
const READ = /^\s*select\b/i;

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    if (!READ.test(text)) throw new Error(`src/database/sql.ts runs reads only (select ...), not: ${text.slice(0, 60)}`);
    name = `authtoken_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** Runs one parameterised statement (`$1`, `$2`, ...), prepared on first use, and returns its rows. */
export async function queryRows<T>(em: EntityManager, text: string, values: unknown[] = []): Promise<T[]> {
  const [rows] = await queryEach<[T]>(em, [[text, values]]);
  return rows;
}

type Statement = [text: string, values?: unknown[]];

// SQLSTATE 42P05 duplicate_prepared_statement and 26000 invalid_sql_statement_name: what named statements
// meet behind a transaction pooler nobody announced (the name prepared on another server connection, or not
// on this one).
const POOLER_SYMPTOMS = new Set(['42P05', '26000']);

/**
 * Runs several statements on one pooled connection, queued back to back (pg sends the next as soon as the
 * previous answers), and returns each one's rows: one pool checkout instead of one per statement.
 *
 * Detection: when named statements fail the way they do behind a transaction pooler, this ORM switches to
 * unnamed ones for good, says so once in the log, and runs the statements again (they are reads: safe to
 * repeat). DATABASE_POOLER=transaction says it up front and spares the first failures.
 */
export async function queryEach<R extends unknown[]>(
  em: EntityManager,
  statements: { [I in keyof R]: Statement },
): Promise<{ [I in keyof R]: R[I][] }> {
  if (em.getTransactionContext()) throw new Error('queryEach() runs outside transactions; use the ORM inside one.');
  // Named even when sent unnamed: naming is where a statement is checked to be a read.
  const names = (statements as Statement[]).map(([text]) => statementName(text));
  const named = !unnamed.has(em.config);
  try {
    return await run<R>(em, statements as Statement[], named ? names : null);
  } catch (error) {
    if (!named || !POOLER_SYMPTOMS.has((error as { code?: string }).code ?? '')) throw error;
    if (!unnamed.has(em.config)) {
      unnamed.add(em.config);
      logger.error(
        'Named prepared statements fail on DATABASE_URL, as they do through a transaction pooler (PgBouncer): ' +
          'sending them unnamed from now on. Set DATABASE_POOLER=transaction to say so at start-up.',
      );
    }
    return run<R>(em, statements as Statement[], null);
  }
}

async function run<R extends unknown[]>(em: EntityManager, statements: Statement[], names: string[] | null): Promise<{ [I in keyof R]: R[I][] }> {
  const client = em.getConnection().getKnex().client;
  const connection: PgConnection = await client.acquireConnection();
  try {
    // allSettled: the connection goes back to the pool only once none of its statements is still running.
    const results = await Promise.allSettled(
      statements.map(([text, values = []], i) => connection.query(names ? { name: names[i], text, values } : { text, values })),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return results.map((result) => (result as PromiseFulfilledResult<{ rows: unknown[] }>).value.rows) as { [I in keyof R]: R[I][] };
  } finally {
    await client.releaseConnection(connection);
  }
}
