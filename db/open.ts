import fs from 'node:fs';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, sql, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';
import { migrations as allMigrations, type Migration } from './migrations';
import { refuseUnknownDatabase } from './refuse';
import { cachingDatabase, registerConnection } from './statementCache';
import { ensureCandidateTagSources } from './sync/candidates';
import { ensureMatchKeys } from './sync/matchKeys';
import type { DB } from './schema';

export interface OpenDatabase {
  db: Kysely<DB>;
  /** The raw connection, for pragmas, backups and benchmarks that compare against Kysely. */
  sqlite: Database.Database;
  file: string;
  /** Backup written before migrating an existing file, if any. */
  backupFile: string | null;
  schemaVersion: number;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Where to write the pre-migration backup; defaults to next to the database file. */
  backupDir?: string;
  now?: () => Date;
  /** The migrations to apply (tests inject a failing one); defaults to the app's list. */
  migrations?: readonly Migration[];
}

/** Opens (creating if needed) a database file, applies pending migrations, and returns a Kysely instance. */
export async function openDatabase(file: string, options: OpenOptions = {}): Promise<OpenDatabase> {
  const inMemory = file === ':memory:';
  const existed = !inMemory && fs.existsSync(file) && fs.statSync(file).size > 0;
  const migrations = options.migrations ?? allMigrations;
  // Before the first write (the WAL switch below is one): a newer or foreign file is refused untouched.
  if (existed) refuseUnknownDatabase(file, migrations.map((m) => m.name));
  const sqlite = new Database(file);
  try {
    if (!inMemory) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the last commit.
    sqlite.pragma('synchronous = NORMAL');
    // 64 MiB of pages per connection instead of SQLite's 2 MiB: a list, a search or an import batch walks
    // indexes of a database that holds hundreds of megabytes at 100 000 clients, and re-reads far fewer pages.
    sqlite.pragma('cache_size = -65536');
    sqlite.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`);
  } catch (error) {
    sqlite.close();
    throw error;
  }

  const intent = new Int32Array(new SharedArrayBuffer(4));
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: cachingDatabase(sqlite) }, intent) });
  intents.set(db, intent);
  registerConnection(db, sqlite);
  const now = options.now ?? (() => new Date());
  const applied = new Set(
    (sqlite.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((row) => row.name),
  );
  const pending = migrations.filter((m) => !applied.has(m.name));

  let backupFile: string | null = null;
  if (existed && pending.length > 0 && applied.size > 0) {
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const dir = options.backupDir ?? `${file}-backups`;
    fs.mkdirSync(dir, { recursive: true });
    backupFile = `${dir}/before-${pending[0]!.name}-${stamp}.sqlite`;
    await sqlite.backup(backupFile);
  }

  // Every pending migration and its bookkeeping row commit together: a crash or a failing migration leaves
  // the file at the schema it had, which this version (and the one before) can still open.
  if (pending.length) {
    try {
      await db.transaction().execute(async (trx) => {
        for (const migration of pending) {
          await migration.up(trx as unknown as Kysely<unknown>);
          await sql`INSERT INTO schema_migrations (name, applied_at) VALUES (${migration.name}, ${now().toISOString()})`.execute(trx);
        }
      });
    } catch (error) {
      // Rolled back; the connection is let go so nothing holds the file the user may want to hand back.
      await db.destroy();
      throw error;
    }
  }

  // The duplicate engine's lookup keys, built once for clients that have none yet (an upgraded database).
  try {
    if (sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'client_match_keys'`).get()) await ensureMatchKeys(db);
    if (sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'candidate_tag_sources'`).get()) await ensureCandidateTagSources(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }

  return {
    db,
    sqlite,
    file,
    backupFile,
    schemaVersion: migrations.length,
    async close() {
      await db.destroy();
    },
  };
}

/** Each connection's count of transactions begun or waiting to begin (see ImmediateSqliteDialect, writeIntent). */
const intents = new WeakMap<Kysely<DB>, Int32Array>();

/**
 * How many transactions of this connection have begun or wait for the write lock, in memory threads can share
 * (a worker thread reads it with Atomics): a bulk writer on another connection of the same file (the import's
 * writer thread) waits for it to be 0 before each of its transactions. SQLite's busy handler polls for the lock
 * with sleeps, and a bulk writer begins its next transaction right after the last: a save waiting on this
 * connection could miss the instant between them again and again until its busy timeout ran out. Null for a
 * connection not opened here.
 */
export function writeIntent(db: Kysely<DB>): Int32Array | null {
  return intents.get(db) ?? null;
}

/**
 * Waits until no transaction of the connection whose writeIntent this is has begun or waits to begin: a bulk
 * writer calls it before each transaction, so a save waits at most for the transaction being written.
 */
export async function othersWriteFirst(intent: Int32Array): Promise<void> {
  for (let waiting = Atomics.load(intent, 0); waiting > 0; waiting = Atomics.load(intent, 0)) await Atomics.waitAsync(intent, 0, waiting).value;
}

/**
 * Write transactions take the write lock when they begin (`BEGIN IMMEDIATE`), and wait for it up to the busy
 * timeout. A deferred transaction reads first and asks for the lock at its first write; when another
 * connection (the import's writer thread, another process) committed in between, SQLite cannot wait — the
 * snapshot it read is stale — and the save failed at once with SQLITE_BUSY. Every transaction of this app
 * writes, so all of them begin immediate. Each one is counted in `intent` from before it asks for the lock
 * until it commits or rolls back (see writeIntent).
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #intent: Int32Array;

  constructor(config: SqliteDialectConfig, intent: Int32Array) {
    super(config);
    this.#intent = intent;
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const intent = this.#intent;
    // One connection: Kysely runs one transaction at a time on it. The count is given back once, by whatever ends
    // the transaction: a begin that fails (Kysely does not roll that back), the commit, or the rollback.
    let counted = false;
    const giveBack = () => {
      if (!counted) return;
      counted = false;
      Atomics.sub(intent, 0, 1);
      Atomics.notify(intent, 0);
    };
    const commit = driver.commitTransaction.bind(driver);
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      counted = true;
      Atomics.add(intent, 0, 1);
      try {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      } catch (error) {
        giveBack();
        throw error;
      }
    };
    driver.commitTransaction = async (connection: DatabaseConnection) => {
      try {
        await commit(connection);
      } finally {
        giveBack();
      }
    };
    driver.rollbackTransaction = async (connection: DatabaseConnection) => {
      try {
        await rollback(connection);
      } finally {
        giveBack();
      }
    };
    return driver;
  }
}

/**
 * Reads in one snapshot of the database without the write lock: a deferred transaction that never writes,
 * rolled back at the end. Another connection meanwhile (the import's writer thread) commits without waiting
 * for it, and every read of `read` sees the database as it was at the first one. `read` must not write.
 */
export async function readSnapshot<T>(db: Kysely<DB>, read: (snapshot: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`begin deferred`.execute(connection);
    try {
      return await read(connection);
    } finally {
      await sql`rollback`.execute(connection);
    }
  });
}
