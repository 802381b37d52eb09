import type { Kysely, Selectable } from 'kysely';
import { eventOwnerId, type SyncedEntity } from '../../contract/sync';
import type { AttachmentsTable, ClientContactsTable, ClientsTable, DB, EventsTable, JobsTable } from '../schema';
import type { Row } from '../sync/entities';
import { keepForeignHistory, type ForeignChange } from './changeLog';
import { createRecord, recordExists, type Actor } from '../sync/write';

// A client's complete record for backups: the client, its contacts, events (with owners and documents),
// job postings and history, removed rows included. Rows travel as stored (snake_case columns) minus
// what the database derives itself (row numbers, search text, the generated forecast).

export type DossierClient = Omit<Selectable<ClientsTable>, 'seq' | 'search_text'>;
export type DossierContact = Omit<Selectable<ClientContactsTable>, 'seq'>;
export type DossierAttachment = Selectable<AttachmentsTable>;
export type DossierEvent = Selectable<EventsTable> & { owners: string[]; attachments: DossierAttachment[] };
export type DossierJob = Omit<Selectable<JobsTable>, 'weighted_fee_minor'>;
/** Backups made before the log had sequences and clocks lack those two columns. */
export type DossierChange = ForeignChange;

export interface Dossier {
  client: DossierClient;
  contacts: DossierContact[];
  events: DossierEvent[];
  jobs: DossierJob[];
  history: DossierChange[];
}

