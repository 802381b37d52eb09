import type { Kysely } from 'kysely';
import type { DB } from '../schema';
import { createRecord, type Actor, type Values } from '../sync/write';

export function listAreas(db: Kysely<DB>) {
  return db.selectFrom('areas').select(['id', 'key', 'name', 'active']).orderBy('sort_order').orderBy('name').execute();
}

export function findArea(db: Kysely<DB>, id: string) {
  return db.selectFrom('areas').select(['id', 'key', 'name', 'active']).where('id', '=', id).executeTakeFirst();
}

export type NewArea = Values<'area'> & { id: string; name: string; created_at: string };

export function createArea(trx: Kysely<DB>, actor: Actor, values: NewArea, note: string | null = null) {
  return createRecord(trx, actor, 'area', { key: null, active: 1, sort_order: 0, ...values }, { note });
}
