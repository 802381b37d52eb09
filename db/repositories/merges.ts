import { sql, type Kysely, type Selectable } from 'kysely';
import { maxPushChanges, type SyncedEntity } from '../../contract/sync';
import type { DB, MergesTable } from '../schema';
import { entitySpecs, readRecord, type Row } from '../sync/entities';
import { createRecord, deleteRecord, restoreRecord, StaleRecordError, updateRecord, type Actor } from '../sync/write';

// Merges of two clients (or of two contacts of one client) and their undo, written through the one write path.
// A merge is one operation: the actor carries an operation id, so every change it logs travels in one push and
// is applied in one transaction elsewhere. The merged-away record stays as a tombstone (removed, with a live
// merge row naming the survivor), so its code and links still lead to the survivor.
//
// What the merge changed is kept in the merge row (the snapshot): every field it wrote with the value it
// replaced, and the record it removed. Undo writes the old values back — only where the field still holds what
// the merge wrote. A field someone edited after the merge keeps that later edit (the undo never silently drops
// it), and a moved record that was edited meanwhile goes back to its client with its edit.

export type MergeKind = 'client' | 'contact';
export type MergeRecord = Selectable<MergesTable>;

/** The client fields a person chooses between when merging two clients (identity, origin and dates stay the survivor's). */
export const mergeableClientFields = [
  'company_name', 'email', 'area_id', 'phone', 'website', 'comments', 'status', 'owner_id', 'default_fee_percent', 'default_guarantee_days', 'default_payment_terms_days',
] as const;
export const mergeableContactFields = ['name', 'role', 'email', 'phone', 'notes'] as const;

type FieldChange = { old: unknown; new: unknown };
interface SnapshotChange {
  entity: SyncedEntity;
  id: string;
  fields: Record<string, FieldChange>;
}
export interface MergeSnapshot {
  changes: SnapshotChange[];
  removed: { entity: 'client' | 'contact'; id: string };
}