/** Clients in storage order after `afterSeq`, a page at a time (every client, archived ones too). */
export function clientIdsPage(db: Kysely<DB>, afterSeq: number, limit: number) {
  return db.selectFrom('clients').select(['seq', 'id']).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

type EventRow = Selectable<EventsTable>;

/**
 * Removed events of every client, by client. Only live events have a per-client index, so removed ones are
 * found by one pass over the table; a backup of all clients reads them once instead of once per page.
 */
export async function removedEventsByClient(db: Kysely<DB>, clientIds: string[] | null = null): Promise<Map<string, EventRow[]>> {
  let query = db.selectFrom('events').selectAll().where('deleted_at', 'is not', null).where('client_id', 'is not', null);
  if (clientIds) query = query.where('client_id', 'in', clientIds);
  const byClient = new Map<string, EventRow[]>();
  for (const event of await query.execute()) byClient.set(event.client_id!, [...(byClient.get(event.client_id!) ?? []), event]);
  return byClient;
}

export async function loadDossiers(db: Kysely<DB>, clientIds: string[], removedEvents?: Map<string, EventRow[]>): Promise<Dossier[]> {
  if (!clientIds.length) return [];
  const [clients, contacts, liveEvents, removed, jobs, history] = await Promise.all([
    db.selectFrom('clients').selectAll().where('id', 'in', clientIds).orderBy('seq').execute(),
    db.selectFrom('client_contacts').selectAll().where('client_id', 'in', clientIds).orderBy('seq').execute(),
    // `deleted_at IS NULL` lets SQLite use the per-client events index; without it, every page scanned all events.
    db.selectFrom('events').selectAll().where('client_id', 'in', clientIds).where('deleted_at', 'is', null).execute(),
    removedEvents ?? removedEventsByClient(db, clientIds),
    db.selectFrom('jobs').selectAll().where('client_id', 'in', clientIds).orderBy('created_at').execute(),
    db.selectFrom('change_log').selectAll().where('client_id', 'in', clientIds).orderBy('seq').execute(),
  ]);
  const events = [...liveEvents, ...clientIds.flatMap((id) => removed.get(id) ?? [])].sort((a, b) => (a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : 0));
  const eventIds = events.map((e) => e.id);
  const owners: { event_id: string; user_id: string }[] = [];
  const attachments: DossierAttachment[] = [];
  // Chunked: a busy client has thousands of events, and SQLite caps the parameters of one statement.
  for (let i = 0; i < eventIds.length; i += 5000) {
    const chunk = eventIds.slice(i, i + 5000);
    owners.push(...(await db.selectFrom('event_owners').selectAll().where('event_id', 'in', chunk).where('deleted_at', 'is', null).execute()));
    attachments.push(...(await db.selectFrom('attachments').selectAll().where('event_id', 'in', chunk).execute()));
  }
  const group = <T, K>(rows: T[], key: (row: T) => K) => {
    const map = new Map<K, T[]>();
    for (const row of rows) {
      const list = map.get(key(row));
      if (list) list.push(row);
      else map.set(key(row), [row]);
    }
    return map;
  };
  const ownersOf = group(owners, (o) => o.event_id);
  const attachmentsOf = group(attachments, (a) => a.event_id);
  const contactsOf = group(contacts, (c) => c.client_id);
  const eventsOf = group(events, (e) => e.client_id);
  const jobsOf = group(jobs, (j) => j.client_id);
  const historyOf = group(history, (h) => h.client_id);

  return clients.map(({ seq: _seq, search_text: _search, ...client }) => ({
    client,
    contacts: (contactsOf.get(client.id) ?? []).map(({ seq: _s, ...c }) => c),
    events: (eventsOf.get(client.id) ?? []).map((e) => ({ ...e, owners: (ownersOf.get(e.id) ?? []).map((o) => o.user_id), attachments: attachmentsOf.get(e.id) ?? [] })),
    jobs: (jobsOf.get(client.id) ?? []).map(({ weighted_fee_minor: _w, ...j }) => j),
    history: (historyOf.get(client.id) ?? []).map(({ seq: _s, ...h }) => h),
  }));
}

/** Distinct documents attached to the events of these clients (removed ones too: undo must still work after a restore). */
export async function documentsOf(db: Kysely<DB>, clientIds: string[] | null): Promise<string[]> {
  let query = db.selectFrom('attachments as a').innerJoin('events as e', 'e.id', 'a.event_id').select('a.sha256').distinct();
  if (clientIds) query = query.where('e.client_id', 'in', clientIds);
  else query = query.where('e.client_id', 'is not', null);
  return (await query.execute()).map((r) => r.sha256);
}

/**
 * Writes the rows of a backup that are not here yet (by id), through the write path: each is a logged create of
 * this device with every field, so the restore reaches the team like any other change. Existing rows are left as
 * they are (restoring twice adds nothing). The backup's own history is kept as history: changes other devices
 * (or this one, earlier) made, never pushed from here — the creates above carry the data.
 */
export async function restoreMissing(trx: Kysely<DB>, actor: Actor, dossier: Dossier, note: string, client: Row | null): Promise<{ contacts: number; events: number; jobs: number }> {
  const missing = async (entity: SyncedEntity, id: string) => !(await recordExists(trx, entity, id));
  // History first: the restore's own entries are the newest.
  await keepForeignHistory(trx, dossier.history);
  if (client) await createRecord(trx, actor, 'client', client, { note });
  let contacts = 0;
  let events = 0;
  let jobs = 0;
  for (const contact of dossier.contacts) {
    if (!(await missing('contact', contact.id))) continue;
    await createRecord(trx, actor, 'contact', contact, { note });
    contacts++;
  }
  for (const { owners, attachments, ...event } of dossier.events) {
    if (await missing('event', event.id)) {
      await createRecord(trx, actor, 'event', event, { note });
      events++;
    }
    for (const userId of owners) {
      if (await missing('event_owner', eventOwnerId(event.id, userId))) await createRecord(trx, actor, 'event_owner', { event_id: event.id, user_id: userId, deleted_at: null }, { note });
    }
    for (const attachment of attachments) if (await missing('attachment', attachment.id)) await createRecord(trx, actor, 'attachment', attachment, { note });
  }
  for (const job of dossier.jobs) {
    if (!(await missing('job', job.id))) continue;
    await createRecord(trx, actor, 'job', job, { note });
    jobs++;
  }
  return { contacts, events, jobs };
}
