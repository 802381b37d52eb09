import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../schema';
import { clientFilterConditions, type ClientFilterQuery } from './clients';

/** Below this many clients, per-client index seeks beat scanning recent events and open jobs. */
const perClientLimit = 30_000;
const openStatuses = sql`('draft', 'open', 'on_hold')`;
const jobColumns = sql`j.salary_currency AS currency, sum(j.status IN ('open', 'on_hold')) AS open_jobs, sum(j.weighted_fee_minor) AS weighted`;

interface Totals {
  events: number;
  jobs: Map<string, { openJobs: number; weighted: number }>;
}
type JobRow = { currency: string | null; open_jobs: number; weighted: number | null };

async function collect(db: Kysely<DB>, events: RawBuilder<{ n: number }>, jobs: RawBuilder<JobRow>): Promise<Totals> {
  const [e, j] = [await events.execute(db), await jobs.execute(db)];
  const map = new Map<string, { openJobs: number; weighted: number }>();
  for (const row of j.rows) map.set(row.currency ?? '', { openJobs: Number(row.open_jobs), weighted: Number(row.weighted ?? 0) });
  return { events: Number(e.rows[0]?.n ?? 0), jobs: map };
}

/** Every client in scope: totals over the covering indexes, minus what belongs to archived clients (few). */
function everything(db: Kysely<DB>, includeArchived: boolean, since: string) {
  const sign = includeArchived ? sql`0` : sql`1`;
  return collect(
    db,
    sql`SELECT
      (SELECT count(*) FROM events e INDEXED BY events_recent WHERE e.occurred_at >= ${since} AND e.client_id IS NOT NULL AND e.deleted_at IS NULL)
      - ${sign} * (SELECT count(*) FROM clients x INDEXED BY clients_archived CROSS JOIN events e INDEXED BY events_client_time
          ON e.client_id = x.id AND e.occurred_at >= ${since} AND e.client_id IS NOT NULL AND e.deleted_at IS NULL WHERE x.archived_at IS NOT NULL) AS n`,
    sql`SELECT currency, sum(open_jobs) AS open_jobs, sum(weighted) AS weighted FROM (
        SELECT ${jobColumns} FROM jobs j INDEXED BY jobs_forecast WHERE j.deleted_at IS NULL AND j.status IN ${openStatuses} GROUP BY j.salary_currency
        UNION ALL
        SELECT j.salary_currency, -sum(j.status IN ('open', 'on_hold')) * ${sign}, -sum(j.weighted_fee_minor) * ${sign}
        FROM clients x INDEXED BY clients_archived CROSS JOIN jobs j INDEXED BY jobs_forecast ON j.client_id = x.id AND j.deleted_at IS NULL AND j.status IN ${openStatuses}
        WHERE x.archived_at IS NOT NULL GROUP BY j.salary_currency
      ) GROUP BY currency`,
  );
}

/** A known set of clients (by rowid): one index seek per client; CROSS JOIN fixes that loop order. */
function perClient(db: Kysely<DB>, seqs: number[], since: string) {
  const ids = sql`json_each(${JSON.stringify(seqs)}) m CROSS JOIN clients c ON c.seq = m.value`;
  return collect(
    db,
    sql`SELECT count(*) AS n FROM ${ids} CROSS JOIN events e INDEXED BY events_client_time ON e.client_id = c.id AND e.occurred_at >= ${since} AND e.client_id IS NOT NULL AND e.deleted_at IS NULL`,
    sql`SELECT ${jobColumns} FROM ${ids} CROSS JOIN jobs j INDEXED BY jobs_forecast ON j.client_id = c.id AND j.deleted_at IS NULL AND j.status IN ${openStatuses} GROUP BY j.salary_currency`,
  );
}

/** Many matching clients: scan recent events and open jobs and check each one's client against the filter. */
function scanned(db: Kysely<DB>, where: RawBuilder<unknown>, since: string) {
  return collect(
    db,
    sql`SELECT count(*) AS n FROM events e INDEXED BY events_recent CROSS JOIN clients c ON c.id = e.client_id
      WHERE ${where} AND e.occurred_at >= ${since} AND e.client_id IS NOT NULL AND e.deleted_at IS NULL`,
    sql`SELECT ${jobColumns} FROM jobs j INDEXED BY jobs_forecast CROSS JOIN clients c ON c.id = j.client_id
      WHERE ${where} AND j.deleted_at IS NULL AND j.status IN ${openStatuses} GROUP BY j.salary_currency`,
  );
}

