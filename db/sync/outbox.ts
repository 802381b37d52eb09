import { sql, type Kysely } from 'kysely';
import { formatHlc, maxPushChanges, parseHlc, type Change } from '../../contract/sync';
import { changeOfRow } from '../repositories/changeLog';
import type { DB } from '../schema';
import { entitySpecs, type Row } from './entities';
import { logEntries, type Actor } from './write';

// The change log as the sync job's outbox: this device's changes, in sequence order, until the server has
// acknowledged them. A row leaves the outbox only by the server's answer (acknowledge); nothing here ever
// deletes a change.

/**
 * The next changes of this device the server has not acknowledged, oldest first: about `limit` of them, never
 * ending inside an operation (the changes of one merge or undo share an operation id). A batch that would end
 * inside one takes the rest of it when the whole batch stays within `max`, and otherwise ends before it; an
 * operation is never larger than `max` (the merge refuses to be), so each one travels in one push, and the
 * server's pull pages, which finish the push they started, never end inside it either.
 */
export async function pendingChanges(db: Kysely<DB>, deviceId: string, limit: number, max = maxPushChanges): Promise<Change[]> {
  const rows = await db
    .selectFrom('change_log')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('device_seq', 'is not', null)
    .where('pushed_at', 'is', null)
    .orderBy('device_seq')
    .limit(Math.max(limit, max) + 1)
    .execute();
  return rows.slice(0, operationBoundary(rows, limit, max)).map(changeOfRow);
}

/** Where a batch of about `limit` of these rows ends so that no operation is cut (see pendingChanges). */
export function operationBoundary(rows: { operation_id: string | null }[], limit: number, max: number): number {
  let end = Math.min(limit, rows.length);
  const inside = (at: number) => at > 0 && at < rows.length && rows[at]!.operation_id !== null && rows[at]!.operation_id === rows[at - 1]!.operation_id;
  if (!inside(end)) return end;
  let start = end;
  while (start > 0 && inside(start)) start--;
  while (end < rows.length && end < max && inside(end)) end++;
  if (!inside(end)) return end;
  return start > 0 ? start : end;
}

export async function countPending(db: Kysely<DB>, deviceId: string): Promise<number> {
  const row = await db
    .selectFrom('change_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('device_id', '=', deviceId)
    .where('device_seq', 'is not', null)
    .where('pushed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks this device's changes up to the server's `lastApplied` as on the server (its answer after its commit). */
export async function acknowledge(db: Kysely<DB>, deviceId: string, lastApplied: number, at: string): Promise<void> {
  await db
    .updateTable('change_log')
    .set({ pushed_at: at })
    .where('device_id', '=', deviceId)
    .where('device_seq', '<=', lastApplied)
    .where('device_seq', 'is not', null)
    .where('pushed_at', 'is', null)
    .execute();
}

/**
 * A server on another epoch (restored from an older backup, or new): everything this device ever wrote goes to
 * it again, from the first sequence; the server keeps what it already has once.
 */
export async function pushAllAgain(db: Kysely<DB>, deviceId: string): Promise<void> {
  await db.updateTable('change_log').set({ pushed_at: null }).where('device_id', '=', deviceId).where('device_seq', 'is not', null).execute();
}

/**
 * This database was just restored from an earlier copy of this laptop's: the server may hold changes this laptop
 * made after the copy (they come back with a pull that includes its own changes), and sequence numbers the copy
 * would give out again. The sync job resumes (resumeSequence, then that pull) before it pushes anything.
 */
export async function markRestored(db: Kysely<DB>): Promise<void> {
  await db.insertInto('settings').values({ key: 'syncResume', value: 'true' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: 'true' })).execute();
}

/**
 * Continues this device's sequence after the server's `lastApplied`: changes still waiting (written since the
 * restored copy, or waiting in it) are numbered from there in their order — the server knows those it already
 * has by their ids — and the next number handed out comes after them.
 */
export async function resumeSequence(db: Kysely<DB>, deviceId: string, lastApplied: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const pending = await trx
      .selectFrom('change_log')
      .select(['seq', 'device_seq'])
      .where('device_id', '=', deviceId)
      .where('device_seq', 'is not', null)
      .where('pushed_at', 'is', null)
      .orderBy('device_seq')
      .execute();
    const clock = await trx.selectFrom('sync_clock').select('last_seq').executeTakeFirstOrThrow();
    if (pending.length && pending[0]!.device_seq! <= lastApplied) {
      // Two steps, so no number is held by two rows in between (the sequence is unique per device).
      for (const row of pending) await trx.updateTable('change_log').set({ device_seq: -row.device_seq! }).where('seq', '=', row.seq).execute();
      for (const [i, row] of pending.entries()) await trx.updateTable('change_log').set({ device_seq: lastApplied + i + 1 }).where('seq', '=', row.seq).execute();
    }
    const last = Math.max(clock.last_seq, lastApplied + (pending.length && pending[0]!.device_seq! <= lastApplied ? pending.length : 0));
    await trx.updateTable('sync_clock').set({ last_seq: last }).where('id', '=', 1).execute();
  });
}

