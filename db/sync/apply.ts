import { sql, type Kysely } from 'kysely';
import { syncedEntities, type Change, type SyncedEntity } from '../../contract/sync';
import { appendChanges } from '../repositories/changeLog';
import { insertRows } from '../repositories/bulk';
import type { DB } from '../schema';
import { observeStamp } from './clock';
import { entitySpecs, keyOf, readRecord, whereKey, type EntitySpec, type Row } from './entities';
import { baselineOrder } from './outbox';

// Applies a change written elsewhere (pulled from the team's server, or replayed from a log) without
// making it a change of this device: the row is written and the change is kept in the log as history
// (with the device, user and clock it came with, already on the server so never pushed again), but no new
// outbox row is created.
//
// Per field, the last writer wins by hybrid logical clock: a field takes the change's value only when the
// change's stamp is later than that of every change this device holds for the same field, its own
// (pushed or still waiting) and other devices'. The server decides by the same rule, so every device ends
// with the same values whatever order the changes reach it in. Deletes and restores are changes of the
// deletion field, which updates never touch: a delete wins over concurrent edits.

export interface ApplyOutcome {
  /** Fields whose value was taken. */
  applied: string[];
  /** Fields that kept a later value already here; the change's value stays in the history. */
  lost: string[];
  /** Why nothing was written: the change is already here, or cannot be applied on this device. */
  skipped: 'known' | 'unknown_entity' | 'missing_record' | null;
}

/** What the history keeps of one field of an applied change: the values, and whose value it replaced or lost to. */
export interface AppliedFieldChange {
  old: unknown;
  new: unknown;
  /** The device whose value this one replaced (applied) or lost to (lost). */
  over?: string | null;
  /** The change's value lost to a later one (`over`) and was not written. */
  lost?: true;
}

interface FieldClock {
  hlc: string;
  deviceId: string;
}

/** The latest stamp of each field of a record among the changes in this device's log. */
async function fieldClocks(trx: Kysely<DB>, entity: string, entityId: string): Promise<Map<string, FieldClock>> {
  const rows = await trx.selectFrom('change_log').select(['hlc', 'changes', 'device_id']).where('entity', '=', entity).where('entity_id', '=', entityId).execute();
  const clocks = new Map<string, FieldClock>();
  for (const row of rows) {
    for (const field of Object.keys(JSON.parse(row.changes) as object)) {
      const known = clocks.get(field);
      if (!known || row.hlc > known.hlc) clocks.set(field, { hlc: row.hlc, deviceId: row.device_id });
    }
  }
  return clocks;
}

const isSynced = (entity: string): entity is SyncedEntity => (syncedEntities as readonly string[]).includes(entity);

/** The row a create writes: its key, its synced fields, what is derived from them. */
function newRow(spec: EntitySpec, change: Change, values: Row): Row {
  const row: Row = { ...keyOf(spec, change.entityId) };
  for (const field of spec.fields) row[field] = values[field] ?? null;
  Object.assign(row, spec.derive?.(row));
  if (spec.versioned) row.version = 1;
  if (spec.updatedAt) row.updated_at = change.changedAt;
  // A client's search text is derived from its contacts and recomputed by its after hook.
  if (spec.entity === 'client') row.search_text = '';
  return row;
}

async function writeApplied(trx: Kysely<DB>, spec: EntitySpec, change: Change, current: Row | undefined, values: Row): Promise<void> {
  if (!current) {
    const row = newRow(spec, change, values);
    const columns = Object.keys(row);
    await sql`INSERT INTO ${sql.table(spec.table)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES (${sql.join(columns.map((c) => row[c]))})`.execute(trx);
    await spec.after?.(trx, null, row);
    return;
  }
  const after = { ...current, ...values };
  const set: Row = { ...values, ...spec.derive?.(after) };
  if (spec.updatedAt) set.updated_at = change.changedAt;
  if (spec.versioned) set.version = Number(current.version) + 1;
  await sql`UPDATE ${sql.table(spec.table)} SET ${sql.join(Object.entries(set).map(([c, v]) => sql`${sql.ref(c)} = ${v}`))} WHERE ${whereKey(spec, change.entityId)}`.execute(trx);
  await spec.after?.(trx, current, { ...after, ...set });
}

/**
 * Applies one change in the caller's transaction (a pull applies a page of changes per transaction). A change
 * already in the log is skipped, so applying the same page twice changes nothing.
 */
