import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../schema';
import { clientFilterConditions, type ClientFilterQuery } from './clients';

/** Below this many matching clients, per-client index seeks beat scanning recent events and open jobs. */
const perClientLimit = 30_000;
const openStatuses = sql`('draft', 'open', 'on_hold')`;

function isUnfiltered(q: ClientFilterQuery): boolean {
  return !q.search.trim() && !q.statuses.length && !q.areaIds.length && !q.ownerIds.length && !q.createdFrom && !q.createdTo;
}

/**
 * Summary figures for the clients that match the current search and filters. Three plans, all reading
 * covering indexes: no filter → totals over recent events and open jobs minus archived clients; few
 * matching clients → seeks per client; many → scan recent events and open jobs and check their client.
 */
export async function clientMetrics(db: Kysely<DB>, q: ClientFilterQuery, at: { monthStart: string; thirtyDaysAgo: string }, limit = perClientLimit) {
  const conditions = await clientFilterConditions(db, q);
  const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;

  const unfiltered = isUnfiltered(q);
  let events: RawBuilder<{ n: number }>;
  let jobs: RawBuilder<{ currency: string | null; open_jobs: number; weighted: number | null }>;
  const jobColumns = sql`j.salary_currency AS currency, sum(j.status IN ('open', 'on_hold')) AS open_jobs, sum(j.weighted_fee_minor) AS weighted`;
  const statusCounts = { active: 0, paused: 0, inactive: 0 };
  let newThisMonth = 0;

  if (unfiltered) {
    const byStatus = await sql<{ status: string; n: number; new_this_month: number }>`
      SELECT c.status, count(*) AS n, sum(c.created_at >= ${at.monthStart}) AS new_this_month FROM clients c ${where} GROUP BY c.status`.execute(db);
    for (const row of byStatus.rows) {
      statusCounts[row.status as keyof typeof statusCounts] = Number(row.n);
      newThisMonth += Number(row.new_this_month);
    }
    // Everything minus what belongs to archived clients (few, through their own small index).
    const sign = q.includeArchived ? sql`0` : sql`1`;
    events = sql`SELECT
      (SELECT count(*) FROM events e INDEXED BY events_recent WHERE e.occurred_at >= ${at.thirtyDaysAgo} AND e.client_id IS NOT NULL AND e.deleted_at IS NULL)
      - ${sign} * (SELECT count(*) FROM clients x INDEXED BY clients_archived CROSS JOIN events e INDEXED BY events_client_time
          ON e.client_id = x.id AND e.occurred_at >= ${at.thirtyDaysAgo} AND e.client_id IS NOT NULL AND e.deleted_at IS NULL WHERE x.archived_at IS NOT NULL) AS n`;
    jobs = sql`SELECT currency, sum(open_jobs) AS open_jobs, sum(weighted) AS weighted FROM (
        SELECT ${jobColumns} FROM jobs j INDEXED BY jobs_forecast WHERE j.deleted_at IS NULL AND j.status IN ${openStatuses} GROUP BY j.salary_currency
        UNION ALL
        SELECT j.salary_currency, -sum(j.status IN ('open', 'on_hold')) * ${sign}, -sum(j.weighted_fee_minor) * ${sign}
        FROM clients x INDEXED BY clients_archived CROSS JOIN jobs j INDEXED BY jobs_forecast ON j.client_id = x.id AND j.deleted_at IS NULL AND j.status IN ${openStatuses}
        WHERE x.archived_at IS NOT NULL GROUP BY j.salary_currency
      ) GROUP BY currency`;
  } else {
    // Without a search the counts come from the facets index alone; they decide the plan below.
    const seqs: number[] = [];
    if (!q.search.trim()) {
      const byStatus = await sql<{ status: string; n: number; new_this_month: number }>`
        SELECT c.status, count(*) AS n, sum(c.created_at >= ${at.monthStart}) AS new_this_month FROM clients c ${where} GROUP BY c.status`.execute(db);
      for (const row of byStatus.rows) {
        statusCounts[row.status as keyof typeof statusCounts] = Number(row.n);
        newThisMonth += Number(row.new_this_month);
      }
    }
    const counted = statusCounts.active + statusCounts.paused + statusCounts.inactive;
    if (q.search.trim() || counted <= limit) {
      // One pass over the matching clients (the filter, and a search, are evaluated once), keeping their rowids.
      const matching = await sql<{ seq: number; status: string; is_new: number }>`
        SELECT c.seq, c.status, c.created_at >= ${at.monthStart} AS is_new FROM clients c ${where}`.execute(db);
      if (q.search.trim()) {
        for (const row of matching.rows) {
          statusCounts[row.status as keyof typeof statusCounts]++;
          newThisMonth += Number(row.is_new);
        }
      }
      for (const row of matching.rows) seqs.push(row.seq);
    }
    if (seqs.length <= limit && (q.search.trim() || counted <= limit)) {
      // CROSS JOIN fixes the loop order: the matching clients outside, one index seek each inside.
      const ids = sql`json_each(${JSON.stringify(seqs)}) m CROSS JOIN clients c ON c.seq = m.value`;
      events = sql`SELECT count(*) AS n FROM ${ids} CROSS JOIN events e INDEXED BY events_client_time
        ON e.client_id = c.id AND e.occurred_at >= ${at.thirtyDaysAgo} AND e.client_id IS NOT NULL AND e.deleted_at IS NULL`;
      jobs = sql`SELECT ${jobColumns} FROM ${ids} CROSS JOIN jobs j INDEXED BY jobs_forecast
        ON j.client_id = c.id AND j.deleted_at IS NULL AND j.status IN ${openStatuses} GROUP BY j.salary_currency`;
    } else {
      events = sql`SELECT count(*) AS n FROM events e INDEXED BY events_recent CROSS JOIN clients c ON c.id = e.client_id
        ${where} ${conditions.length ? sql`AND` : sql`WHERE`} e.occurred_at >= ${at.thirtyDaysAgo} AND e.client_id IS NOT NULL AND e.deleted_at IS NULL`;
      jobs = sql`SELECT ${jobColumns} FROM jobs j INDEXED BY jobs_forecast CROSS JOIN clients c ON c.id = j.client_id
        ${where} ${conditions.length ? sql`AND` : sql`WHERE`} j.deleted_at IS NULL AND j.status IN ${openStatuses} GROUP BY j.salary_currency`;
    }
  }
  const total = statusCounts.active + statusCounts.paused + statusCounts.inactive;
  const [eventRows, jobRows] = [await events.execute(db), await jobs.execute(db)];

  return {
    total,
    byStatus: statusCounts,
    newThisMonth,
    eventsLast30Days: Number(eventRows.rows[0]?.n ?? 0),
    openJobs: jobRows.rows.reduce((sum, r) => sum + Number(r.open_jobs), 0),
    forecast: jobRows.rows
      .filter((r) => r.currency && r.weighted !== null && Number(r.weighted) !== 0)
      .map((r) => ({ currency: r.currency!, amountMinor: Number(r.weighted) }))
      .sort((a, b) => b.amountMinor - a.amountMinor),
  };
}
