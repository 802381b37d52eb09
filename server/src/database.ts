import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
import pg from 'pg';
import { migrate } from '../migrations';
import type { ServerDB } from './schema';

export interface Database {
  db: Kysely<ServerDB>;
  /** Where the data is, for logs: a URL without its password, or the embedded database's folder. */
  description: string;
  close(): Promise<void>;
}

/** A PostgreSQL server: what production and the tests use. Migrates before returning. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client that loses its server (restart, failover) emits 'error'; without a listener that kills the process.
  pool.on('error', () => {});
  const db = new Kysely<ServerDB>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, description: redactUrl(url), close: () => db.destroy() };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparseable DATABASE_URL)';
  }
}

/**
 * The embedded PostgreSQL (PGlite, WebAssembly) in a data folder, for a trial without a database server. It has
 * one session, so connections are handed out one at a time: a transaction never interleaves with another
 * request's statements. One process at a time may open the folder (a lock file says which).
 */
export async function openEmbedded(dataDir: string): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const release = takeLock(path.join(dataDir, 'pglite.lock'));
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    // int8 as text, like pg: versions and counts keep every digit.
    const pglite = new PGlite(path.join(dataDir, 'pglite'), { parsers: { 20: (value: string) => value } });
    await pglite.waitReady;
    const pool = new SerialPool(pglite);
    const db = new Kysely<ServerDB>({ dialect: new PostgresDialect({ pool }) });
    await migrate(db as Kysely<unknown>);
    return {
      db,
      description: `embedded PostgreSQL in ${path.resolve(dataDir)}`,
      async close() {
        try {
          await db.destroy();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

interface PgliteLike {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; command?: string; rowCount?: number; affectedRows?: number }>;
  close(): Promise<void>;
}

/** A pg-Pool look-alike over PGlite's single session: Kysely's PostgresDialect runs on it unchanged. */
class SerialPool implements PostgresPool {
  readonly options = {};
  #tail: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PgliteLike) {}

  async connect(): Promise<PostgresPoolClient> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    let released = false;
    const pglite = this.pglite;
    const client = {
      async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        const result = await pglite.query<R>(sql, [...parameters]);
        const command = (result.command ?? 'SELECT') as PostgresQueryResult<R>['command'];
        return { command, rowCount: result.affectedRows ?? result.rowCount ?? result.rows.length, rows: result.rows };
      },
      release() {
        if (released) return;
        released = true;
        release();
      },
    };
    return client as unknown as PostgresPoolClient;
  }

  async end(): Promise<void> {
    await this.#tail;
    await this.pglite.close();
  }
}

/** An exclusive lock file holding our pid; a stale one (its process gone) is taken over. */
function takeLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `The embedded database in ${path.dirname(file)} is in use by process ${pid} (a running \`npm run server\`?). ` +
            'Stop it first, or run the server on PostgreSQL with DATABASE_URL so admin commands can run beside it.',
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