export async function applyChange(trx: Kysely<DB>, change: Change, receivedAt: string): Promise<ApplyOutcome> {
  if (!isSynced(change.entity)) return { applied: [], lost: [], skipped: 'unknown_entity' };
  if (await trx.selectFrom('change_log').select('seq').where('id', '=', change.id).executeTakeFirst()) return { applied: [], lost: [], skipped: 'known' };
  const spec = entitySpecs[change.entity];
  const current = await readRecord(trx, spec, change.entityId);
  const clocks = await fieldClocks(trx, change.entity, change.entityId);

  const history: Record<string, AppliedFieldChange> = {};
  const values: Row = {};
  const applied: string[] = [];
  const lost: string[] = [];
  for (const [field, value] of Object.entries(change.changes)) {
    // A field this version does not know (a newer app's) stays in the history only.
    if (!spec.fields.includes(field)) {
      history[field] = { old: null, new: value.new ?? null };
      continue;
    }
    const clock = clocks.get(field);
    const old = current ? (current[field] ?? null) : null;
    if (clock && clock.hlc >= change.hlc) {
      lost.push(field);
      history[field] = { old, new: value.new ?? null, over: clock.deviceId, lost: true };
    } else {
      applied.push(field);
      values[field] = value.new ?? null;
      history[field] = { old, new: value.new ?? null, over: clock?.deviceId ?? null };
    }
  }

  // An edit of a record this device never received (its create was refused by the server) has nothing to
  // write to: the change is kept in the history only.
  const missing = !current && change.operation !== 'create';
  if (applied.length && !missing) await writeApplied(trx, spec, change, current, values);
  await appendChanges(trx, [
    {
      id: change.id,
      entity: change.entity,
      entityId: change.entityId,
      clientId: change.clientId,
      operation: change.operation,
      changes: history,
      note: change.note,
      userId: change.userId,
      deviceId: change.deviceId,
      changedAt: change.changedAt,
      deviceSeq: change.deviceSeq,
      hlc: change.hlc,
      pushedAt: receivedAt,
      operationId: change.operationId ?? null,
    },
  ]);
  await observeStamp(trx, change.hlc);
  return { applied: missing ? [] : applied, lost, skipped: missing ? 'missing_record' : null };
}

// ── Creates of records this device has never seen ─────────────────────────────────────────────────────────────
// A first pull is almost only these. For them applyChange's answer is known without asking: no stamp here can
// be later (no change of the record is here), so every field is taken. Written one statement per table instead
// of a handful per change, with the same rows, history and clock as applyChange would leave.

const singleKey = (spec: EntitySpec) => spec.keys.length === 1 && spec.keys[0] === 'id';
function byEntity(changes: Change[]): Map<SyncedEntity, Change[]> {
  const groups = new Map<SyncedEntity, Change[]>();
  for (const change of changes) {
    const group = groups.get(change.entity as SyncedEntity);
    if (group) group.push(change);
    else groups.set(change.entity as SyncedEntity, [change]);
  }
  return groups;
}
const chunks = <T>(items: T[], size = 500) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * The ids of the page's changes that create a record this device has never heard of: not in its log, no row,
 * no change of the record here or earlier in the page (so applyChange would take every field).
 */
export async function unseenCreates(trx: Kysely<DB>, changes: Change[]): Promise<Set<string>> {
  const creates = changes.filter((c) => c.operation === 'create' && isSynced(c.entity) && singleKey(entitySpecs[c.entity]));
  if (!creates.length) return new Set();
  const seen = new Set<string>();
  for (const part of chunks(changes.map((c) => c.id))) {
    for (const row of await trx.selectFrom('change_log').select('id').where('id', 'in', part).execute()) seen.add(`change:${row.id}`);
  }
  for (const [entity, group] of byEntity(creates)) {
    for (const part of chunks(group.map((c) => c.entityId))) {
      const logged = await trx.selectFrom('change_log').select('entity_id').where('entity', '=', entity).where('entity_id', 'in', part).execute();
      for (const row of logged) seen.add(`${entity}:${row.entity_id}`);
      const { rows } = await sql<{ id: string }>`SELECT id FROM ${sql.table(entitySpecs[entity].table)} WHERE id IN (${sql.join(part)})`.execute(trx);
      for (const row of rows) seen.add(`${entity}:${row.id}`);
    }
  }
  const unseen = new Set<string>();
  for (const change of changes) {
    const record = `${change.entity}:${change.entityId}`;
    const fresh = creates.includes(change) && !seen.has(`change:${change.id}`) && !seen.has(record) && Object.keys(change.changes).some((f) => entitySpecs[change.entity as SyncedEntity].fields.includes(f));
    if (fresh) unseen.add(change.id);
    seen.add(record);
  }
  return unseen;
}

/** Applies creates that unseenCreates picked: referenced tables first (a contact's client before it), in one statement per table. */
export async function applyUnseenCreates(trx: Kysely<DB>, changes: Change[], receivedAt: string): Promise<void> {
  if (!changes.length) return;
  const rank = (entity: string) => {
    const at = (baselineOrder as readonly string[]).indexOf(entity);
    return at === -1 ? baselineOrder.length : at;
  };
  const groups = [...byEntity(changes)].sort(([a], [b]) => rank(a) - rank(b));
  for (const [entity, group] of groups) {
    const spec = entitySpecs[entity];
    const rows = group.map((change) => newRow(spec, change, Object.fromEntries(Object.entries(change.changes).map(([f, v]) => [f, v.new ?? null]))));
    await insertRows(trx, spec.table as keyof DB & string, Object.keys(rows[0]!) as never[], rows as never[]);
    for (const row of rows) await spec.after?.(trx, null, row);
  }
  await appendChanges(
    trx,
    changes.map((change) => ({
      id: change.id,
      entity: change.entity,
      entityId: change.entityId,
      clientId: change.clientId,
      operation: change.operation,
      changes: Object.fromEntries(
        Object.entries(change.changes).map(([field, value]) => [field, entitySpecs[change.entity as SyncedEntity].fields.includes(field) ? { old: null, new: value.new ?? null, over: null } : { old: null, new: value.new ?? null }]),
      ),
      note: change.note,
      userId: change.userId,
      deviceId: change.deviceId,
      changedAt: change.changedAt,
      deviceSeq: change.deviceSeq,
      hlc: change.hlc,
      pushedAt: receivedAt,
      operationId: change.operationId ?? null,
    })),
  );
  await observeStamp(trx, changes.map((c) => c.hlc).reduce((a, b) => (b > a ? b : a)));
}
