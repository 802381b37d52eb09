import { sql, type Kysely } from 'kysely';

// Frozen once landed. 0003's client_stats_insert recomputed a new client's aggregates from its jobs and
// events: a window-function query per client, ~50 µs each, a fifth of what a bulk import spent per row.
// A client row that is just being inserted has no postings or events in nearly every case (foreign keys
// point at clients.id, so they can only come first when a client is re-inserted with the id it had), so the
// row starts with the aggregates' zeros and each recomputation runs only when an index probe finds rows for
// it. The recomputations are 0003's own statements, so the figures stay exactly what they were.

/** 0003's aggregates of one client's postings, for `new.id`. */
const jobTotals = `SELECT
      (SELECT count(*) FROM jobs WHERE client_id = new.id AND deleted_at IS NULL AND status IN ('open', 'on_hold')),
      iif(n > 2, NULL, c1), iif(n > 2, 0, ifnull(a1, 0)), iif(n > 2, NULL, c2), iif(n > 2, 0, ifnull(a2, 0)), n > 2
    FROM (SELECT count(*) AS n, min(cur) AS c1, sum(iif(rn = 1, amt, 0)) AS a1, max(iif(rn = 2, cur, NULL)) AS c2, sum(iif(rn = 2, amt, 0)) AS a2
      FROM (SELECT cur, amt, row_number() OVER (ORDER BY cur) AS rn FROM (SELECT salary_currency AS cur, ifnull(sum(weighted_fee_minor), 0) AS amt FROM jobs
      WHERE client_id = new.id AND deleted_at IS NULL AND status IN ('draft', 'open', 'on_hold') AND salary_currency IS NOT NULL
      GROUP BY salary_currency)))`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    'DROP TRIGGER client_stats_insert',
    `CREATE TRIGGER client_stats_insert AFTER INSERT ON clients BEGIN
      INSERT OR REPLACE INTO client_stats (seq, status, area_id, owner_id, created_at, archived)
        VALUES (new.seq, new.status, new.area_id, new.owner_id, new.created_at, new.archived_at IS NOT NULL);
      -- The probes read jobs_client and events_client_time (whose partial-index conditions they repeat).
      UPDATE client_stats SET (open_jobs, fc1_currency, fc1_minor, fc2_currency, fc2_minor, fc_overflow) = (${jobTotals})
        WHERE seq = new.seq AND EXISTS (SELECT 1 FROM jobs WHERE client_id = new.id);
      UPDATE client_stats SET recent_events = (SELECT count(*) FROM events WHERE client_id = new.id AND client_id IS NOT NULL AND deleted_at IS NULL
          AND occurred_at >= (SELECT events_since FROM client_stats_window))
        WHERE seq = new.seq AND EXISTS (SELECT 1 FROM events WHERE client_id = new.id AND client_id IS NOT NULL AND deleted_at IS NULL);
    END`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
