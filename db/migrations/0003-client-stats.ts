import { sql, type Kysely } from 'kysely';

// Frozen once landed. What the clients list and its summary metrics read per client, kept ready so neither
// has to visit jobs and events at query time (the targets of DESIGN.md: list ≤ 10 ms, metrics ≤ 50 ms for
// any filter over 100 000 clients, 1 000 000 events and 200 000 jobs):
//
// - clients_search: one trigram index over clients.search_text (name, email, code and the contacts' names
//   and emails, folded). It matches exactly what the row-by-row check `search_text LIKE '%term%'` matches, so
//   both search plans give the same answer, and one lookup replaces the two per-table lookups of 0001.
// - client_stats: one narrow row per client with the filter columns (copied from clients) and the aggregates
//   the metrics sum: open postings, events since the window start, and the weighted forecast in up to two
//   currencies (a client with more is flagged and summed from its jobs at query time). Summing over covering
//   indexes of this table is what keeps "status active" (75 % of the clients) within budget; joining 75 000
//   clients to their jobs and events took 230 ms.
// - client_stats_window: the start of the events window that recent_events counts from. "Last 30 days" moves
//   with the clock, so metrics correct for the few hours since this instant and move it forward now and then
//   (db/repositories/metrics.ts).
//
// Every aggregate is recomputed from the base rows of the one client that changed, inside the writing
// statement (triggers), so imports, restores and seeds that write with raw statements stay right too.

/** The aggregates of one client's job postings; `client` is an SQL expression for the client's id. */
function jobTotals(client: string) {
  // Forecast currencies in order: the first two go to the two slots; three or more → all summed from jobs.
  const forecast = `SELECT salary_currency AS cur, ifnull(sum(weighted_fee_minor), 0) AS amt FROM jobs
      WHERE client_id = ${client} AND deleted_at IS NULL AND status IN ('draft', 'open', 'on_hold') AND salary_currency IS NOT NULL
      GROUP BY salary_currency`;
  return `SELECT
      (SELECT count(*) FROM jobs WHERE client_id = ${client} AND deleted_at IS NULL AND status IN ('open', 'on_hold')),
      iif(n > 2, NULL, c1), iif(n > 2, 0, ifnull(a1, 0)), iif(n > 2, NULL, c2), iif(n > 2, 0, ifnull(a2, 0)), n > 2
    FROM (SELECT count(*) AS n, min(cur) AS c1, sum(iif(rn = 1, amt, 0)) AS a1, max(iif(rn = 2, cur, NULL)) AS c2, sum(iif(rn = 2, amt, 0)) AS a2
      FROM (SELECT cur, amt, row_number() OVER (ORDER BY cur) AS rn FROM (${forecast})))`;
}

/** Live events of one client since the window start. */
function recentEvents(client: string) {
  return `(SELECT count(*) FROM events WHERE client_id = ${client} AND client_id IS NOT NULL AND deleted_at IS NULL
    AND occurred_at >= (SELECT events_since FROM client_stats_window))`;
}

const statsOf = (client: string) => `(SELECT seq FROM clients WHERE id = ${client})`;
const refreshJobs = (client: string) =>
  `UPDATE client_stats SET (open_jobs, fc1_currency, fc1_minor, fc2_currency, fc2_minor, fc_overflow) = (${jobTotals(client)}) WHERE seq = ${statsOf(client)};`;
