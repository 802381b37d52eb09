import type { Kysely } from 'kysely';
import type { DB } from '../schema';

/**
 * A client's change-log entries (its own and its contacts', jobs', events'), newest first, keyset by seq. The
 * history of clients merged into it (and not undone) is its history too: a merge moves history with the records.
 */
export function listClientHistory(db: Kysely<DB>, clientId: string, limit: number, beforeSeq: number | null) {
  let query = db
    .selectFrom('change_log as l')
    .leftJoin('users as u', 'u.id', 'l.user_id')
    .select(['l.seq', 'l.id', 'l.entity', 'l.entity_id', 'l.operation', 'l.changes', 'l.note', 'l.changed_at', 'l.device_id', 'u.name as user_name'])
    .where((eb) =>
      eb.or([
        eb('l.client_id', '=', clientId),
        eb('l.client_id', 'in', eb.selectFrom('merges').select('merged_id').where('survivor_id', '=', clientId).where('kind', '=', 'client').where('undone_at', 'is', null)),
      ]),
    )
    .orderBy('l.seq', 'desc')
    .limit(limit);
  if (beforeSeq !== null) query = query.where('l.seq', '<', beforeSeq);
  return query.execute();
}
