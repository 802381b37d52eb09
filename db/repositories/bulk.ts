import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema';

/**
 * Inserts many rows in one statement whose SQL text never changes: the rows travel as one JSON parameter
 * (an array of value arrays, in `columns` order) and json_each unpacks them in array order.
 *
 * Why not a multi-row VALUES list: Kysely parses and compiles every value (23 000 of them for 1 000 clients),
 * and the driver prepares that giant statement again each time, triggers included. Why not one prepared
 * statement per row: on a table with an FTS5 trigger (clients → clients_search) every statement opens a
 * savepoint, and FTS5 writes its pending terms to a new index segment at each savepoint, so per-row statements
 * make one tiny segment per row and the merges that follow (3 s per 20 000 clients where one statement per
 * batch takes 0.3 s). One statement per call keeps the index writes to one segment per batch.
 *
 * JSON keeps SQLite's types: strings stay TEXT, integers INTEGER, other numbers REAL, null NULL.
 */
export async function insertRows<R>(trx: Kysely<DB>, table: keyof DB & string, columns: readonly (keyof R & string)[], rows: readonly R[]): Promise<void> {
  if (!rows.length) return;
  const values = JSON.stringify(rows.map((row) => columns.map((column) => row[column] ?? null)));
  await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    SELECT ${sql.join(columns.map((_, i) => sql`value ->> ${sql.lit(i)}`))} FROM json_each(${values}) ORDER BY key`.execute(trx);
}

/** Every key of a row type, checked at compile time: a column added to the table cannot be left out of a bulk insert. */
export function allColumns<R>(columns: { [K in keyof Required<R>]: true }): (keyof R & string)[] {
  return Object.keys(columns) as (keyof R & string)[];
}

/** Bulk runs in progress on each database, so overlapping ones raise the setting once and restore it once. */
const bulkRuns = new WeakMap<Kysely<DB>, { count: number; previous: Promise<number> }>();

/**
 * Runs `work` (many write transactions in a row) with WAL checkpoints every `pages` pages instead of
 * SQLite's 1 000. A bulk import dirties thousands of index pages per transaction, mostly the same ones
 * again and again (its rows land all over the name, email and domain indexes), and with the default every
 * commit was followed by a checkpoint that copied them all back into the database file and synced it:
 * about a quarter of each import batch. Checkpointing every ~40 MB copies a page once per several batches.
 * The WAL file grows to about that size (one big transaction already takes it there); readers are
 * unaffected. Later writes checkpoint as before.
 */
export async function withBulkCheckpoints<T>(db: Kysely<DB>, work: () => Promise<T>, pages = 10_000): Promise<T> {
  let run = bulkRuns.get(db);
  if (!run) {
    // Registered before the first await, so a run starting meanwhile joins this one.
    const previous = (async () => {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db);
      await sql`PRAGMA wal_autocheckpoint = ${sql.lit(pages)}`.execute(db);
      return Number(rows[0]?.wal_autocheckpoint ?? 1000);
    })();
    run = { count: 0, previous };
    bulkRuns.set(db, run);
  }
  run.count++;
  try {
    await run.previous;
    return await work();
  } finally {
    if (--run.count === 0) {
      bulkRuns.delete(db);
      const previous = await run.previous.catch(() => null);
      if (previous !== null) await sql`PRAGMA wal_autocheckpoint = ${sql.lit(previous)}`.execute(db);
    }
  }
}
