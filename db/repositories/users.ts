import type { Kysely } from 'kysely';
import type { DB } from '../schema';
import { createRecord, updateRecord, type Actor, type Values } from '../sync/write';

export function listUsers(db: Kysely<DB>, includeInactive: boolean) {
  let query = db.selectFrom('users').select(['id', 'name', 'email', 'active']).orderBy('name');
  if (!includeInactive) query = query.where('active', '=', 1);
  return query.execute();
}

export function findUser(db: Kysely<DB>, id: string) {
  return db.selectFrom('users').select(['id', 'name', 'email', 'active']).where('id', '=', id).executeTakeFirst();
}

export type NewUser = Values<'user'> & { id: string; name: string; created_at: string };

/** Adds a team member (active unless said otherwise). */
export function createUser(trx: Kysely<DB>, actor: Actor, values: NewUser, note: string | null = null) {
  return createRecord(trx, actor, 'user', { active: 1, ...values }, { note });
}

export function updateUser(trx: Kysely<DB>, actor: Actor, id: string, patch: Values<'user'>) {
  return updateRecord(trx, actor, 'user', id, patch);
}
