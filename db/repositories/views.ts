import type { Kysely, Selectable } from 'kysely';
import type { DB, SavedViewsTable } from '../schema';

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
