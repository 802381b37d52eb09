import { sql, type Kysely, type Selectable } from 'kysely';
import type { ApplicationsTable, DB, PlacementsTable } from '../schema';
import { createRecord, deleteRecord, updateRecord, type Actor, type Values } from '../sync/write';

// Applications of candidates to job postings, their stages and their placements. Counts and totals read the
// partial indexes of live rows (migration 0009): a posting's pipeline by stage, placements by start month.

export type ApplicationRecord = Selectable<ApplicationsTable>;
export type PlacementRecord = Selectable<PlacementsTable>;

/** An application with the names the UI shows. */
export function selectApplications(db: Kysely<DB>) {
  return db
    .selectFrom('applications as a')
    .innerJoin('candidates as c', 'c.id', 'a.candidate_id')
    .innerJoin('jobs as j', 'j.id', 'a.job_id')
    .innerJoin('clients as cl', 'cl.id', 'j.client_id')
    .leftJoin('users as u', 'u.id', 'a.stage_changed_by')
    .selectAll('a')
    .select([
      'c.code as candidate_code', 'c.full_name as candidate_name', 'c.current_title as candidate_title', 'j.code as job_code', 'j.title as job_title', 'j.status as job_status',
      'j.client_id as client_id', 'cl.company_name as client_name', 'u.name as stage_changed_by_name',
    ]);
}
export type ApplicationView = Awaited<ReturnType<ReturnType<typeof selectApplications>['execute']>>[number];

export function findApplication(db: Kysely<DB>, id: string) {
  return selectApplications(db).where('a.id', '=', id).executeTakeFirst();
}

export function listApplicationsOf(db: Kysely<DB>, by: { candidateId?: string | null; jobId?: string | null }, limit = 1000) {
  let query = selectApplications(db).where('a.deleted_at', 'is', null);
  if (by.candidateId) query = query.where('a.candidate_id', '=', by.candidateId);
  // A removed candidate's applications leave the posting's pipeline (and come back with the candidate).
  if (by.jobId) query = query.where('a.job_id', '=', by.jobId).where('c.deleted_at', 'is', null);
  return query.orderBy('a.stage_changed_at', 'desc').orderBy('a.id').limit(limit).execute();
}

/** A live application of this candidate to this posting, if there is one. */
export function liveApplication(db: Kysely<DB>, candidateId: string, jobId: string) {
  return db.selectFrom('applications').select('id').where('candidate_id', '=', candidateId).where('job_id', '=', jobId).where('deleted_at', 'is', null).executeTakeFirst();
}

/** The live placements of these applications (one each at most: a move out of placed removes it). */
export function livePlacementsOf(db: Kysely<DB>, applicationIds: string[]) {
  if (!applicationIds.length) return Promise.resolve([] as PlacementRecord[]);
  return db.selectFrom('placements').selectAll().where('application_id', 'in', applicationIds).where('deleted_at', 'is', null).execute();
}

/** Which of these placements have a live replacement placement, and its id. */
export async function replacementsOf(db: Kysely<DB>, placementIds: string[]): Promise<Map<string, string>> {
  if (!placementIds.length) return new Map();
  const rows = await db.selectFrom('placements').select(['id', 'replaces_id']).where('replaces_id', 'in', placementIds).where('deleted_at', 'is', null).execute();
  return new Map(rows.map((r) => [r.replaces_id!, r.id]));
}

export function findPlacement(db: Kysely<DB>, id: string) {
  return db.selectFrom('placements').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Placements of a posting that ended inside their guarantee with a replacement owed and no live replacement yet. */
export function replacementsOwed(db: Kysely<DB>, jobId: string) {
  return db
    .selectFrom('placements as p')
    .innerJoin('candidates as c', 'c.id', 'p.candidate_id')
    .select(['p.id', 'p.left_on', 'c.full_name'])
    .where('p.job_id', '=', jobId)
    .where('p.deleted_at', 'is', null)
    .where('p.settlement', '=', 'replacement')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('placements as r').select('r.id').whereRef('r.replaces_id', '=', 'p.id').where('r.deleted_at', 'is', null))))
    .orderBy('p.left_on')
    .execute();
}