/** The server lacks changes after `lastApplied` that this device took as acknowledged: they wait to be sent again. */
export async function resendAfter(db: Kysely<DB>, deviceId: string, lastApplied: number): Promise<void> {
  await db.updateTable('change_log').set({ pushed_at: null }).where('device_id', '=', deviceId).where('device_seq', '>', lastApplied).execute();
}

/**
 * Changes waiting in the outbox stamped later than `limitMs` (this computer's clock ran ahead when they were
 * written, and the server refuses them): they get stamps from `nowMs` on, in their order, and the clock follows.
 * Only changes nobody has seen are restamped, so every device still agrees on every stamp it holds.
 */
export async function restampFuture(db: Kysely<DB>, deviceId: string, limitMs: number, nowMs: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('change_log')
      .select(['seq', 'hlc'])
      .where('device_id', '=', deviceId)
      .where('device_seq', 'is not', null)
      .where('pushed_at', 'is', null)
      .orderBy('device_seq')
      .execute();
    const future = rows.filter((r) => parseHlc(r.hlc).ms > limitMs);
    if (!future.length) return 0;
    let counter = 0;
    for (const row of future) await trx.updateTable('change_log').set({ hlc: formatHlc(nowMs, counter++, deviceId) }).where('seq', '=', row.seq).execute();
    await trx.updateTable('sync_clock').set({ hlc_ms: nowMs, hlc_counter: counter }).where('id', '=', 1).execute();
    return future.length;
  });
}

/**
 * Order in which a baseline logs the records: referenced before referencing (areas and team members before
 * clients, clients before their contacts, events and postings), so a device applying the changes in order never
 * meets a reference to a record it has not received.
 */
export const baselineOrder = [
  'area', 'user', 'pipeline_stage', 'client', 'lead', 'contact', 'event', 'event_owner', 'attachment', 'job', 'candidate', 'candidate_document', 'application', 'placement',
  'duplicate_dismissal', 'merge',
] as const;

export interface BaselineProgress {
  entity: string;
  done: number;
  total: number;
}

/**
 * Logs every record written before the log was complete (a database from before sync, or demo data) once,
 * whole, as a create of this device, before the first push — so a new device of the team can rebuild it.
 * Batches of `batch` records per transaction; where it stopped is kept with each batch, so a baseline cut
 * short goes on from there.
 */
export async function writeBaseline(db: Kysely<DB>, actor: Omit<Actor, 'at'>, now: () => string, onProgress: (p: BaselineProgress) => void, signal?: AbortSignal, batch = 2000): Promise<boolean> {
  const clock = await db.selectFrom('sync_clock').select('baseline_needed').executeTakeFirstOrThrow();
  if (!clock.baseline_needed) return true;
  const progress = await db.selectFrom('settings').select('value').where('key', '=', 'syncBaselineProgress').executeTakeFirst();
  let position = progress ? (JSON.parse(progress.value) as { entity: string; after: number }) : { entity: baselineOrder[0], after: 0 };
  for (const entity of baselineOrder.slice(baselineOrder.indexOf(position.entity as (typeof baselineOrder)[number]))) {
    const spec = entitySpecs[entity];
    const total = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(spec.table)}`.execute(db)).rows[0]!.n);
    let after = position.entity === entity ? position.after : 0;
    let done = 0;
    for (;;) {
      if (signal?.aborted) return false;
      onProgress({ entity, done, total });
      const rows = (await sql<Row & { _rowid: number }>`SELECT rowid AS _rowid, * FROM ${sql.table(spec.table)} WHERE rowid > ${after} ORDER BY rowid LIMIT ${batch}`.execute(db)).rows;
      if (!rows.length) break;
      after = rows.at(-1)!._rowid;
      done += rows.length;
      await db.transaction().execute(async (trx) => {
        const at = now();
        const entries = [];
        for (const row of rows) {
          const changes = Object.fromEntries(spec.fields.map((f) => [f, { old: null, new: row[f] ?? null }]));
          entries.push({
            id: actor.newId(), entity, entityId: spec.keys.map((k) => String(row[k])).join(':'), clientId: await spec.clientOf(trx, row), operation: 'create' as const,
            changes, note: 'Recorded for team sync', userId: actor.userId, deviceId: actor.deviceId, changedAt: at,
          });
        }
        await logEntries(trx, { ...actor, at }, entries);
        await trx
          .insertInto('settings')
          .values({ key: 'syncBaselineProgress', value: JSON.stringify({ entity, after }) })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify({ entity, after }) }))
          .execute();
      });
    }
    position = { entity, after: 0 };
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('sync_clock').set({ baseline_needed: 0 }).where('id', '=', 1).execute();
    await trx.deleteFrom('settings').where('key', '=', 'syncBaselineProgress').execute();
  });
  return true;
}
