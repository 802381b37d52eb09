import { sql, type Kysely } from 'kysely';

// Frozen once landed. The dashboard read every event of the last twelve months (~400 000 of the DESIGN.md
// dataset: 0.45 s), every live posting through an index without deleted_at (0.5 s) and every client through
// a table scan joined to areas (0.7 s): about 2 s before the page showed anything.
//
// - event_month_counts: live client events per month and type, kept by triggers inside every writing
//   statement (as client_stats in 0003), so the chart reads at most 12 × 9 rows.
// - jobs_live replaces 0001's jobs_status_close: live postings by status and close date, with every column the
//   forecast formula and the Jobs page totals read (currency, fee terms, salary, openings, owner), so counting
//   by status, the forecast per close month and the totals read one covering index instead of 200 000 table
//   rows (0.4–1 s). Every query of postings asks for live ones (deleted_at IS NULL), so the partial index
//   serves all of them; while both existed, analysed statistics made the planner pick the older one.
export async function up(db: Kysely<unknown>): Promise<void> {
  const counted = (row: 'new' | 'old') => `${row}.client_id IS NOT NULL AND ${row}.deleted_at IS NULL`;
  const statements = [
    `CREATE TABLE event_month_counts (
      month TEXT NOT NULL, -- YYYY-MM of occurred_at (UTC)
      type TEXT NOT NULL,
      n INTEGER NOT NULL,
      PRIMARY KEY (month, type)
    ) WITHOUT ROWID`,
    `INSERT INTO event_month_counts (month, type, n)
      SELECT substr(occurred_at, 1, 7), type, count(*) FROM events WHERE client_id IS NOT NULL AND deleted_at IS NULL GROUP BY 1, 2`,
    `CREATE TRIGGER event_month_counts_insert AFTER INSERT ON events WHEN ${counted('new')} BEGIN
      INSERT INTO event_month_counts (month, type, n) VALUES (substr(new.occurred_at, 1, 7), new.type, 1)
        ON CONFLICT (month, type) DO UPDATE SET n = n + 1;
    END`,
    `CREATE TRIGGER event_month_counts_delete AFTER DELETE ON events WHEN ${counted('old')} BEGIN
      UPDATE event_month_counts SET n = n - 1 WHERE month = substr(old.occurred_at, 1, 7) AND type = old.type;
    END`,
    `CREATE TRIGGER event_month_counts_update AFTER UPDATE OF client_id, deleted_at, occurred_at, type ON events BEGIN
      UPDATE event_month_counts SET n = n - 1
        WHERE ${counted('old')} AND month = substr(old.occurred_at, 1, 7) AND type = old.type;
      INSERT INTO event_month_counts (month, type, n) SELECT substr(new.occurred_at, 1, 7), new.type, 1 WHERE ${counted('new')}
        ON CONFLICT (month, type) DO UPDATE SET n = n + 1;
    END`,
    `DROP INDEX jobs_status_close`,
    `CREATE INDEX jobs_live ON jobs (status, expected_close_date, salary_currency, weighted_fee_minor, fee_type, fee_percent, fee_fixed_minor,
      salary_min_minor, salary_max_minor, salary_period, openings, owner_id, client_id) WHERE deleted_at IS NULL`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
