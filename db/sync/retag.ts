import { sql, type Kysely } from 'kysely';
import { codeTagSchema } from '../../contract/sync';
import { nextCode, type CodeKind } from '../repositories/codes';
import { writeSetting } from '../repositories/settings';
import type { DB } from '../schema';
import { updateRecord, type Actor } from './write';

// A laptop's code tag (CL-<tag>-0042) is drawn at random on its first run. When it joins a team, the sync server
// keeps the tags unique (server/src/auth.ts, claimCodeTag): if another laptop of the team already holds this one,
// the server hands out a free one, and the codes this laptop gave out with the old tag are given new ones here,
// through the write path, so the new codes travel like any edit and no two records of the team share a code.

const coded = [
  { entity: 'client', table: 'clients', kind: 'CL' },
  { entity: 'job', table: 'jobs', kind: 'JB' },
  { entity: 'candidate', table: 'candidates', kind: 'CD' },
] as const satisfies { entity: 'client' | 'job' | 'candidate'; table: 'clients' | 'jobs' | 'candidates'; kind: CodeKind }[];

/** Takes the tag the team's server gave this laptop; returns how many codes changed. One transaction. */
export async function adoptCodeTag(db: Kysely<DB>, actor: Actor, oldTag: string, newTag: string): Promise<number> {
  codeTagSchema.parse(newTag);
  return db.transaction().execute(async (trx) => {
    await writeSetting(trx, 'deviceTag', newTag);
    let changed = 0;
    for (const { entity, table, kind } of coded) {
      // Only what this laptop created: a colleague's record with the same tag keeps its code (theirs came first).
      const { rows: own } = await sql<{ id: string; code: string }>`
        SELECT r.id, r.code FROM ${sql.table(table)} r
        WHERE r.code LIKE ${`${kind}-${oldTag}-%`}
          AND EXISTS (SELECT 1 FROM change_log l WHERE l.entity_id = r.id AND l.entity = ${entity} AND l.operation = 'create' AND l.device_id = ${actor.deviceId})
        ORDER BY r.code`.execute(trx);
      for (const record of own) {
        const code = await nextCode(trx, kind);
        await renameInOutbox(trx, actor.deviceId, record.id, code);
        // Logged as well: the history keeps the code people may have noted, and a server that applied the
        // create before its acknowledgement was lost gets the new code from this change.
        await updateRecord(trx, actor, entity, record.id, { code }, { note: `Code ${record.code} given out by another laptop of the team too` });
        changed++;
      }
    }
    return changed;
  });
}

/**
 * The record's changes still waiting in the outbox were seen by nobody: they leave with the new code, so no
 * colleague's laptop ever meets two records under one code (its unique index would park the second).
 */
async function renameInOutbox(trx: Kysely<DB>, deviceId: string, id: string, code: string): Promise<void> {
  const waiting = await trx
    .selectFrom('change_log')
    .select(['seq', 'changes'])
    .where('entity_id', '=', id)
    .where('device_id', '=', deviceId)
    .where('pushed_at', 'is', null)
    .where('changes', 'like', '%"code"%')
    .execute();
  for (const row of waiting) {
    const changes = JSON.parse(row.changes) as Record<string, { old: unknown; new: unknown }>;
    if (!changes.code) continue;
    changes.code.new = code;
    await trx.updateTable('change_log').set({ changes: JSON.stringify(changes) }).where('seq', '=', row.seq).execute();
  }
}
