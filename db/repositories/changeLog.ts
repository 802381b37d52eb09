import type { Kysely, Selectable } from 'kysely';
import type { ChangeLogTable, DB } from '../schema';
import { allColumns, insertRows } from './bulk';

export type FieldChanges = Record<string, { old: unknown; new: unknown }>;

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
}

/**
 * Appends one mutation to the change log. Callers pass their transaction so the change and its log row
 * commit together: the log is both the audit history and the sync outbox, and must never miss a write.
 */
export async function appendChange(trx: Kysely<DB>, entry: ChangeEntry): Promise<void> {
  await trx.insertInto('change_log').values(logRow(entry)).execute();
}

/** A change as its change_log row: not pushed to the sync server yet. */
function logRow(entry: ChangeEntry) {
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
    pushed_at: null,
  };
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

const logColumns = allColumns<Omit<Selectable<ChangeLogTable>, 'seq'>>({
  id: true, entity: true, entity_id: true, client_id: true, operation: true, changes: true, note: true, user_id: true, device_id: true,
  changed_at: true, pushed_at: true,
});

/** Many log rows in one statement (bulk imports), in the caller's transaction like appendChange. */
export async function appendChanges(trx: Kysely<DB>, entries: ChangeEntry[]): Promise<void> {
  await insertRows(trx, 'change_log', logColumns, entries.map(logRow));
}
