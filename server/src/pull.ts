import { sql, type Kysely } from 'kysely';
import type { AuthedDevice } from './auth';
import type { ServerDB } from './schema';

export interface PullPage {
  /** The response body, built from the stored change texts without parsing them again. */
  json: string;
  changes: number;
  cursor: string;
  more: boolean;
}

/**
 * The changes other devices of the team committed after `cursor`, in commit order, whole pushes only.
 *
 * Everything is read in one REPEATABLE READ snapshot. Versions become visible in version order (see push.ts), so
 * the snapshot holds every push up to the team's version and none after: reading "after cursor, up to the
 * snapshot's version" and returning that version as the next cursor can never step over a change that commits
 * later. A page ends at a push boundary, so it may hold more than `limit` changes to finish the push it started.
 */
export async function pullPage(db: Kysely<ServerDB>, device: AuthedDevice & { deviceId: string }, cursor: string, limit: number, now: number, own = false): Promise<PullPage> {
  // Another device's id where own changes are wanted too: no device of the team has it.
  const skipped = own ? '' : device.deviceId;
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const team = device.teamId;
      const { version: head } = await trx.selectFrom('teams').select('version').where('id', '=', team).executeTakeFirstOrThrow();
      // Each push listed here carries at least one change, so limit + 1 of them fill a page and tell whether more wait.
      const pushes = await trx
        .selectFrom('pushes')
        .select(['version', 'accepted'])
        .where('team_id', '=', team)
        .where('version', '>', cursor)
        .where('device_id', '<>', skipped)
        .where('accepted', '>', 0)
        .orderBy('version')
        .limit(limit + 1)
        .execute();
      let taken = 0;
      let total = 0;
      while (taken < pushes.length && total < limit) total += pushes[taken++]!.accepted;
      const more = taken < pushes.length;
      // With nothing more for this device, the cursor jumps to the head: past its own pushes and empty ones. A
      // cursor beyond the head (a database restored from an older backup) comes back down to it, so the
      // versions the server hands out again are not skipped.
      const next = more ? pushes[taken - 1]!.version : head;
      const bodies = taken
        ? (
            await trx
              .selectFrom('changes')
              .select('body')
              .where('team_id', '=', team)
              .where('version', '>', cursor)
              .where('version', '<=', pushes[taken - 1]!.version)
              .where('device_id', '<>', skipped)
              .where('rejected', 'is', null)
              .orderBy('version')
              .orderBy('device_seq')
              .execute()
          ).map((row) => row.body)
        : [];
      const { rows } = await sql<{ remaining: string }>`
        SELECT coalesce(sum(accepted), 0)::bigint AS remaining FROM pushes
        WHERE team_id = ${team} AND version > ${cursor}::bigint AND device_id <> ${skipped}`.execute(trx);
      const tail = JSON.stringify({ cursor: next, more, serverEpoch: device.epoch, serverTime: now, remaining: Number(rows[0]!.remaining) });
      return { json: `{"changes":[${bodies.join(',')}],${tail.slice(1)}`, changes: bodies.length, cursor: next, more };
    });
}
