import type Database from 'better-sqlite3';
import type { CompiledQuery, Kysely } from 'kysely';

// Kysely's SQLite driver prepares every statement again on every call (~50 µs for the clients list, and its
// executor adds ~25 µs more), while the whole overhead the list may add to its SQL is ~100 µs (DESIGN.md:
// ≤ 1.3× the raw driver). Hot read paths therefore run their compiled query on the connection directly,
// each distinct SQL text prepared once.

const connections = new WeakMap<Kysely<never>, Database.Database>();
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/** Distinct SQL texts kept prepared per connection (the list has a few shapes per sort and filter set). */
const maxStatements = 64;

/** Called by openDatabase: the connection behind this Kysely instance (never a transaction's). */
export function registerConnection<DB>(db: Kysely<DB>, sqlite: Database.Database): void {
  connections.set(db as unknown as Kysely<never>, sqlite);
}

/**
 * Runs a read-only query, with a prepared statement reused across calls. Falls back to Kysely for a
 * transaction's `trx` and whenever a transaction is open on the connection: Kysely holds the connection for
 * a transaction across its awaits, and a read slipped in between them could see its uncommitted rows.
 * better-sqlite3 is synchronous, so nothing else runs between that check and the read.
 */
export async function cachedRead<DB, R>(db: Kysely<DB>, query: CompiledQuery<R>): Promise<R[]> {
  const sqlite = connections.get(db as unknown as Kysely<never>);
  if (!sqlite || sqlite.inTransaction) return (await db.executeQuery(query)).rows;
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  let statement = cache.get(query.sql);
  if (statement) {
    // Most recently used last: the first key is the one to evict.
    cache.delete(query.sql);
  } else {
    statement = sqlite.prepare(query.sql);
    if (cache.size >= maxStatements) cache.delete(cache.keys().next().value!);
  }
  cache.set(query.sql, statement);
  return statement.all(...(query.parameters as unknown[])) as R[];
}