const refreshEvents = (client: string) => `UPDATE client_stats SET recent_events = ${recentEvents(client)} WHERE seq = ${statsOf(client)};`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE VIRTUAL TABLE clients_search USING fts5(
      search_text,
      content='clients', content_rowid='seq',
      -- search_text is already folded (lower case, no accents) and so is every query term: exact substrings.
      tokenize='trigram case_sensitive 1'
    )`,
    `CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
      INSERT INTO clients_search (rowid, search_text) VALUES (new.seq, new.search_text);
    END`,
    `CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
      INSERT INTO clients_search (clients_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
    END`,
    `CREATE TRIGGER clients_search_update AFTER UPDATE OF search_text ON clients BEGIN
      INSERT INTO clients_search (clients_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
      INSERT INTO clients_search (rowid, search_text) VALUES (new.seq, new.search_text);
    END`,
    `INSERT INTO clients_search (clients_search) VALUES ('rebuild')`,
    // A common term is checked row by row while the list walks its sort index; for the default order (newest
    // first) this index holds the text too, so the walk reads index pages instead of whole client rows (~30 %
    // faster). Other orders read the rows.
    `CREATE INDEX clients_created_search ON clients (created_at, id, search_text) WHERE archived_at IS NULL`,

    `CREATE TABLE client_stats_window (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      events_since TEXT NOT NULL
    )`,
    `INSERT INTO client_stats_window (id, events_since) VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-30 days'))`,
    `CREATE TABLE client_stats (
      seq INTEGER PRIMARY KEY, -- clients.seq
      status TEXT NOT NULL,
      area_id TEXT NOT NULL,
      owner_id TEXT,
      created_at TEXT NOT NULL,
      archived INTEGER NOT NULL,
      -- Postings open or on hold (the list's column and the metrics' "open jobs").
      open_jobs INTEGER NOT NULL DEFAULT 0,
      -- Live events since client_stats_window.events_since.
      recent_events INTEGER NOT NULL DEFAULT 0,
      -- Weighted forecast of draft, open and on-hold postings per currency, in currency order.
      fc1_currency TEXT,
      fc1_minor INTEGER NOT NULL DEFAULT 0,
      fc2_currency TEXT,
      fc2_minor INTEGER NOT NULL DEFAULT 0,
      -- Three or more forecast currencies: the slots stay empty and the metrics sum this client's jobs.
      fc_overflow INTEGER NOT NULL DEFAULT 0
    )`,
    // Backfill in one pass per table (the per-client trigger statements would take seconds on a big file).
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

    // Broad filters: one pass over this index, grouped in its order (no sort), never touching the table.
    `CREATE INDEX client_stats_scan ON client_stats (status, fc1_currency, fc2_currency, archived, area_id, owner_id, created_at,
      open_jobs, recent_events, fc1_minor, fc2_minor, fc_overflow)`,
    // Narrow area (and owner) filters: seek, then read the few rows.
    `CREATE INDEX client_stats_facets ON client_stats (status, area_id, owner_id, created_at)`,
    // The few clients with three or more forecast currencies (0.4 % of the demo data).
    `CREATE INDEX client_stats_overflow ON client_stats (seq) WHERE fc_overflow = 1`,

    `CREATE TRIGGER client_stats_insert AFTER INSERT ON clients BEGIN
      INSERT OR REPLACE INTO client_stats (seq, status, area_id, owner_id, created_at, archived)
        VALUES (new.seq, new.status, new.area_id, new.owner_id, new.created_at, new.archived_at IS NOT NULL);
      ${refreshJobs('new.id')}
      ${refreshEvents('new.id')}
    END`,
    `CREATE TRIGGER client_stats_update AFTER UPDATE OF status, area_id, owner_id, created_at, archived_at ON clients BEGIN
      UPDATE client_stats SET status = new.status, area_id = new.area_id, owner_id = new.owner_id, created_at = new.created_at,
        archived = new.archived_at IS NOT NULL WHERE seq = new.seq;
    END`,
    `CREATE TRIGGER client_stats_delete AFTER DELETE ON clients BEGIN
      DELETE FROM client_stats WHERE seq = old.seq;
    END`,
    `CREATE TRIGGER client_stats_job_insert AFTER INSERT ON jobs BEGIN
      ${refreshJobs('new.client_id')}
    END`,
    `CREATE TRIGGER client_stats_job_update AFTER UPDATE OF client_id, status, deleted_at, salary_currency, salary_min_minor, salary_max_minor,
      salary_period, fee_type, fee_percent, fee_fixed_minor, openings, probability ON jobs BEGIN
      ${refreshJobs('old.client_id')}
      ${refreshJobs('new.client_id')}
    END`,
    `CREATE TRIGGER client_stats_job_delete AFTER DELETE ON jobs BEGIN
      ${refreshJobs('old.client_id')}
    END`,
    `CREATE TRIGGER client_stats_event_insert AFTER INSERT ON events WHEN new.client_id IS NOT NULL BEGIN
      ${refreshEvents('new.client_id')}
    END`,
    `CREATE TRIGGER client_stats_event_update AFTER UPDATE OF client_id, occurred_at, deleted_at ON events BEGIN
      ${refreshEvents('old.client_id')}
      ${refreshEvents('new.client_id')}
    END`,
    `CREATE TRIGGER client_stats_event_delete AFTER DELETE ON events WHEN old.client_id IS NOT NULL BEGIN
      ${refreshEvents('old.client_id')}
    END`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