/** Why a merge or an undo is refused; the handler maps each to an error the recruiter reads. */
export class MergeRefused extends Error {
  constructor(readonly reason: 'merge_not_possible' | 'merge_too_large' | 'merge_already_undone' | 'merge_undo_blocked') {
    super(reason);
    this.name = 'MergeRefused';
  }
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** The two records as the person saw them: a version saved meanwhile is a conflict (StaleRecordError). */
function checkVersions(entity: SyncedEntity, pairs: [Row, number | undefined][]): void {
  for (const [row, version] of pairs) if (version !== undefined && Number(row.version) !== version) throw new StaleRecordError(entity, row.id as string, row);
}

/** Writes a snapshot change through the write path and records it (fields that already hold the value are left out). */
async function apply(trx: Kysely<DB>, actor: Actor, changes: SnapshotChange[], change: SnapshotChange): Promise<void> {
  const fields = Object.fromEntries(Object.entries(change.fields).filter(([, c]) => !same(c.old, c.new)));
  if (!Object.keys(fields).length) return;
  const patch = Object.fromEntries(Object.entries(fields).map(([f, c]) => [f, c.new]));
  await updateRecord(trx, actor, change.entity, change.id, patch);
  changes.push({ ...change, fields });
}

async function finish(trx: Kysely<DB>, actor: Actor, mergeId: string, kind: MergeKind, survivorId: string, mergedId: string, clientId: string, snapshot: MergeSnapshot) {
  await createRecord(trx, actor, 'merge', {
    id: mergeId, kind, survivor_id: survivorId, merged_id: mergedId, client_id: clientId, snapshot: JSON.stringify(snapshot), created_at: actor.at, undone_at: null,
  });
  await deleteRecord(trx, actor, snapshot.removed.entity, snapshot.removed.id);
}

/** Records that belong to a client and move with it (documents, owners, applications and placements follow theirs). */
async function belongings(trx: Kysely<DB>, clientId: string) {
  const ids = async (table: 'client_contacts' | 'events' | 'jobs' | 'leads') => (await trx.selectFrom(table).select('id').where('client_id', '=', clientId).orderBy('id').execute()).map((r) => r.id);
  return { contact: await ids('client_contacts'), event: await ids('events'), job: await ids('jobs'), lead: await ids('leads') };
}

export interface MergeInput {
  mergeId: string;
  survivorId: string;
  mergedId: string;
  /** Fields whose value comes from the merged-away record (the others keep the survivor's). */
  takeFromMerged: string[];
  survivorVersion?: number;
  mergedVersion?: number;
}

/**
 * Merges client `mergedId` into `survivorId`: the chosen fields, every contact, event, posting and lead of the
 * merged-away client move to the survivor, which keeps one primary contact; the merged-away client is archived
 * and left as a tombstone. The actor should carry the operation id.
 */
export async function mergeClients(trx: Kysely<DB>, actor: Actor, input: MergeInput): Promise<void> {
  const [survivor, merged] = [await readRecord(trx, entitySpecs.client, input.survivorId), await readRecord(trx, entitySpecs.client, input.mergedId)];
  if (!survivor || !merged || survivor.archived_at || merged.archived_at || input.survivorId === input.mergedId) throw new MergeRefused('merge_not_possible');
  checkVersions('client', [[survivor, input.survivorVersion], [merged, input.mergedVersion]]);
  const moving = await belongings(trx, input.mergedId);
  if (Object.values(moving).flat().length + 4 > maxPushChanges) throw new MergeRefused('merge_too_large');
  const changes: SnapshotChange[] = [];
  const fields: Record<string, FieldChange> = {};
  for (const field of mergeableClientFields) if (input.takeFromMerged.includes(field)) fields[field] = { old: survivor[field] ?? null, new: merged[field] ?? null };
  await apply(trx, actor, changes, { entity: 'client', id: input.survivorId, fields });

  const primary = await trx.selectFrom('client_contacts').select('id').where('client_id', '=', input.survivorId).where('is_primary', '=', 1).where('deleted_at', 'is', null).executeTakeFirst();
  for (const [entity, ids] of Object.entries(moving) as [SyncedEntity, string[]][]) {
    for (const id of ids) {
      const row = (await readRecord(trx, entitySpecs[entity], id)) as Row;
      const moved: Record<string, FieldChange> = { client_id: { old: input.mergedId, new: input.survivorId } };
      // The survivor keeps its primary contact; the merged-away client's becomes one of the others.
      if (entity === 'contact' && primary && row.is_primary === 1) moved.is_primary = { old: 1, new: 0 };
      await apply(trx, actor, changes, { entity, id, fields: moved });
    }
  }
  await finish(trx, actor, input.mergeId, 'client', input.survivorId, input.mergedId, input.survivorId, { changes, removed: { entity: 'client', id: input.mergedId } });
}

/** Merges contact `mergedId` into `survivorId` (two contacts of one client): the chosen fields, the primary role. */
export async function mergeContacts(trx: Kysely<DB>, actor: Actor, input: MergeInput): Promise<string> {
  const [survivor, merged] = [await readRecord(trx, entitySpecs.contact, input.survivorId), await readRecord(trx, entitySpecs.contact, input.mergedId)];
  if (!survivor || !merged || survivor.deleted_at || merged.deleted_at || survivor.client_id !== merged.client_id || input.survivorId === input.mergedId) {
    throw new MergeRefused('merge_not_possible');
  }
  checkVersions('contact', [[survivor, input.survivorVersion], [merged, input.mergedVersion]]);
  const changes: SnapshotChange[] = [];
  const fields: Record<string, FieldChange> = {};
  for (const field of mergeableContactFields) if (input.takeFromMerged.includes(field)) fields[field] = { old: survivor[field] ?? null, new: merged[field] ?? null };
  // The client's primary contact stays its primary: the survivor takes the role from the merged-away one.
  if (merged.is_primary === 1) {
    fields.is_primary = { old: survivor.is_primary, new: 1 };
    await apply(trx, actor, changes, { entity: 'contact', id: input.mergedId, fields: { is_primary: { old: 1, new: 0 } } });
  }
  await apply(trx, actor, changes, { entity: 'contact', id: input.survivorId, fields });
  const clientId = survivor.client_id as string;
  await finish(trx, actor, input.mergeId, 'contact', input.survivorId, input.mergedId, clientId, { changes, removed: { entity: 'contact', id: input.mergedId } });
  return clientId;
}

export function findMerge(db: Kysely<DB>, id: string) {
  return db.selectFrom('merges').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The live merge that removed this record (a tombstone's survivor), if any. */
export function mergedInto(db: Kysely<DB>, mergedId: string) {
  return db.selectFrom('merges').selectAll().where('merged_id', '=', mergedId).where('undone_at', 'is', null).orderBy('created_at', 'desc').executeTakeFirst();
}

/**
 * Undoes a merge: the removed record comes back, and every field the merge wrote gets its old value where it
 * still holds the merge's value (a later edit is kept). Refused when the survivor was itself merged away since:
 * that later merge is undone first, so no record is split between three.
 */
export async function undoMerge(trx: Kysely<DB>, actor: Actor, mergeId: string): Promise<MergeRecord> {
  const merge = await findMerge(trx, mergeId);
  if (!merge) throw new MergeRefused('merge_not_possible');
  if (merge.undone_at) throw new MergeRefused('merge_already_undone');
  if (await mergedInto(trx, merge.survivor_id)) throw new MergeRefused('merge_undo_blocked');
  const snapshot = JSON.parse(merge.snapshot) as MergeSnapshot;
  await restoreRecord(trx, actor, snapshot.removed.entity, snapshot.removed.id);
  for (const change of [...snapshot.changes].reverse()) {
    const current = await readRecord(trx, entitySpecs[change.entity], change.id);
    if (!current) continue;
    const patch = Object.fromEntries(Object.entries(change.fields).filter(([f, c]) => same(current[f], c.new)).map(([f, c]) => [f, c.old]));
    if (Object.keys(patch).length) await updateRecord(trx, actor, change.entity, change.id, patch);
  }
  await deleteRecord(trx, actor, 'merge', mergeId);
  return merge;
}

/** "Not a duplicate": remembers (or, with `dismissed` false, forgets) that two records were reviewed and kept apart. */
export async function setDismissed(trx: Kysely<DB>, actor: Actor, kind: MergeKind, a: string, b: string, dismissed: boolean): Promise<void> {
  const [first, second] = a < b ? [a, b] : [b, a];
  const id = `${first}:${second}`;
  const exists = await readRecord(trx, entitySpecs.duplicate_dismissal, id);
  if (!dismissed) {
    if (exists) await deleteRecord(trx, actor, 'duplicate_dismissal', id);
  } else if (exists) await restoreRecord(trx, actor, 'duplicate_dismissal', id);
  else await createRecord(trx, actor, 'duplicate_dismissal', { first_id: first, second_id: second, kind, created_at: actor.at, deleted_at: null });
}

/** Of these pairs, the ones a person dismissed (keys `<smaller id>:<larger id>`). */
export async function dismissedPairs(db: Kysely<DB>, pairs: [string, string][]): Promise<Set<string>> {
  if (!pairs.length) return new Set();
  const keys = pairs.map(([a, b]) => (a < b ? `${a}:${b}` : `${b}:${a}`));
  const { rows } = await sql<{ k: string }>`SELECT first_id || ':' || second_id AS k FROM duplicate_dismissals d
    JOIN json_each(${JSON.stringify(keys)}) j ON d.first_id = substr(j.value, 1, instr(j.value, ':') - 1) AND d.second_id = substr(j.value, instr(j.value, ':') + 1)
    WHERE d.deleted_at IS NULL`.execute(db);
  return new Set(rows.map((r) => r.k));
}
