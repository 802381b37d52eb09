import { sql, type Kysely } from 'kysely';
import type { EntityFieldName, Operation, SyncedEntity } from '../../contract/sync';
import { appendChanges, type ChangeEntry, type FieldChanges } from '../repositories/changeLog';
import { insertRows } from '../repositories/bulk';
import type { DB } from '../schema';
import { nextStamps } from './clock';
import { entitySpecs, readRecord, recordId, whereKey, type EntitySpec, type Row } from './entities';

// The one write path of synced tables. Every insert, update, delete and restore of a record goes through
// these functions, which write the row and its change-log entry in the caller's transaction: the log is
// both the history the recruiter reads and the outbox of the sync job, so a write that skipped it would
// never reach the team, and a log row without its write would send a change that never happened.
// Handlers never write synced tables themselves (eslint.config.js refuses it outside db/sync).

/** Who writes, from which device, and when (the same for every change of one transaction). */
export interface Actor {
  deviceId: string;
  userId: string | null;
  at: string;
  /** Ids for the change-log rows (UUIDv7 from the runtime). */
  newId: () => string;
  /** Set on every change of one operation (a merge, its undo): the sync job pushes and applies them together. */
  operationId?: string;
}

/** An update or delete that named a version the record no longer has: someone saved it meanwhile. */
export class StaleRecordError extends Error {
  constructor(
    readonly entity: SyncedEntity,
    readonly id: string,
    readonly current: Row,
  ) {
    super(`The ${entity} ${id} was changed meanwhile (version ${String(current.version)})`);
    this.name = 'StaleRecordError';
  }
}

/** A write to a record that does not exist. */
export class MissingRecordError extends Error {
  constructor(
    readonly entity: SyncedEntity,
    readonly id: string,
  ) {
    super(`No ${entity} ${id}`);
    this.name = 'MissingRecordError';
  }
}

export type Values<E extends SyncedEntity> = { [K in EntityFieldName<E>]?: unknown };

