import type { Kysely } from 'kysely';
import type { DB } from '../schema';

/** A client's change-log entries (its own and its contacts', jobs', events'), newest first, keyset by seq. */
export function listClientHistory(db: Kysely<DB>, clientId: string, limit: number, beforeSeq: number | null) {
  let query = db
    .selectFrom('change_log as l')
    .leftJoin('users as u', 'u.id', 'l.user_id')
    .select(['l.seq', 'l.id', 'l.entity', 'l.entity_id', 'l.operation', 'l.changes', 'l.note', 'l.changed_at', 'l.device_id', 'u.name as user_name'])
    .where('l.client_id', '=', clientId)
    .orderBy('l.seq', 'desc')
    .limit(limit);
  if (beforeSeq !== null) query = query.where('l.seq', '<', beforeSeq);
  return query.execute();
}
