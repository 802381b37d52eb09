import type { Kysely, Selectable } from 'kysely';
import { eventOwnerId, type SyncedEntity } from '../../contract/sync';
import type { ApplicationsTable, AttachmentsTable, CandidateDocumentsTable, CandidatesTable, ClientContactsTable, ClientsTable, DB, EventsTable, JobsTable, PlacementsTable } from '../schema';
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
  const group = groupBy;
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

// ── Candidates ─────────────────────────────────────────────────────────────────────────────────────────
// A candidate's complete record for backups (`candidates.jsonl`, one line each): the candidate, its documents
// (CVs), its applications and their placements, and the candidate's own history. Applications and placements
// belong to a posting's client too, so their history travels in that client's line.

export type DossierCandidate = Omit<Selectable<CandidatesTable>, 'seq' | 'search_text' | 'name_key' | 'email_key' | 'phone_key' | 'company_key'>;
export type DossierCandidateDocument = Selectable<CandidateDocumentsTable>;
export type DossierApplication = Selectable<ApplicationsTable>;
export type DossierPlacement = Selectable<PlacementsTable>;

export interface CandidateDossier {
  candidate: DossierCandidate;
  documents: DossierCandidateDocument[];
  applications: DossierApplication[];
  placements: DossierPlacement[];
  history: DossierChange[];
}

/**
 * Candidates in storage order after `afterSeq`, a page at a time (removed ones too). With `jobIds` (one client's
 * dossier), only the candidates who applied to one of those postings.
 */
export function candidateIdsPage(db: Kysely<DB>, afterSeq: number, limit: number, jobIds: string[] | null = null) {
  let query = db.selectFrom('candidates as c').select(['c.seq', 'c.id']).where('c.seq', '>', afterSeq);
  if (jobIds) query = query.where((eb) => eb.exists(eb.selectFrom('applications as a').select('a.id').whereRef('a.candidate_id', '=', 'c.id').where('a.job_id', 'in', jobIds.length ? jobIds : [''])));
  return query.orderBy('c.seq').limit(limit).execute();
}

/** The postings of one client (its dossier carries the applications to them). */
export async function jobIdsOf(db: Kysely<DB>, clientId: string): Promise<string[]> {
  return (await db.selectFrom('jobs').select('id').where('client_id', '=', clientId).execute()).map((j) => j.id);
}

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}

/** The dossiers of these candidates; with `jobIds`, only their applications (and placements) to those postings. */
export async function loadCandidateDossiers(db: Kysely<DB>, candidateIds: string[], jobIds: string[] | null = null): Promise<CandidateDossier[]> {
  if (!candidateIds.length) return [];
  let applicationsQuery = db.selectFrom('applications').selectAll().where('candidate_id', 'in', candidateIds);
  if (jobIds) applicationsQuery = applicationsQuery.where('job_id', 'in', jobIds.length ? jobIds : ['']);
  const [candidates, documents, applications] = await Promise.all([
    db.selectFrom('candidates').selectAll().where('id', 'in', candidateIds).orderBy('seq').execute(),
    db.selectFrom('candidate_documents').selectAll().where('candidate_id', 'in', candidateIds).orderBy('created_at').execute(),
    applicationsQuery.orderBy('created_at').execute(),
  ]);
  const applicationIds = applications.map((a) => a.id);
  const placements: DossierPlacement[] = [];
  for (let i = 0; i < applicationIds.length; i += 5000) {
    placements.push(...(await db.selectFrom('placements').selectAll().where('application_id', 'in', applicationIds.slice(i, i + 5000)).orderBy('created_at').execute()));
  }
  const ownIds = [...candidateIds, ...documents.map((d) => d.id)];
  const history: DossierChange[] = [];
  for (let i = 0; i < ownIds.length; i += 5000) {
    const chunk = ownIds.slice(i, i + 5000);
    const rows = await db.selectFrom('change_log').selectAll().where('entity', 'in', ['candidate', 'candidate_document']).where('entity_id', 'in', chunk).orderBy('seq').execute();
    history.push(...rows.map(({ seq: _s, ...h }) => h));
  }
  const documentOwner = new Map(documents.map((d) => [d.id, d.candidate_id]));
  const documentsOf = groupBy(documents, (d) => d.candidate_id);
  const applicationsOf = groupBy(applications, (a) => a.candidate_id);
  const placementsOf = groupBy(placements, (p) => p.candidate_id);
  const historyOf = groupBy(history, (h) => (h.entity === 'candidate' ? h.entity_id : documentOwner.get(h.entity_id)));
  return candidates.map(({ seq: _seq, search_text: _s, name_key: _n, email_key: _e, phone_key: _p, company_key: _c, ...candidate }) => ({
    candidate,
    documents: documentsOf.get(candidate.id) ?? [],
    applications: applicationsOf.get(candidate.id) ?? [],
    placements: placementsOf.get(candidate.id) ?? [],
    history: historyOf.get(candidate.id) ?? [],
  }));
}

