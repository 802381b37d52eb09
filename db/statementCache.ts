import type Database from 'better-sqlite3';
import type { CompiledQuery, Kysely, SqliteDatabase } from 'kysely';

// Kysely's SQLite driver prepares every statement again on every call (~50 µs for the clients list; in a sync
// pull, with ten small statements per applied change, preparing took 40 % of the SQL time). Each connection
// therefore keeps its recent statements prepared, one per distinct SQL text, for every query Kysely runs
// (`cachingDatabase`, what openDatabase gives Kysely as its database). Hot read paths also skip Kysely's
// executor (~25 µs more) and run their compiled query on the connection directly (`cachedRead`).

const connections = new WeakMap<Kysely<never>, Database.Database>();
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/** Distinct SQL texts kept prepared per connection (the app runs a few hundred; the rest are prepared again). */
const maxStatements = 512;

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
  return prepared(sqlite, query.sql).all(...(query.parameters as unknown[])) as R[];
}

/** The connection's statement for this SQL text, prepared once while it stays among the recent ones. */
function prepared(sqlite: Database.Database, source: string): Database.Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  let statement = cache.get(source);
  // A statement still iterating (a streamed export) cannot run again: that caller gets one of its own.
  if (statement?.busy) return sqlite.prepare(source);
  if (statement) {
    // Most recently used last: the first key is the one to evict.
    cache.delete(source);
  } else {
    statement = sqlite.prepare(source);
    if (cache.size >= maxStatements) cache.delete(cache.keys().next().value!);
  }
  cache.set(source, statement);
  return statement;
}

/** The connection as Kysely's SQLite dialect sees it, preparing each SQL text once (see above). */
export function cachingDatabase(sqlite: Database.Database): SqliteDatabase {
  return {
    prepare: (source: string) => prepared(sqlite, source),
    close: () => sqlite.close(),
  };
}
