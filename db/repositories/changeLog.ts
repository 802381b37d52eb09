import type { Kysely, Selectable } from 'kysely';
import { formatHlc, type Change } from '../../contract/sync';
import type { ChangeLogTable, DB } from '../schema';
import { allColumns, insertRows } from './bulk';

export type FieldChanges = Record<string, { old: unknown; new: unknown }>;

/** One change-log row: what changed, who changed it, where, and its place in its device's sequence and the team's clock. */
export interface ChangeEntry {
  id: string;
  entity: string;
  entityId: string;
  clientId: string | null;
  operation: 'create' | 'update' | 'delete' | 'restore';
  changes: FieldChanges;
  note?: string | null;
  userId: string | null;
  deviceId: string;
  changedAt: string;
  deviceSeq: number;
  hlc: string;
  /** Set when the server already has the change (a pulled one); null for a change of this device waiting to be pushed. */
  pushedAt?: string | null;
  /** Shared by the changes of one operation (a merge, its undo). */
  operationId?: string | null;
}

function logRow(entry: ChangeEntry): Omit<Selectable<ChangeLogTable>, 'seq'> {
  return {
    id: entry.id,
    entity: entry.entity,
    entity_id: entry.entityId,
    client_id: entry.clientId,
    operation: entry.operation,
    changes: JSON.stringify(entry.changes),
    note: entry.note ?? null,
    user_id: entry.userId,
    device_id: entry.deviceId,
    changed_at: entry.changedAt,
    pushed_at: entry.pushedAt ?? null,
    device_seq: entry.deviceSeq,
    hlc: entry.hlc,
    operation_id: entry.operationId ?? null,
  };
}

const logColumns = allColumns<Omit<Selectable<ChangeLogTable>, 'seq'>>({
  id: true, entity: true, entity_id: true, client_id: true, operation: true, changes: true, note: true, user_id: true, device_id: true,
  changed_at: true, pushed_at: true, device_seq: true, hlc: true, operation_id: true,
});

/**
 * Appends changes to the log in the caller's transaction, so each commits with the write it describes. Only the
 * writers of db/sync call this: they stamp each entry with the device's sequence and clock.
 */
export async function appendChanges(trx: Kysely<DB>, entries: ChangeEntry[]): Promise<void> {
  await insertRows(trx, 'change_log', logColumns, entries.map(logRow));
}

/** Field-level differences between two records, keyed by the given field names. */
export function diffFields<T extends Record<string, unknown>>(before: T | null, after: T, fields: (keyof T & string)[]): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const oldValue = before ? (before[field] ?? null) : null;
    const newValue = after[field] ?? null;
    if (oldValue !== newValue) changes[field] = { old: oldValue, new: newValue };
  }
  return changes;
}

export async function countChanges(db: Kysely<DB>, entity: string, entityId: string): Promise<number> {
  const row = await db
    .selectFrom('change_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A history entry written elsewhere (a backup's), before logs had sequences and clocks or after. */
export type ForeignChange = Omit<Selectable<ChangeLogTable>, 'seq' | 'device_seq' | 'hlc' | 'operation_id'> & { device_seq?: number | null; hlc?: string; operation_id?: string | null };

/**
 * Keeps history entries of another database (a restored backup's) as history only: without a sequence of this
 * device they are never pushed from here (the restore's own logged creates carry the data), and an entry
 * already here (by id) is left alone.
 */
export async function keepForeignHistory(trx: Kysely<DB>, history: ForeignChange[]): Promise<void> {
  for (const change of history) {
    const hlc = change.hlc || formatHlc(Date.parse(change.changed_at) || 0, 0, change.device_id);
    await trx
      .insertInto('change_log')
      .values({ ...change, hlc, device_seq: null, pushed_at: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

/** A change-log row as it travels between devices (contract/sync.ts): the row as stored, nothing derived. */
export function changeOfRow(row: Selectable<ChangeLogTable>): Change {
  if (row.device_seq === null) throw new Error(`Change ${row.id} is history only (no sequence): it never travels`);
  return {
    id: row.id,
    deviceId: row.device_id,
    deviceSeq: row.device_seq,
    hlc: row.hlc,
    entity: row.entity,
    entityId: row.entity_id,
    clientId: row.client_id,
    operation: row.operation,
    changes: JSON.parse(row.changes) as FieldChanges,
    note: row.note,
    userId: row.user_id,
    changedAt: row.changed_at,
    ...(row.operation_id ? { operationId: row.operation_id } : {}),
  };
}
