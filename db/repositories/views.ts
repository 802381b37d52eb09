import type { Kysely, Selectable } from 'kysely';
import type { DB, SavedViewsTable } from '../schema';

// Saved views are personal filters of the recruiter at this laptop: a local table (db/sync/entities.ts
// `localTables`), never synced and never in the change log.

export type SavedViewRecord = Selectable<SavedViewsTable>;

export function listViews(db: Kysely<DB>) {
  return db.selectFrom('saved_views').selectAll().orderBy('name_key').execute();
}

export function findView(db: Kysely<DB>, id: string) {
  return db.selectFrom('saved_views').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findViewByName(db: Kysely<DB>, nameKey: string) {
  return db.selectFrom('saved_views').selectAll().where('name_key', '=', nameKey).executeTakeFirst();
}

export async function insertView(trx: Kysely<DB>, row: SavedViewRecord): Promise<void> {
  await trx.insertInto('saved_views').values(row).execute();
}

export async function updateView(trx: Kysely<DB>, id: string, patch: Partial<Omit<SavedViewRecord, 'id' | 'created_at'>>): Promise<void> {
  await trx.updateTable('saved_views').set(patch).where('id', '=', id).execute();
}

/** Removes a view; false when there was none. */
export async function deleteView(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('saved_views').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
