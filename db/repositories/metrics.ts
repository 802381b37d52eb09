import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema';
import { clientFilterConditions, type ClientFilterQuery } from './clients';
import { weightedFeeSql } from './forecast';

async function where(db: Kysely<DB>, q: ClientFilterQuery) {
  const conditions = await clientFilterConditions(db, q);
  return conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
}

/** Summary figures for the clients that match the current search and filters. */
export async function clientMetrics(db: Kysely<DB>, q: ClientFilterQuery, at: { monthStart: string; thirtyDaysAgo: string }) {
  const filtered = sql`SELECT c.id, c.status, c.created_at FROM clients c ${await where(db, q)}`;

  const byStatus = await sql<{ status: string; n: number; new_this_month: number }>`
    SELECT status, count(*) AS n, sum(created_at >= ${at.monthStart}) AS new_this_month
    FROM (${filtered}) GROUP BY status`.execute(db);

  // Recent events first (index on occurred_at), then membership of their client in the filter.
  const events = await sql<{ n: number }>`
    SELECT count(*) AS n FROM events e
    WHERE e.occurred_at >= ${at.thirtyDaysAgo} AND e.deleted_at IS NULL AND e.client_id IN (SELECT id FROM (${filtered}))`.execute(db);

  const jobs = await sql<{ currency: string | null; open_jobs: number; weighted: number | null }>`
    SELECT j.salary_currency AS currency, sum(j.status IN ('open', 'on_hold')) AS open_jobs, sum(${weightedFeeSql}) AS weighted
    FROM jobs j
    WHERE j.deleted_at IS NULL AND j.status IN ('draft', 'open', 'on_hold') AND j.client_id IN (SELECT id FROM (${filtered}))
    GROUP BY j.salary_currency`.execute(db);

  const statusCounts = { active: 0, paused: 0, inactive: 0 };
  let newThisMonth = 0;
  for (const row of byStatus.rows) {
    statusCounts[row.status as keyof typeof statusCounts] = Number(row.n);
    newThisMonth += Number(row.new_this_month);
  }
  return {
    total: statusCounts.active + statusCounts.paused + statusCounts.inactive,
    byStatus: statusCounts,
    newThisMonth,
    eventsLast30Days: Number(events.rows[0]?.n ?? 0),
    openJobs: jobs.rows.reduce((sum, r) => sum + Number(r.open_jobs), 0),
    forecast: jobs.rows
      .filter((r) => r.currency && r.weighted !== null && Number(r.weighted) !== 0)
      .map((r) => ({ currency: r.currency!, amountMinor: Number(r.weighted) }))
      .sort((a, b) => b.amountMinor - a.amountMinor),
  };
}