interface Options {
  /** The version the user edited: a different current version fails with StaleRecordError. */
  version?: number;
  /** A sentence for the history ("Imported from clients.csv, line 4"). */
  note?: string | null;
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** The log entry of one write; stamps (sequence and clock) are taken when the entries are appended. */
async function entry(trx: Kysely<DB>, actor: Actor, spec: EntitySpec, row: Row, operation: Operation, changes: FieldChanges, note: string | null): Promise<Omit<ChangeEntry, 'deviceSeq' | 'hlc'>> {
  return {
    id: actor.newId(),
    entity: spec.entity,
    entityId: recordId(spec, row),
    clientId: await spec.clientOf(trx, row),
    operation,
    changes,
    note,
    userId: actor.userId,
    deviceId: actor.deviceId,
    changedAt: actor.at,
    operationId: actor.operationId ?? null,
  };
}

const localChangeListeners = new Set<(deviceId: string) => void>();

/** Called whenever a device logs changes of its own (the sync job pushes them soon after). Returns the unsubscribe. */
export function onLocalChanges(listener: (deviceId: string) => void): () => void {
  localChangeListeners.add(listener);
  return () => localChangeListeners.delete(listener);
}

/** Stamps entries with this device's next sequence numbers and clock, then appends them to the log. */
export async function logEntries(trx: Kysely<DB>, actor: Actor, entries: Omit<ChangeEntry, 'deviceSeq' | 'hlc'>[]): Promise<void> {
  const stamps = await nextStamps(trx, actor.deviceId, Date.parse(actor.at), entries.length);
  await appendChanges(trx, entries.map((e, i) => ({ ...e, ...stamps[i]! })));
  for (const listener of localChangeListeners) listener(actor.deviceId);
}

/** The stored row of a new record: its synced fields (missing ones null), derived columns and bookkeeping. */
function newRow(spec: EntitySpec, values: Row, at: string): Row {
  const row: Row = {};
  for (const key of spec.keys) row[key] = values[key];
  for (const field of spec.fields) row[field] = values[field] ?? null;
  Object.assign(row, spec.derive?.(row));
  if (spec.versioned) row.version = 1;
  if (spec.updatedAt) row.updated_at = at;
  return row;
}

/** Every synced field of a new record, old values null: a create is the whole record, so any device can rebuild it. */
function createChanges(spec: EntitySpec, row: Row): FieldChanges {
  return Object.fromEntries(spec.fields.map((f) => [f, { old: null, new: row[f] ?? null }]));
}

async function insertRow(trx: Kysely<DB>, spec: EntitySpec, row: Row, extra: Row = {}) {
  const full = { ...row, ...extra };
  const columns = Object.keys(full);
  await sql`INSERT INTO ${sql.table(spec.table)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES (${sql.join(columns.map((c) => full[c]))})`.execute(trx);
}

/**
 * Creates a record: `values` holds its key and synced fields. `extra` sets derived columns the caller already
 * knows (a client's search text with its first contacts), which are never logged.
 */
export async function createRecord<E extends SyncedEntity>(trx: Kysely<DB>, actor: Actor, entity: E, values: Values<E> & Row, options: Options & { extra?: Row } = {}): Promise<Row> {
  const spec = entitySpecs[entity];
  const row = newRow(spec, values, actor.at);
  await insertRow(trx, spec, row, options.extra);
  await spec.after?.(trx, null, row);
  await logEntries(trx, actor, [await entry(trx, actor, spec, row, 'create', createChanges(spec, row), options.note ?? null)]);
  return row;
}

/** Writes changed fields (and the bookkeeping columns) of an existing row; returns the row as it is now. */
async function writeFields(trx: Kysely<DB>, actor: Actor, spec: EntitySpec, id: string, before: Row, changed: Row): Promise<Row> {
  const after = { ...before, ...changed };
  const derived = spec.derive?.(after) ?? {};
  const set: Row = { ...changed, ...derived };
  if (spec.updatedAt) set.updated_at = actor.at;
  if (spec.versioned) set.version = Number(before.version) + 1;
  await sql`UPDATE ${sql.table(spec.table)} SET ${sql.join(Object.entries(set).map(([c, v]) => sql`${sql.ref(c)} = ${v}`))} WHERE ${whereKey(spec, id)}`.execute(trx);
  Object.assign(after, set);
  await spec.after?.(trx, before, after);
  return after;
}

async function existing(trx: Kysely<DB>, spec: EntitySpec, id: string, version: number | undefined): Promise<Row> {
  const before = await readRecord(trx, spec, id);
  if (!before) throw new MissingRecordError(spec.entity, id);
  if (version !== undefined && Number(before.version) !== version) throw new StaleRecordError(spec.entity, id, before);
  return before;
}

/**
 * Changes synced fields of a record. Only fields whose value differs are written and logged; nothing at all
 * when none does (`changed` false). The deletion field is not an update's: use deleteRecord/restoreRecord.
 */
export async function updateRecord<E extends SyncedEntity>(trx: Kysely<DB>, actor: Actor, entity: E, id: string, patch: Values<E>, options: Options = {}) {
  const spec = entitySpecs[entity];
  const before = await existing(trx, spec, id, options.version);
  const changes: FieldChanges = {};
  for (const [field, value] of Object.entries(patch)) {
    if (!spec.fields.includes(field) || field === spec.deletion) throw new Error(`${field} is not an editable field of ${entity}`);
    if (value !== undefined && !same(before[field], value)) changes[field] = { old: before[field] ?? null, new: value ?? null };
  }
  if (!Object.keys(changes).length) return { changed: false, before, after: before };
  const after = await writeFields(trx, actor, spec, id, before, Object.fromEntries(Object.entries(changes).map(([f, c]) => [f, c.new])));
  await logEntries(trx, actor, [await entry(trx, actor, spec, after, 'update', changes, options.note ?? null)]);
  return { changed: true, before, after };
}

async function setDeletion(trx: Kysely<DB>, actor: Actor, entity: SyncedEntity, id: string, value: string | null, options: Options) {
  const spec = entitySpecs[entity];
  if (!spec.deletion) throw new Error(`${entity} records are deactivated, not removed`);
  const before = await existing(trx, spec, id, options.version);
  if ((before[spec.deletion] === null) === (value === null)) return { changed: false, before, after: before };
  const after = await writeFields(trx, actor, spec, id, before, { [spec.deletion]: value });
  const operation = value === null ? 'restore' : 'delete';
  await logEntries(trx, actor, [await entry(trx, actor, spec, after, operation, { [spec.deletion]: { old: before[spec.deletion] ?? null, new: value } }, options.note ?? null)]);
  return { changed: true, before, after };
}

/** Removes a record (soft delete: its history, documents and links survive, and it can be restored). A removed one stays as it is. */
export function deleteRecord(trx: Kysely<DB>, actor: Actor, entity: SyncedEntity, id: string, options: Options = {}) {
  return setDeletion(trx, actor, entity, id, actor.at, options);
}

/** Brings a removed record back. A live one stays as it is. */
export function restoreRecord(trx: Kysely<DB>, actor: Actor, entity: SyncedEntity, id: string, options: Options = {}) {
  return setDeletion(trx, actor, entity, id, null, options);
}

/**
 * Many new records of one entity in one statement (imports, restores): the same rows and log entries as
 * createRecord for each, without a statement per row. `extra[i]` sets derived columns of row i the caller
 * computed for the whole batch (search text); `after` hooks run per row unless `skipAfter` says the caller did
 * that work for the batch.
 */
export async function createRecords<E extends SyncedEntity>(
  trx: Kysely<DB>,
  actor: Actor,
  entity: E,
  records: { values: Values<E> & Row; note?: string | null; extra?: Row }[],
  options: { skipAfter?: boolean } = {},
): Promise<Row[]> {
  if (!records.length) return [];
  const spec = entitySpecs[entity];
  const rows = records.map((r) => ({ ...newRow(spec, r.values, actor.at), ...r.extra }));
  await insertRows(trx, spec.table, [...new Set(rows.flatMap((r) => Object.keys(r)))], rows);
  if (!options.skipAfter && spec.after) for (const row of rows) await spec.after(trx, null, row);
  const entries = [];
  for (const [i, row] of rows.entries()) entries.push(await entry(trx, actor, spec, row, 'create', createChanges(spec, row), records[i]!.note ?? null));
  await logEntries(trx, actor, entries);
  return rows;
}

/** Whether a record exists (removed ones included). */
export async function recordExists(trx: Kysely<DB>, entity: SyncedEntity, id: string): Promise<boolean> {
  return (await readRecord(trx, entitySpecs[entity], id)) !== undefined;
}
