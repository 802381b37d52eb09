import type { Kysely } from 'kysely';
import type { DB } from '../schema';

export function listUsers(db: Kysely<DB>, includeInactive: boolean) {
  let query = db.selectFrom('users').select(['id', 'name', 'email', 'active']).orderBy('name');
  if (!includeInactive) query = query.where('active', '=', 1);
  return query.execute();
}

export function findUser(db: Kysely<DB>, id: string) {
  return db.selectFrom('users').select(['id', 'name', 'email', 'active']).where('id', '=', id).executeTakeFirst();
}
