import type { Kysely } from 'kysely';
import type { DB } from '../schema';

export function listAreas(db: Kysely<DB>) {
  return db.selectFrom('areas').select(['id', 'key', 'name', 'active']).orderBy('sort_order').orderBy('name').execute();
}

export function findArea(db: Kysely<DB>, id: string) {
  return db.selectFrom('areas').select(['id', 'key', 'name', 'active']).where('id', '=', id).executeTakeFirst();
}
