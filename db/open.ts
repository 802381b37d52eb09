import fs from 'node:fs';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, sql, type DatabaseConnection, type Driver } from 'kysely';
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

  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: cachingDatabase(sqlite) }) });
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

/**
 * Write transactions take the write lock when they begin (`BEGIN IMMEDIATE`), and wait for it up to the busy
 * timeout. A deferred transaction reads first and asks for the lock at its first write; when another
 * connection (the import's writer thread, another process) committed in between, SQLite cannot wait — the
 * snapshot it read is stale — and the save failed at once with SQLITE_BUSY. Every transaction of this app
 * writes, so all of them begin immediate.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
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
