import { sql, type Kysely, type Selectable } from 'kysely';
import { eventOwnerId } from '../../contract/sync';
import type { DB, EventsTable } from '../schema';
import { createRecord, deleteRecord, recordExists, restoreRecord, updateRecord, type Actor, type Values } from '../sync/write';

export type EventRecord = Selectable<EventsTable>;

export interface EventListQuery {
  clientId: string;
  types: string[];
  ownerIds: string[];
  from: string | null;
  to: string | null;
  search: string;
  limit: number;
  after: { occurredAt: string; id: string } | null;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/** A client's timeline, newest first, keyset-paged on (occurred_at, id). */
export function listEvents(db: Kysely<DB>, q: EventListQuery) {
  let query = db
    .selectFrom('events as e')
    .leftJoin('users as u', 'u.id', 'e.created_by')
    .selectAll('e')
    .select('u.name as created_by_name')
    .where('e.client_id', '=', q.clientId)
    .where('e.deleted_at', 'is', null);
  if (q.types.length) query = query.where('e.type', 'in', q.types);
  if (q.ownerIds.length) {
    query = query.where((eb) => eb.exists(eb.selectFrom('event_owners as o').select('o.user_id').whereRef('o.event_id', '=', 'e.id').where('o.user_id', 'in', q.ownerIds).where('o.deleted_at', 'is', null)));
  }
  if (q.from) query = query.where('e.occurred_at', '>=', `${q.from}T00:00:00.000Z`);
  if (q.to) query = query.where('e.occurred_at', '<', nextDay(q.to));
  for (const term of q.search.trim().split(/\s+/).filter(Boolean)) {
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`(e.title LIKE ${like} ESCAPE '\\' OR ifnull(e.notes, '') LIKE ${like} ESCAPE '\\')`);
  }
  if (q.after) query = query.where(sql<boolean>`(e.occurred_at < ${q.after.occurredAt} OR (e.occurred_at = ${q.after.occurredAt} AND e.id < ${q.after.id}))`);
  return query.orderBy('e.occurred_at', 'desc').orderBy('e.id', 'desc').limit(q.limit).execute();
}

export function findEvent(db: Kysely<DB>, id: string) {
  return db.selectFrom('events as e').leftJoin('users as u', 'u.id', 'e.created_by').selectAll('e').select('u.name as created_by_name').where('e.id', '=', id).executeTakeFirst();
}

export function ownersOf(db: Kysely<DB>, eventIds: string[]) {
  if (!eventIds.length) return Promise.resolve([]);
  return db
    .selectFrom('event_owners as o')
    .innerJoin('users as u', 'u.id', 'o.user_id')
    .select(['o.event_id', 'u.id', 'u.name', 'u.active'])
    .where('o.event_id', 'in', eventIds)
    .where('o.deleted_at', 'is', null)
    .orderBy('u.name')
    .execute();
}

export function attachmentsOf(db: Kysely<DB>, eventIds: string[]) {
  if (!eventIds.length) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .select(['id', 'event_id', 'file_name', 'mime_type', 'size_bytes', 'sha256'])
    .where('event_id', 'in', eventIds)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

/**
 * How many live documents still point at a stored file — event attachments and candidates' documents share the
 * content-addressed store — so a file is deleted only when none does.
 */
export async function referencesTo(db: Kysely<DB>, sha256: string): Promise<number> {
  const row = await db
    .selectFrom('attachments as a')
    .innerJoin('events as e', 'e.id', 'a.event_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('a.sha256', '=', sha256)
    .where('a.deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  const candidates = await db
    .selectFrom('candidate_documents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sha256', '=', sha256)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n) + Number(candidates.n);
}

export type NewEvent = Values<'event'> & { id: string; type: string; title: string; occurred_at: string; created_at: string };

export function createEvent(trx: Kysely<DB>, actor: Actor, values: NewEvent, note: string | null = null) {
  return createRecord(trx, actor, 'event', values, { note });
}

export function updateEvent(trx: Kysely<DB>, actor: Actor, id: string, patch: Values<'event'>, options: { version?: number; note?: string | null } = {}) {
  return updateRecord(trx, actor, 'event', id, patch, options);
}

/** Removes or restores an event (soft: its documents stay stored, so "Undo" brings it back whole). */
export function setEventRemoved(trx: Kysely<DB>, actor: Actor, id: string, removed: boolean, options: { version?: number } = {}) {
  return removed ? deleteRecord(trx, actor, 'event', id, options) : restoreRecord(trx, actor, 'event', id, options);
}

/**
 * Makes the event's owners exactly `userIds`: each owner added or removed is a record of its own in the log
 * (added anew, or restored when it was removed before), so two devices changing owners merge per owner.
 * Returns whether anything changed.
 */
export async function setEventOwners(trx: Kysely<DB>, actor: Actor, eventId: string, userIds: string[]): Promise<boolean> {
  const wanted = new Set(userIds);
  const rows = await trx.selectFrom('event_owners').select(['user_id', 'deleted_at']).where('event_id', '=', eventId).execute();
  let changed = false;
  for (const row of rows) {
    if (row.deleted_at === null && !wanted.has(row.user_id)) changed = (await deleteRecord(trx, actor, 'event_owner', eventOwnerId(eventId, row.user_id))).changed || changed;
  }
  for (const userId of wanted) {
    const id = eventOwnerId(eventId, userId);
    if (await recordExists(trx, 'event_owner', id)) changed = (await restoreRecord(trx, actor, 'event_owner', id)).changed || changed;
    else {
      await createRecord(trx, actor, 'event_owner', { event_id: eventId, user_id: userId, deleted_at: null });
      changed = true;
    }
  }
  return changed;
}

export type NewAttachment = Values<'attachment'> & { id: string; event_id: string; sha256: string; file_name: string; mime_type: string; size_bytes: number; created_at: string };

export function addAttachment(trx: Kysely<DB>, actor: Actor, values: NewAttachment) {
  return createRecord(trx, actor, 'attachment', values);
}

/** Removes documents from an event (soft); returns the removed ones, whose stored files may go once nothing points at them. */
export async function removeAttachments(trx: Kysely<DB>, actor: Actor, eventId: string, ids: string[]) {
  if (!ids.length) return [];
  const removed = await trx.selectFrom('attachments').select(['id', 'sha256', 'file_name']).where('event_id', '=', eventId).where('id', 'in', ids).where('deleted_at', 'is', null).execute();
  for (const row of removed) await deleteRecord(trx, actor, 'attachment', row.id);
  return removed;
}

export async function satisfactionOf(db: Kysely<DB>, clientId: string) {
  const rows = await db
    .selectFrom('events')
    .select(['score', 'occurred_at'])
    .where('client_id', '=', clientId)
    .where('type', '=', 'satisfaction_survey')
    .where('deleted_at', 'is', null)
    .where('score', 'is not', null)
    .orderBy('occurred_at', 'desc')
    .execute();
  if (!rows.length) return { average: null, latest: null, count: 0 };
  const sum = rows.reduce((s, r) => s + Number(r.score), 0);
  return { average: Math.round((sum / rows.length) * 10) / 10, latest: Number(rows[0]!.score), count: rows.length };
}
