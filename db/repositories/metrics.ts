import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../schema';
import { filterShare, likeTerm, trigramQuery, type ClientFilterQuery } from './clients';

// The summary metrics of the clients list read client_stats (migration 0003): one narrow row per client with
// its filter columns and its aggregates (open postings, events since the window start, weighted forecast in
// up to two currencies), kept right by triggers. Any filter is then one pass over matching rows of that
// table, instead of joining the matching clients to their jobs and events.

/** Below this estimated share of clients, an area filter seeks the facets index; otherwise one pass over the covering index. */
const seekShare = 0.1;
/** The events window start moves when it lags the requested one by more than this (the correction grows with it). */
const maxWindowLag = 6 * 3_600_000;

export type MetricsPlan = 'auto' | 'seek' | 'scan';

interface Totals {
  status: 'active' | 'paused' | 'inactive';
  cur1: string | null;
  cur2: string | null;
  n: number;
  new_n: number;
  open_jobs: number;
  events: number;
  amount1: number;
  amount2: number;
  overflow: number;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/** The filters (search aside) as conditions over `client_stats as s`. */
function filterConditions(q: ClientFilterQuery): RawBuilder<boolean>[] {
  const conditions: RawBuilder<boolean>[] = [];
  if (!q.includeArchived) conditions.push(sql`s.archived = 0`);
  if (q.statuses.length) conditions.push(sql`s.status IN (${sql.join(q.statuses)})`);
  if (q.areaIds.length) conditions.push(sql`s.area_id IN (${sql.join(q.areaIds)})`);
  if (q.ownerIds.length) conditions.push(sql`s.owner_id IN (${sql.join(q.ownerIds)})`);
  if (q.createdFrom) conditions.push(sql`s.created_at >= ${`${q.createdFrom}T00:00:00.000Z`}`);
  if (q.createdTo) conditions.push(sql`s.created_at < ${nextDay(q.createdTo)}`);
  return conditions;
}

const and = (conditions: RawBuilder<boolean>[]) => (conditions.length ? sql`${sql.join(conditions, sql` AND `)}` : sql`1`);

/**
 * Moves the events window start to `since` when it lags too far behind (or is ahead: the clock went back),
 * recounting only the clients with events between the old and the new start. A write inside a read, but a
 * small one (a few hours of events), and it keeps every later call's correction small.
 */
async function windowStart(trx: Kysely<DB>, since: string): Promise<string> {
  const current = (await sql<{ events_since: string }>`SELECT events_since FROM client_stats_window`.execute(trx)).rows[0]!.events_since;
  const lag = Date.parse(since) - Date.parse(current);
  if (lag >= 0 && lag <= maxWindowLag) return current;
  const [from, to] = since < current ? [since, current] : [current, since];
  await sql`UPDATE client_stats_window SET events_since = ${since}`.execute(trx);
  await sql`UPDATE client_stats SET recent_events = (
      SELECT count(*) FROM clients c CROSS JOIN events e ON e.client_id = c.id
      WHERE c.seq = client_stats.seq AND e.client_id IS NOT NULL AND e.deleted_at IS NULL AND e.occurred_at >= ${since})
    WHERE seq IN (SELECT c.seq FROM events e INDEXED BY events_recent CROSS JOIN clients c ON c.id = e.client_id
      WHERE e.occurred_at >= ${from} AND e.occurred_at < ${to} AND e.client_id IS NOT NULL AND e.deleted_at IS NULL)`.execute(trx);
  return since;
}

/**
 * Summary figures for the clients that match the current search and filters:
 * 1. one pass over the matching client_stats rows, grouped by status and forecast currencies: clients, new
 *    this month, open postings, events since the window start, forecast in the two currency slots;
 * 2. only when needed, two small corrections: the jobs of matching clients with three or more forecast
 *    currencies (0.4 % of clients), and the events between the window start and `thirtyDaysAgo` (a few
 *    hours' worth), subtracted, or added when the window starts later.
 * The search selects clients whose search_text holds every term: through the trigram index in the pass
 * (exact phrases), and as LIKE on the few rows of the corrections, which is the same test.
 */
export function clientMetrics(db: Kysely<DB>, q: ClientFilterQuery, at: { monthStart: string; thirtyDaysAgo: string }, plan: MetricsPlan = 'auto') {
  // One transaction: the window start, the pass and the corrections see the same rows (and no other request
  // moves the window in between).
  return db.transaction().execute((trx) => metricsIn(trx, q, at, plan));
}

async function metricsIn(db: Kysely<DB>, q: ClientFilterQuery, at: { monthStart: string; thirtyDaysAgo: string }, plan: MetricsPlan) {
  const since = at.thirtyDaysAgo;
  const start = await windowStart(db, since);
  const filters = filterConditions(q);
  const { terms, match, shortTerms } = trigramQuery(q.search);

  let source;
  let where = filters;
  if (match) {
    // Every match of the 3+ character terms drives the loop; 1–2 character terms are checked on those rows.
    source = shortTerms.length
      ? sql`clients_search CROSS JOIN clients c ON c.seq = clients_search.rowid CROSS JOIN client_stats s ON s.seq = c.seq`
      : sql`clients_search CROSS JOIN client_stats s ON s.seq = clients_search.rowid`;
    where = [sql`clients_search MATCH ${match}`, ...shortTerms.map(likeTerm), ...filters];
  } else if (terms.length) {
    // Only 1–2 character terms: no index can narrow them, every client's text is checked.
    source = q.includeArchived
      ? sql`clients c CROSS JOIN client_stats s ON s.seq = c.seq`
      : sql`clients c INDEXED BY clients_created_search CROSS JOIN client_stats s ON s.seq = c.seq`;
    where = [...(q.includeArchived ? [] : [sql<boolean>`c.archived_at IS NULL`]), ...terms.map(likeTerm), ...filters];
  } else if (plan === 'seek' || (plan === 'auto' && q.areaIds.length && filterShare(q) < seekShare)) {
    source = sql`client_stats s INDEXED BY client_stats_facets`;
    // The index leads with the status: name them all so an area filter alone still seeks.
    if (!q.statuses.length) where = [sql`s.status IN ('active', 'paused', 'inactive')`, ...filters];
  } else {
    source = sql`client_stats s INDEXED BY client_stats_scan`;
  }

  const totals = await sql<Totals>`SELECT s.status AS status, s.fc1_currency AS cur1, s.fc2_currency AS cur2, count(*) AS n,
      sum(s.created_at >= ${at.monthStart}) AS new_n, sum(s.open_jobs) AS open_jobs, sum(s.recent_events) AS events,
      sum(s.fc1_minor) AS amount1, sum(s.fc2_minor) AS amount2, sum(s.fc_overflow) AS overflow
    FROM ${source} WHERE ${and(where)} GROUP BY s.status, s.fc1_currency, s.fc2_currency`.execute(db);

  const byStatus = { active: 0, paused: 0, inactive: 0 };
  let newThisMonth = 0;
  let openJobs = 0;
  let events = 0;
  let overflow = 0;
  const forecast = new Map<string, number>();
  const add = (currency: string | null, amount: number | null) => {
    if (currency) forecast.set(currency, (forecast.get(currency) ?? 0) + Number(amount ?? 0));
  };
  for (const row of totals.rows) {
    byStatus[row.status] += Number(row.n);
    newThisMonth += Number(row.new_n);
    openJobs += Number(row.open_jobs);
    events += Number(row.events);
    overflow += Number(row.overflow);
    add(row.cur1, row.amount1);
    add(row.cur2, row.amount2);
  }

  // The corrections check the search as LIKE on the client row: few rows, and no second index lookup.
  const small = [...(terms.length ? terms.map(likeTerm) : []), ...filters];
  const parts = [];
  if (overflow) {
    parts.push(sql`SELECT j.salary_currency AS currency, sum(j.weighted_fee_minor) AS amount, NULL AS events
      FROM client_stats s INDEXED BY client_stats_overflow CROSS JOIN clients c ON c.seq = s.seq
        CROSS JOIN jobs j INDEXED BY jobs_forecast ON j.client_id = c.id AND j.deleted_at IS NULL AND j.status IN ('draft', 'open', 'on_hold')
      WHERE s.fc_overflow = 1 AND j.salary_currency IS NOT NULL AND ${and(small)} GROUP BY j.salary_currency`);
  }
  if (since !== start) {
    const [lo, hi, sign] = since > start ? [start, since, -1] : [since, start, 1];
    parts.push(sql`SELECT NULL, NULL, ${sign} * count(*)
      FROM events e INDEXED BY events_recent CROSS JOIN clients c ON c.id = e.client_id CROSS JOIN client_stats s ON s.seq = c.seq
      WHERE e.occurred_at >= ${lo} AND e.occurred_at < ${hi} AND e.client_id IS NOT NULL AND e.deleted_at IS NULL AND ${and(small)}`);
  }
  if (parts.length) {
    const corrections = await sql<{ currency: string | null; amount: number | null; events: number | null }>`${sql.join(parts, sql` UNION ALL `)}`.execute(db);
    for (const row of corrections.rows) {
      add(row.currency, row.amount);
      events += Number(row.events ?? 0);
    }
  }

  return {
    total: byStatus.active + byStatus.paused + byStatus.inactive,
    byStatus,
    newThisMonth,
    eventsLast30Days: events,
    openJobs,
    forecast: [...forecast.entries()]
      .filter(([, amount]) => amount !== 0)
      .map(([currency, amountMinor]) => ({ currency, amountMinor }))
      .sort((a, b) => b.amountMinor - a.amountMinor),
  };
}

/**
 * Rebuilds client_stats from the base tables in one pass per table, as migration 0003 backfills it: for bulk
 * loads (the demo-data generator) that drop the per-row triggers while they write.
 */
export const rebuildClientStatsSql = [
  `DELETE FROM client_stats`,
  `CREATE TEMP TABLE stats_forecast AS
    SELECT client_id, cur, amt, row_number() OVER (PARTITION BY client_id ORDER BY cur) AS rn FROM (
      SELECT client_id, salary_currency AS cur, ifnull(sum(weighted_fee_minor), 0) AS amt FROM jobs
      WHERE deleted_at IS NULL AND status IN ('draft', 'open', 'on_hold') AND salary_currency IS NOT NULL
      GROUP BY client_id, salary_currency)`,
  `CREATE TEMP TABLE stats_jobs AS
    SELECT client_id, count(*) AS n, min(cur) AS c1, sum(iif(rn = 1, amt, 0)) AS a1, max(iif(rn = 2, cur, NULL)) AS c2, sum(iif(rn = 2, amt, 0)) AS a2
    FROM temp.stats_forecast GROUP BY client_id`,
  `CREATE TEMP TABLE stats_open AS
    SELECT client_id, count(*) AS n FROM jobs WHERE deleted_at IS NULL AND status IN ('open', 'on_hold') GROUP BY client_id`,
  `CREATE TEMP TABLE stats_events AS
    SELECT client_id, count(*) AS n FROM events
    WHERE client_id IS NOT NULL AND deleted_at IS NULL AND occurred_at >= (SELECT events_since FROM client_stats_window)
    GROUP BY client_id`,
  `CREATE INDEX temp.stats_jobs_client ON stats_jobs (client_id)`,
  `CREATE INDEX temp.stats_open_client ON stats_open (client_id)`,
  `CREATE INDEX temp.stats_events_client ON stats_events (client_id)`,
  `INSERT INTO client_stats (seq, status, area_id, owner_id, created_at, archived, open_jobs, recent_events, fc1_currency, fc1_minor, fc2_currency, fc2_minor, fc_overflow)
    SELECT c.seq, c.status, c.area_id, c.owner_id, c.created_at, c.archived_at IS NOT NULL, ifnull(o.n, 0), ifnull(e.n, 0),
      iif(f.n > 2, NULL, f.c1), iif(f.n > 2, 0, ifnull(f.a1, 0)), iif(f.n > 2, NULL, f.c2), iif(f.n > 2, 0, ifnull(f.a2, 0)), ifnull(f.n > 2, 0)
    FROM clients c
    LEFT JOIN temp.stats_open o ON o.client_id = c.id
    LEFT JOIN temp.stats_events e ON e.client_id = c.id
    LEFT JOIN temp.stats_jobs f ON f.client_id = c.id`,
  `DROP TABLE temp.stats_forecast`,
  `DROP TABLE temp.stats_jobs`,
  `DROP TABLE temp.stats_open`,
  `DROP TABLE temp.stats_events`,
];