/** Live applications of each posting by stage, removed candidates' left out. */
export async function countsByJobAndStage(db: Kysely<DB>, jobIds: string[]) {
  if (!jobIds.length) return [];
  return db
    .selectFrom('applications as a')
    .innerJoin('candidates as c', 'c.id', 'a.candidate_id')
    .select(['a.job_id', 'a.stage_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('a.job_id', 'in', jobIds)
    .where('a.deleted_at', 'is', null)
    .where('c.deleted_at', 'is', null)
    .groupBy(['a.job_id', 'a.stage_id'])
    .execute();
}

/** A client's open postings (open or on hold) and their live applications by stage. */
export async function clientPipeline(db: Kysely<DB>, clientId: string) {
  const open = await db.selectFrom('jobs').select('id').where('client_id', '=', clientId).where('deleted_at', 'is', null).where('status', 'in', ['open', 'on_hold']).execute();
  const counts = await countsByJobAndStage(db, open.map((j) => j.id));
  const byStage = new Map<string, number>();
  for (const row of counts) byStage.set(row.stage_id, (byStage.get(row.stage_id) ?? 0) + Number(row.n));
  return { openPostings: open.length, counts: [...byStage].map(([stageId, count]) => ({ stageId, count })) };
}

/** The changes of an application's stage, oldest first, from the change log (local and pulled ones). */
export function applicationLog(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('change_log as l')
    .leftJoin('users as u', 'u.id', 'l.user_id')
    .select(['l.changes', 'l.changed_at', 'l.device_id', 'l.operation', 'u.name as user_name'])
    .where('l.entity', '=', 'application')
    .where('l.entity_id', '=', id)
    .orderBy('l.seq')
    .execute();
}

/** Earned per start month and currency: each live placement's fee less its refund. */
export async function earnedByMonth(db: Kysely<DB>, fromMonth: string, toMonth: string) {
  const result = await sql<{ month: string; currency: string; earned: number }>`
    SELECT substr(start_date, 1, 7) AS month, salary_currency AS currency, sum(fee_minor - refund_minor) AS earned
    FROM placements INDEXED BY placements_earned
    WHERE deleted_at IS NULL AND start_date >= ${`${fromMonth}-01`} AND start_date <= ${`${toMonth}-31`}
    GROUP BY month, currency ORDER BY month`.execute(db);
  return result.rows;
}

/** Placements whose guarantee ends between two dates (inclusive) and whose candidate has not left, soonest first. */
export function guaranteesEnding(db: Kysely<DB>, from: string, to: string, limit = 100) {
  return db
    .selectFrom('placements as p')
    .innerJoin('candidates as c', 'c.id', 'p.candidate_id')
    .innerJoin('jobs as j', 'j.id', 'p.job_id')
    .innerJoin('clients as cl', 'cl.id', 'j.client_id')
    .select([
      'p.id', 'p.candidate_id', 'c.full_name', 'p.job_id', 'j.code as job_code', 'j.title as job_title', 'j.client_id', 'cl.company_name', 'p.start_date', 'p.guarantee_end_date',
      'p.guarantee_policy', 'p.fee_minor', 'p.salary_currency',
    ])
    .where('p.deleted_at', 'is', null)
    .where('p.left_on', 'is', null)
    .where('p.guarantee_end_date', 'is not', null)
    .where('p.guarantee_end_date', '>=', from)
    .where('p.guarantee_end_date', '<=', to)
    .orderBy('p.guarantee_end_date')
    .orderBy('p.id')
    .limit(limit)
    .execute();
}

export type NewApplication = Values<'application'> & { id: string; candidate_id: string; job_id: string; stage_id: string; stage_changed_at: string; created_at: string };

export function createApplication(trx: Kysely<DB>, actor: Actor, values: NewApplication, note: string | null = null) {
  return createRecord(trx, actor, 'application', values, { note });
}

export function updateApplication(trx: Kysely<DB>, actor: Actor, id: string, patch: Values<'application'>, options: { version?: number; note?: string | null } = {}) {
  return updateRecord(trx, actor, 'application', id, patch, options);
}

export function removeApplication(trx: Kysely<DB>, actor: Actor, id: string, options: { version?: number } = {}) {
  return deleteRecord(trx, actor, 'application', id, options);
}

export type NewPlacement = Values<'placement'> & { id: string; application_id: string; candidate_id: string; job_id: string; start_date: string; created_at: string };

export function createPlacement(trx: Kysely<DB>, actor: Actor, values: NewPlacement, note: string | null = null) {
  return createRecord(trx, actor, 'placement', values, { note });
}

export function updatePlacement(trx: Kysely<DB>, actor: Actor, id: string, patch: Values<'placement'>, options: { version?: number; note?: string | null } = {}) {
  return updateRecord(trx, actor, 'placement', id, patch, options);
}

export function removePlacement(trx: Kysely<DB>, actor: Actor, id: string, options: { note?: string | null } = {}) {
  return deleteRecord(trx, actor, 'placement', id, options);
}