/** Distinct documents of candidates (all, or those of one client's dossier), removed ones too. */
export async function candidateDocumentsOf(db: Kysely<DB>, jobIds: string[] | null): Promise<string[]> {
  let query = db.selectFrom('candidate_documents as d').select('d.sha256').distinct();
  if (jobIds) query = query.where((eb) => eb.exists(eb.selectFrom('applications as a').select('a.id').whereRef('a.candidate_id', '=', 'd.candidate_id').where('a.job_id', 'in', jobIds.length ? jobIds : [''])));
  return (await query.execute()).map((r) => r.sha256);
}

export interface CandidateRestoreCounts {
  documents: number;
  applications: number;
  placements: number;
  /** Applications whose posting is not in this database (its client was not restored): left out. */
  withoutPosting: DossierApplication[];
  /** Placements whose application, or the placement they replace, is not here (yet): the caller may retry them. */
  waiting: DossierPlacement[];
}

/**
 * Writes the rows of a candidate's dossier that are not here yet (by id) through the write path, as
 * `restoreMissing` does for a client. An application needs its posting, a placement its application (and the
 * placement it replaces): those whose link is missing are returned instead of written.
 */
export async function restoreCandidateMissing(trx: Kysely<DB>, actor: Actor, dossier: CandidateDossier, note: string, candidate: Row | null): Promise<CandidateRestoreCounts> {
  const missing = async (entity: SyncedEntity, id: string) => !(await recordExists(trx, entity, id));
  await keepForeignHistory(trx, dossier.history);
  if (candidate) await createRecord(trx, actor, 'candidate', candidate, { note });
  const counts: CandidateRestoreCounts = { documents: 0, applications: 0, placements: 0, withoutPosting: [], waiting: [] };
  for (const document of dossier.documents) {
    if (!(await missing('candidate_document', document.id))) continue;
    await createRecord(trx, actor, 'candidate_document', document, { note });
    counts.documents++;
  }
  for (const application of dossier.applications) {
    if (!(await missing('application', application.id))) continue;
    if (await missing('job', application.job_id)) {
      counts.withoutPosting.push(application);
      continue;
    }
    await createRecord(trx, actor, 'application', application, { note });
    counts.applications++;
  }
  for (const placement of dossier.placements) {
    if (await restorePlacement(trx, actor, placement, note)) counts.placements++;
    else if (await missing('placement', placement.id)) counts.waiting.push(placement);
  }
  return counts;
}

/** Writes a placement of a backup when it is missing and what it links to is here; true when it wrote it. */
export async function restorePlacement(trx: Kysely<DB>, actor: Actor, placement: DossierPlacement, note: string): Promise<boolean> {
  if (await recordExists(trx, 'placement', placement.id)) return false;
  if (!(await recordExists(trx, 'application', placement.application_id))) return false;
  if (placement.replaces_id && !(await recordExists(trx, 'placement', placement.replaces_id))) return false;
  await createRecord(trx, actor, 'placement', placement, { note });
  return true;
}
