import type { Kysely } from 'kysely';
import { openDatabase, type OpenDatabase } from '../../db/open';
import { changeOfRow } from '../../db/repositories/changeLog';
import type { DB } from '../../db/schema';
import { applyChange } from '../../db/sync/apply';
import { applyPage } from '../../db/sync/pull';
import { entitySpecs } from '../../db/sync/entities';

/**
 * Applies every change of a database's log, in log order, to a new database file (migrations only, nothing
 * seeded) with the one applyChange the sync job uses. Rows without a sequence are history kept from elsewhere
 * (a restored backup's, or from before the log was complete): they were never applied here, so they are not
 * replayed either.
 */
export async function replayInto(source: Kysely<DB>, file: string): Promise<OpenDatabase> {
  const target = await openDatabase(file);
  const rows = await source.selectFrom('change_log').selectAll().where('device_seq', 'is not', null).orderBy('seq').execute();
  await target.db.transaction().execute(async (trx) => {
    for (const row of rows) await applyChange(trx, changeOfRow(row), '2026-01-01T00:00:00.000Z');
  });
  return target;
}

/**
 * The same replay as a pull applies it: pages of `pageSize` changes through applyPage (creates of records never
 * seen written in bulk, the rest one by one), as the sync job of a new laptop would.
 */
export async function replayPagesInto(source: Kysely<DB>, file: string, pageSize: number): Promise<OpenDatabase> {
  const target = await openDatabase(file);
  const rows = await source.selectFrom('change_log').selectAll().where('device_seq', 'is not', null).orderBy('seq').execute();
  for (let from = 0; from < rows.length; from += pageSize) {
    const outcome = await applyPage(target.db, rows.slice(from, from + pageSize).map(changeOfRow), String(from), '2026-01-01T00:00:00.000Z');
    if (outcome.refused) throw new Error(`${outcome.refused} changes of the log refused`);
  }
  return target;
}

/** Every synced table row for row (its columns, derived ones included, except the local row number), and the derived aggregates. */
export async function syncedTables(db: Kysely<DB>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const spec of Object.values(entitySpecs)) {
    const rows = await db.selectFrom(spec.table).selectAll().execute();
    out[spec.table] = (rows as Record<string, unknown>[])
      .map(({ seq: _seq, ...row }) => row)
      .sort((a, b) => spec.keys.map((k) => String(a[k])).join(':').localeCompare(spec.keys.map((k) => String(b[k])).join(':')));
  }
  out.event_month_counts = await db.selectFrom('event_month_counts').selectAll().where('n', '>', 0).orderBy('month').orderBy('type').execute();
  return out;
}
