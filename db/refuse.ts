import fs from 'node:fs';
import Database from 'better-sqlite3';

export type RefusalReason = 'newer_database' | 'foreign_database';

/** An existing file this version must not open: it is left exactly as it was found. */
export class DatabaseRefusedError extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseRefusedError';
  }
}

/**
 * Looks at an existing, non-empty database file before anything writes to it, and refuses two kinds:
 * - a file from a newer version of Clients (it records a migration this version does not have): opening it
 *   would run today's code on a schema it does not know, and the next start of the newer version would find
 *   rows it never wrote;
 * - a file that is not a Clients database (any other SQLite file, or not SQLite at all): opening it would
 *   add our tables to someone else's data.
 * The look is read-only: no journal-mode switch, no pragma writes, no table. A read-only connection on a
 * WAL file creates the -wal and -shm files when they are missing; those it created are removed again, so
 * the folder is left as it was found. An empty file, or one without any table (a new file), passes.
 */
export function refuseUnknownDatabase(file: string, knownMigrations: readonly string[]): void {
  const sidecars = [`${file}-wal`, `${file}-shm`].filter((f) => !fs.existsSync(f));
  let objects: { type: string; name: string }[];
  let applied: string[] = [];
  let foreignMigrations = false;
  let connection: Database.Database | null = null;
  try {
    connection = new Database(file, { readonly: true, fileMustExist: true });
    objects = connection.prepare(`SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`).all() as typeof objects;
    if (objects.some((o) => o.type === 'table' && o.name === 'schema_migrations')) {
      try {
        applied = (connection.prepare('SELECT name FROM schema_migrations').all() as { name: unknown }[]).map((row) => String(row.name));
      } catch {
        // Another program's table of that name (Rails keeps a `version` column in its own).
        applied = ['(not a Clients migrations table)'];
        foreignMigrations = true;
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new DatabaseRefusedError('foreign_database', file, `${file} is not a Clients database (it is not an SQLite database file). It was left as it is.`);
    }
    throw error;
  } finally {
    connection?.close();
    for (const created of sidecars) if (fs.existsSync(created) && !(created.endsWith('-wal') && fs.statSync(created).size > 0)) fs.rmSync(created, { force: true });
  }

  if (!objects.length) return;
  if (!objects.some((o) => o.type === 'table' && o.name === 'schema_migrations')) {
    const tables = objects.filter((o) => o.type === 'table').map((o) => o.name);
    throw new DatabaseRefusedError('foreign_database', file, `${file} is not a Clients database (it has tables Clients did not make: ${tables.slice(0, 5).join(', ') || 'none'}, and no record of Clients' migrations). It was left as it is.`);
  }
  const known = new Set(knownMigrations);
  const unknown = applied.filter((name) => !known.has(name));
  // A newer Clients has applied the migrations this one knows, then more; a table of migrations none of
  // which is ours belongs to another program.
  if (foreignMigrations || (unknown.length && unknown.length === applied.length && objects.some((o) => o.type === 'table' && o.name !== 'schema_migrations'))) {
    throw new DatabaseRefusedError('foreign_database', file, `${file} is not a Clients database (its record of migrations is another program's). It was left as it is.`);
  }
  if (unknown.length) {
    throw new DatabaseRefusedError('newer_database', file, `${file} was created by a newer version of Clients (it has changes this version does not know: ${unknown.join(', ')}). Update the app to open it. It was left as it is.`);
  }
}
