import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, JobsTable } from '../schema';
import { createRecord, deleteRecord, updateRecord, type Actor, type Values } from '../sync/write';
import { expectedFeeSql } from './forecast';

export type JobRecord = Selectable<JobsTable>;

export interface JobFilterQuery {
  search: string;
  statuses: string[];
  clientId: string | null;
  areaIds: string[];
  ownerIds: string[];
  salaryFromMinor: number | null;
  salaryToMinor: number | null;
  closeFrom: string | null;
  closeTo: string | null;
}

export function selectJobs(db: Kysely<DB>) {
  return db
    .selectFrom('jobs as j')
    .innerJoin('clients as c', 'c.id', 'j.client_id')
    .leftJoin('users as u', 'u.id', 'j.owner_id')
    .selectAll('j')
    .select(['c.company_name as client_name', 'u.name as owner_name']);
}

function conditions(q: JobFilterQuery) {
  const out = [sql<boolean>`j.deleted_at IS NULL`];
  if (q.statuses.length) out.push(sql<boolean>`j.status IN (${sql.join(q.statuses)})`);
  if (q.clientId) out.push(sql<boolean>`j.client_id = ${q.clientId}`);
  // The clients of the areas as a set of ids: no join to clients for every posting.
  if (q.areaIds.length) out.push(sql<boolean>`j.client_id IN (SELECT id FROM clients WHERE area_id IN (${sql.join(q.areaIds)}))`);
  if (q.ownerIds.length) out.push(sql<boolean>`j.owner_id IN (${sql.join(q.ownerIds)})`);
  // Overlap of the posting's range with the wanted one.
  if (q.salaryFromMinor !== null) out.push(sql<boolean>`coalesce(j.salary_max_minor, j.salary_min_minor) >= ${q.salaryFromMinor}`);
  if (q.salaryToMinor !== null) out.push(sql<boolean>`coalesce(j.salary_min_minor, j.salary_max_minor) <= ${q.salaryToMinor}`);
  if (q.closeFrom) out.push(sql<boolean>`j.expected_close_date >= ${q.closeFrom}`);
  if (q.closeTo) out.push(sql<boolean>`j.expected_close_date <= ${q.closeTo}`);
  for (const term of q.search.trim().split(/\s+/).filter(Boolean)) {
    const like = `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    out.push(sql<boolean>`(j.title LIKE ${like} ESCAPE '\\' OR j.code LIKE ${like} ESCAPE '\\')`);
  }
  return out;
}

const sorts = {
  created_at: sql<string>`j.created_at`,
  title: sql<string>`j.title COLLATE NOCASE`,
  expected_close_date: sql<string>`ifnull(j.expected_close_date, '')`,
} as const;

export function listJobs(db: Kysely<DB>, q: JobFilterQuery & { sort: keyof typeof sorts; direction: 'asc' | 'desc'; limit: number; after: { value: string; id: string } | null }) {
  const sortExpr = sorts[q.sort];
  const desc = q.direction === 'desc';
  let query = selectJobs(db).select(sortExpr.as('sort_value'));
  for (const c of conditions(q)) query = query.where(c);
  if (q.after) {
    query = desc
      ? query.where(sql<boolean>`(${sortExpr} < ${q.after.value} OR (${sortExpr} = ${q.after.value} AND j.id < ${q.after.id}))`)
      : query.where(sql<boolean>`(${sortExpr} > ${q.after.value} OR (${sortExpr} = ${q.after.value} AND j.id > ${q.after.id}))`);
  }
  return query.orderBy(sortExpr, desc ? 'desc' : 'asc').orderBy('j.id', desc ? 'desc' : 'asc').limit(q.limit).execute();
}

/** Counts and the open forecast per currency for a filter; filled and cancelled postings leave the forecast. */
export async function jobTotals(db: Kysely<DB>, q: JobFilterQuery) {
  const where = sql.join(conditions(q), sql` AND `);
  // Without a title search the totals read the jobs_live index alone (migration 0006).
  const counts = await sql<{ n: number; open_n: number }>`
    SELECT count(*) AS n, sum(j.status IN ('draft', 'open', 'on_hold')) AS open_n FROM jobs j WHERE ${where}`.execute(db);
  const money = await sql<{ currency: string; expected: number | null; weighted: number | null }>`
    SELECT j.salary_currency AS currency, sum(${expectedFeeSql}) AS expected, sum(j.weighted_fee_minor) AS weighted
    FROM jobs j
    WHERE ${where} AND j.status IN ('draft', 'open', 'on_hold') AND j.salary_currency IS NOT NULL
    GROUP BY j.salary_currency ORDER BY sum(j.weighted_fee_minor) DESC`.execute(db);
  return {
    count: Number(counts.rows[0]?.n ?? 0),
    openCount: Number(counts.rows[0]?.open_n ?? 0),
    byCurrency: money.rows
      .filter((r) => r.expected !== null || r.weighted !== null)
      .map((r) => ({ currency: r.currency, expectedMinor: Number(r.expected ?? 0), weightedMinor: Number(r.weighted ?? 0) })),
  };
}

export function findJob(db: Kysely<DB>, id: string) {
  return selectJobs(db).where('j.id', '=', id).where('j.deleted_at', 'is', null).executeTakeFirst();
}

/** The open weighted forecast per expected close month and currency, for the dashboard. */
export async function forecastByMonth(db: Kysely<DB>, fromMonth: string, toMonth: string) {
  const result = await sql<{ month: string; currency: string; weighted: number }>`
    SELECT substr(j.expected_close_date, 1, 7) AS month, j.salary_currency AS currency, sum(j.weighted_fee_minor) AS weighted
    FROM jobs j
    -- Archived clients are few: leaving them out beats looking up the client of every open posting.
    WHERE j.deleted_at IS NULL AND j.client_id NOT IN (SELECT id FROM clients WHERE archived_at IS NOT NULL) AND j.status IN ('draft', 'open', 'on_hold')
      AND j.expected_close_date >= ${`${fromMonth}-01`} AND j.expected_close_date <= ${`${toMonth}-31`} AND j.salary_currency IS NOT NULL
    GROUP BY month, currency ORDER BY month`.execute(db);
  return result.rows;
}

export type NewJob = Values<'job'> & { id: string; client_id: string; code: string; title: string; status: JobRecord['status']; openings: number; created_at: string };

export function createJob(trx: Kysely<DB>, actor: Actor, values: NewJob, note: string | null = null) {
  return createRecord(trx, actor, 'job', values, { note });
}

export function updateJob(trx: Kysely<DB>, actor: Actor, id: string, patch: Values<'job'>, options: { version?: number; note?: string | null } = {}) {
  return updateRecord(trx, actor, 'job', id, patch, options);
}

export function removeJob(trx: Kysely<DB>, actor: Actor, id: string, options: { version?: number } = {}) {
  return deleteRecord(trx, actor, 'job', id, options);
}
