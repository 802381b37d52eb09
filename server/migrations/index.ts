import { sql, type Kysely } from 'kysely';
import * as m0001 from './0001-initial';
import * as m0002 from './0002-code-tags';

export interface Migration {
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/** Applied in this order, once each. Append only: a landed migration is never edited. */
export const migrations: Migration[] = [
  { name: '0001-initial', up: m0001.up },
  { name: '0002-code-tags', up: m0002.up },
];

/** Any constant: every instance that starts at once takes the same advisory lock, so one migrates and the others wait. */
const migrationLock = 7_301_013;

/** Brings the database to the newest schema in one transaction. Safe to run from several instances at once. */
export async function migrate(db: Kysely<unknown>, list: Migration[] = migrations): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${migrationLock})`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS server_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(trx);
    const { rows } = await sql<{ name: string }>`SELECT name FROM server_migrations`.execute(trx);
    const done = new Set(rows.map((row) => row.name));
    const applied: string[] = [];
    for (const migration of list) {
      if (done.has(migration.name)) continue;
      await migration.up(trx);
      await sql`INSERT INTO server_migrations (name) VALUES (${migration.name})`.execute(trx);
      applied.push(migration.name);
    }
    return applied;
  });
}
