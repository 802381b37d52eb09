import { sql, type Kysely } from 'kysely';

// Frozen once landed. Candidates and the pipeline of the clients' job postings (contract/candidates.ts,
// contract/pipeline.ts), five synced tables written through db/sync like every other:
//
// - pipeline_stages: the editable list of stages. Built-in stages get the same id on every laptop
//   (`stage-<key>`, created by db/reference.ts like the built-in areas); `kind` says what a stage means (on the
//   way, placed, rejected, withdrawn).
// - candidates: people, with the keys the same-person rule compares (name, email, phone, employer) and the
//   folded text the list searches, all derived from the row's own fields when it is written (db/sync/entities.ts),
//   so a pulled change derives them the same way. candidates_search is the trigram index of that text, as
//   clients_search is for clients, and candidates_created_search holds the text beside the default order for the
//   row-by-row plan of common terms (db/repositories/candidates.ts) — the clients list's design, at 200 000 rows.
// - candidate_documents: CVs and other files, content-addressed in the same store as event documents.
// - applications: a candidate on a posting, in a stage; who moved it and when is its change log (stage_id's
//   changes), the row keeps the last move for the cards.
// - placements: a placed application's start date, agreed salary, the posting's terms at that moment, the fee
//   they gave and the guarantee's end; a departure inside the guarantee records the refund or replacement.
//
// No unique index on (candidate, posting): two laptops may apply the same candidate offline, and a pulled change
// must never fail on a constraint (db/sync/pull.ts); the app refuses a second live application itself.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE pipeline_stages (
      id TEXT PRIMARY KEY,
      key TEXT UNIQUE,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('active', 'placed', 'rejected', 'withdrawn')),
      sort_order INTEGER NOT NULL DEFAULT 0,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      created_at TEXT NOT NULL
    )`,

    `CREATE TABLE candidates (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      code TEXT NOT NULL,
      full_name TEXT NOT NULL,
      email TEXT,
      phone TEXT,
      location TEXT,
      current_title TEXT,
      current_company TEXT,
      source TEXT,
      -- JSON array of tag texts.
      tags TEXT NOT NULL DEFAULT '[]',
      notes TEXT,
      owner_id TEXT REFERENCES users(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT,
      version INTEGER NOT NULL DEFAULT 1,
      name_key TEXT NOT NULL,
      email_key TEXT,
      phone_key TEXT,
      company_key TEXT,
      -- Name, email, phone digits, code, title, employer, location and tags (as #tag#), folded.
      search_text TEXT NOT NULL DEFAULT ''
    )`,
    `CREATE INDEX candidates_code ON candidates (code)`,
    `CREATE INDEX candidates_created ON candidates (created_at, id)`,
    `CREATE INDEX candidates_created_search ON candidates (created_at, id, search_text) WHERE deleted_at IS NULL`,
    `CREATE INDEX candidates_name ON candidates (full_name COLLATE NOCASE, id)`,
    `CREATE INDEX candidates_email_key ON candidates (email_key) WHERE email_key IS NOT NULL`,
    `CREATE INDEX candidates_phone_key ON candidates (phone_key) WHERE phone_key IS NOT NULL`,
    `CREATE INDEX candidates_company_key ON candidates (company_key) WHERE company_key IS NOT NULL`,
    `CREATE INDEX candidates_source ON candidates (source) WHERE deleted_at IS NULL`,
    `CREATE VIRTUAL TABLE candidates_search USING fts5(
      search_text,
      content='candidates', content_rowid='seq',
      tokenize='trigram case_sensitive 1'
    )`,
    `CREATE TRIGGER candidates_search_insert AFTER INSERT ON candidates BEGIN
      INSERT INTO candidates_search (rowid, search_text) VALUES (new.seq, new.search_text);
    END`,
    `CREATE TRIGGER candidates_search_delete AFTER DELETE ON candidates BEGIN
      INSERT INTO candidates_search (candidates_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
    END`,
    `CREATE TRIGGER candidates_search_update AFTER UPDATE OF search_text ON candidates BEGIN
      INSERT INTO candidates_search (candidates_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
      INSERT INTO candidates_search (rowid, search_text) VALUES (new.seq, new.search_text);
    END`,

    `CREATE TABLE candidate_documents (
      id TEXT PRIMARY KEY,
      candidate_id TEXT NOT NULL REFERENCES candidates(id),
      kind TEXT NOT NULL CHECK (kind IN ('cv', 'other')),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      file_name TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
      created_at TEXT NOT NULL,
      deleted_at TEXT
    )`,
    `CREATE INDEX candidate_documents_candidate ON candidate_documents (candidate_id)`,
    `CREATE INDEX candidate_documents_sha ON candidate_documents (sha256)`,

    `CREATE TABLE applications (
      id TEXT PRIMARY KEY,
      candidate_id TEXT NOT NULL REFERENCES candidates(id),
      job_id TEXT NOT NULL REFERENCES jobs(id),
      stage_id TEXT NOT NULL REFERENCES pipeline_stages(id),
      stage_changed_at TEXT NOT NULL,
      stage_changed_by TEXT REFERENCES users(id),
      notes TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT,
      version INTEGER NOT NULL DEFAULT 1
    )`,
    // A posting's pipeline counted by stage from the index alone; a candidate's applications.
    `CREATE INDEX applications_job ON applications (job_id, stage_id) WHERE deleted_at IS NULL`,
    `CREATE INDEX applications_candidate ON applications (candidate_id) WHERE deleted_at IS NULL`,

    `CREATE TABLE placements (
      id TEXT PRIMARY KEY,
      application_id TEXT NOT NULL REFERENCES applications(id),
      candidate_id TEXT NOT NULL REFERENCES candidates(id),
      job_id TEXT NOT NULL REFERENCES jobs(id),
      start_date TEXT NOT NULL,
      salary_minor INTEGER NOT NULL CHECK (salary_minor >= 0),
      salary_currency TEXT NOT NULL CHECK (length(salary_currency) = 3),
      salary_period TEXT NOT NULL CHECK (salary_period IN ('year', 'month', 'hour')),
      fee_type TEXT CHECK (fee_type IS NULL OR fee_type IN ('percentage', 'fixed', 'retainer')),
      fee_percent REAL,
      fee_fixed_minor INTEGER,
      retainer_instalments INTEGER,
      annual_salary_minor INTEGER NOT NULL,
      fee_minor INTEGER NOT NULL CHECK (fee_minor >= 0),
      guarantee_days INTEGER,
      guarantee_policy TEXT CHECK (guarantee_policy IS NULL OR guarantee_policy IN ('refund', 'replacement')),
      pro_rata_days INTEGER,
      guarantee_end_date TEXT,
      replaces_id TEXT REFERENCES placements(id),
      left_on TEXT,
      settlement TEXT CHECK (settlement IS NULL OR settlement IN ('none', 'refund', 'replacement')),
      refund_minor INTEGER NOT NULL DEFAULT 0 CHECK (refund_minor >= 0),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT,
      version INTEGER NOT NULL DEFAULT 1
    )`,
    // Earned per start month and currency, from the index alone (the dashboard).
    `CREATE INDEX placements_earned ON placements (start_date, salary_currency, fee_minor, refund_minor) WHERE deleted_at IS NULL`,
    // Guarantees still running, by their end (the dashboard's "Guarantees ending").
    `CREATE INDEX placements_guarantee ON placements (guarantee_end_date) WHERE deleted_at IS NULL AND left_on IS NULL AND guarantee_end_date IS NOT NULL`,
    `CREATE INDEX placements_application ON placements (application_id) WHERE deleted_at IS NULL`,
    `CREATE INDEX placements_job ON placements (job_id) WHERE deleted_at IS NULL`,
    `CREATE INDEX placements_replaces ON placements (replaces_id) WHERE replaces_id IS NOT NULL AND deleted_at IS NULL`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