function minus(all: Totals, part: Totals): Totals {
  const jobs = new Map(all.jobs);
  for (const [currency, p] of part.jobs) {
    const a = jobs.get(currency) ?? { openJobs: 0, weighted: 0 };
    jobs.set(currency, { openJobs: a.openJobs - p.openJobs, weighted: a.weighted - p.weighted });
  }
  return { events: all.events - part.events, jobs };
}

async function statusCounts(db: Kysely<DB>, where: RawBuilder<unknown>, monthStart: string) {
  const rows = await sql<{ status: string; n: number; new_this_month: number }>`
    SELECT c.status, count(*) AS n, sum(c.created_at >= ${monthStart}) AS new_this_month FROM clients c WHERE ${where} GROUP BY c.status`.execute(db);
  const byStatus = { active: 0, paused: 0, inactive: 0 };
  let newThisMonth = 0;
  for (const row of rows.rows) {
    byStatus[row.status as keyof typeof byStatus] = Number(row.n);
    newThisMonth += Number(row.new_this_month);
  }
  return { byStatus, newThisMonth, total: byStatus.active + byStatus.paused + byStatus.inactive };
}

async function seqsWhere(db: Kysely<DB>, where: RawBuilder<unknown>) {
  return (await sql<{ seq: number }>`SELECT c.seq FROM clients c WHERE ${where}`.execute(db)).rows.map((r) => r.seq);
}

/**
 * Summary figures for the clients that match the current search and filters, from covering indexes, with
 * the plan chosen by how many clients match: none filtered → totals of everything; few → per-client seeks;
 * most → everything minus the few that do not match; in between → one scan of recent events and open jobs.
 */
export async function clientMetrics(db: Kysely<DB>, q: ClientFilterQuery, at: { monthStart: string; thirtyDaysAgo: string }, limit = perClientLimit) {
  const conditions = await clientFilterConditions(db, q);
  const scope = q.includeArchived ? sql<boolean>`1` : sql<boolean>`c.archived_at IS NULL`;
  // clientFilterConditions puts the archived condition first when it applies; the rest are the user's filters.
  const filters = q.includeArchived ? conditions : conditions.slice(1);
  const matching = sql`${scope}${filters.length ? sql` AND ${sql.join(filters, sql` AND `)}` : sql``}`;
  const since = at.thirtyDaysAgo;

  let totals: Totals;
  let counts: Awaited<ReturnType<typeof statusCounts>>;
  if (q.search.trim()) {
    // A search is evaluated once: one pass gives the counts and the matching clients' rowids.
    const rows = (await sql<{ seq: number; status: string; is_new: number }>`
      SELECT c.seq, c.status, c.created_at >= ${at.monthStart} AS is_new FROM clients c WHERE ${matching}`.execute(db)).rows;
    const byStatus = { active: 0, paused: 0, inactive: 0 };
    for (const row of rows) byStatus[row.status as keyof typeof byStatus]++;
    counts = { byStatus, newThisMonth: rows.reduce((n, r) => n + Number(r.is_new), 0), total: rows.length };
    totals = rows.length <= limit ? await perClient(db, rows.map((r) => r.seq), since) : await scanned(db, matching, since);
    return result(counts, totals);
  }
  counts = await statusCounts(db, matching, at.monthStart);
  if (!filters.length) {
    totals = await everything(db, q.includeArchived, since);
  } else if (counts.total <= limit) {
    totals = await perClient(db, await seqsWhere(db, matching), since);
  } else {
    const all = (await statusCounts(db, scope, at.monthStart)).total;
    if (all - counts.total <= limit) {
      const complement = sql`${scope} AND NOT (${sql.join(filters, sql` AND `)})`;
      totals = minus(await everything(db, q.includeArchived, since), await perClient(db, await seqsWhere(db, complement), since));
    } else {
      totals = await scanned(db, matching, since);
    }
  }

  return result(counts, totals);
}

function result(counts: { byStatus: { active: number; paused: number; inactive: number }; newThisMonth: number; total: number }, totals: Totals) {
  return {
    total: counts.total,
    byStatus: counts.byStatus,
    newThisMonth: counts.newThisMonth,
    eventsLast30Days: totals.events,
    openJobs: [...totals.jobs.values()].reduce((sum, j) => sum + j.openJobs, 0),
    forecast: [...totals.jobs.entries()]
      .filter(([currency, j]) => currency && j.weighted !== 0)
      .map(([currency, j]) => ({ currency, amountMinor: j.weighted }))
      .sort((a, b) => b.amountMinor - a.amountMinor),
  };
}
