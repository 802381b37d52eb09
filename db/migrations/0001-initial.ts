import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go in a new numbered migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE users (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      email TEXT,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    sql`CREATE TABLE areas (
      id TEXT PRIMARY KEY,
      key TEXT UNIQUE,
      name TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      sort_order INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL
    )`,
    sql`CREATE TABLE clients (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      code TEXT NOT NULL UNIQUE,
      company_name TEXT NOT NULL,
      email TEXT NOT NULL,
      area_id TEXT NOT NULL REFERENCES areas(id),
      phone TEXT,
      website TEXT,
      comments TEXT,
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'inactive')),
      owner_id TEXT REFERENCES users(id),
      name_key TEXT NOT NULL,
      email_key TEXT NOT NULL,
      domain_key TEXT,
      default_fee_percent REAL CHECK (default_fee_percent IS NULL OR (default_fee_percent >= 0 AND default_fee_percent <= 100)),
      default_guarantee_days INTEGER CHECK (default_guarantee_days IS NULL OR default_guarantee_days >= 0),
      default_payment_terms_days INTEGER CHECK (default_payment_terms_days IS NULL OR default_payment_terms_days >= 0),
      lead_id TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      archived_at TEXT,
      last_activity_at TEXT,
      version INTEGER NOT NULL DEFAULT 1,
      -- Name, email, code and contacts' names and emails, lower-cased without accents: the row-by-row
      -- search check when a term is too common for the trigram index to be the faster path.
      search_text TEXT NOT NULL DEFAULT ''
    )`,
    sql`CREATE INDEX clients_created ON clients (created_at, id)`,
    sql`CREATE INDEX clients_name ON clients (company_name COLLATE NOCASE, id)`,
    sql`CREATE INDEX clients_activity ON clients (ifnull(last_activity_at, ''), id)`,
    // Covers the summary metrics' counts by status over any status/area/owner/date filter without the table.
    sql`CREATE INDEX clients_facets ON clients (status, area_id, owner_id, created_at) WHERE archived_at IS NULL`,
    sql`CREATE INDEX clients_name_key ON clients (name_key)`,
    sql`CREATE INDEX clients_email_key ON clients (email_key)`,
    sql`CREATE INDEX clients_domain_key ON clients (domain_key) WHERE domain_key IS NOT NULL`,
    // One client per lead, enforced by the database: a retried or doubled "Won Deal" cannot create a second.
    sql`CREATE UNIQUE INDEX clients_lead ON clients (lead_id) WHERE lead_id IS NOT NULL`,
    sql`CREATE INDEX clients_archived ON clients (id) WHERE archived_at IS NOT NULL`,

    // Substring, accent-insensitive search over name, email and code (trigram needs 3+ characters).
    sql`CREATE VIRTUAL TABLE clients_fts USING fts5(
      company_name, email, code,
      content='clients', content_rowid='seq',
      tokenize='trigram remove_diacritics 1'
    )`,
    sql`CREATE TRIGGER clients_fts_insert AFTER INSERT ON clients BEGIN
      INSERT INTO clients_fts (rowid, company_name, email, code) VALUES (new.seq, new.company_name, new.email, new.code);
    END`,
    sql`CREATE TRIGGER clients_fts_delete AFTER DELETE ON clients BEGIN
      INSERT INTO clients_fts (clients_fts, rowid, company_name, email, code) VALUES ('delete', old.seq, old.company_name, old.email, old.code);
    END`,
    sql`CREATE TRIGGER clients_fts_update AFTER UPDATE OF company_name, email, code ON clients BEGIN
      INSERT INTO clients_fts (clients_fts, rowid, company_name, email, code) VALUES ('delete', old.seq, old.company_name, old.email, old.code);
      INSERT INTO clients_fts (rowid, company_name, email, code) VALUES (new.seq, new.company_name, new.email, new.code);
    END`,

    sql`CREATE TABLE client_contacts (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      client_id TEXT NOT NULL REFERENCES clients(id),
      name TEXT NOT NULL,
      role TEXT,
      email TEXT,
      email_key TEXT,
      phone TEXT,
      is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
      notes TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    )`,
    sql`CREATE INDEX client_contacts_client ON client_contacts (client_id, is_primary DESC, name)`,
    sql`CREATE INDEX client_contacts_email_key ON client_contacts (email_key) WHERE email_key IS NOT NULL`,
    // Search finds a client by a contact's name or email too.
    sql`CREATE VIRTUAL TABLE contacts_fts USING fts5(
      name, email,
      content='client_contacts', content_rowid='seq',
      tokenize='trigram remove_diacritics 1'
    )`,
    sql`CREATE TRIGGER contacts_fts_insert AFTER INSERT ON client_contacts BEGIN
      INSERT INTO contacts_fts (rowid, name, email) VALUES (new.seq, new.name, new.email);
    END`,
    sql`CREATE TRIGGER contacts_fts_delete AFTER DELETE ON client_contacts BEGIN
      INSERT INTO contacts_fts (contacts_fts, rowid, name, email) VALUES ('delete', old.seq, old.name, old.email);
    END`,
    sql`CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name, email ON client_contacts BEGIN
      INSERT INTO contacts_fts (contacts_fts, rowid, name, email) VALUES ('delete', old.seq, old.name, old.email);
      INSERT INTO contacts_fts (rowid, name, email) VALUES (new.seq, new.name, new.email);
    END`,

    sql`CREATE TABLE leads (
      id TEXT PRIMARY KEY,
      company_name TEXT NOT NULL,
      contact_name TEXT,
      email TEXT,
      phone TEXT,
      area_id TEXT REFERENCES areas(id),
      source TEXT,
      stage TEXT NOT NULL DEFAULT 'new' CHECK (stage IN ('new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost')),
      owner_id TEXT REFERENCES users(id),
      expected_value_minor INTEGER,
      expected_value_currency TEXT,
      lost_reason TEXT,
      client_id TEXT REFERENCES clients(id),
      -- Won, but resembling existing clients: waits in the "To review" queue (JSON list of candidate ids).
      review_candidates TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    )`,
    sql`CREATE INDEX leads_created ON leads (created_at, id)`,
    sql`CREATE INDEX leads_client ON leads (client_id) WHERE client_id IS NOT NULL`,

    sql`CREATE TABLE events (
      id TEXT PRIMARY KEY,
      client_id TEXT REFERENCES clients(id),
      lead_id TEXT REFERENCES leads(id),
      type TEXT NOT NULL CHECK (type IN ('meeting', 'call', 'email', 'proposal', 'satisfaction_survey', 'note', 'won_deal', 'lost_deal', 'other')),
      title TEXT NOT NULL,
      notes TEXT,
      occurred_at TEXT NOT NULL,
      score INTEGER CHECK (score IS NULL OR (score BETWEEN 0 AND 10)),
      amount_minor INTEGER,
      amount_currency TEXT,
      proposal_state TEXT CHECK (proposal_state IS NULL OR proposal_state IN ('sent', 'accepted', 'rejected')),
      created_by TEXT REFERENCES users(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT,
      CHECK ((client_id IS NULL) <> (lead_id IS NULL))
    )`,
    sql`CREATE INDEX events_client_time ON events (client_id, occurred_at DESC, id) WHERE client_id IS NOT NULL AND deleted_at IS NULL`,
    sql`CREATE INDEX events_lead_time ON events (lead_id, occurred_at DESC, id) WHERE lead_id IS NOT NULL`,
    // Recent events per period and type (metrics, dashboard) read from the index alone.
    sql`CREATE INDEX events_recent ON events (occurred_at, client_id, type) WHERE client_id IS NOT NULL AND deleted_at IS NULL`,
    // The list sorts by last activity: kept on the client row rather than computed per query.
    sql`CREATE TRIGGER events_last_activity AFTER INSERT ON events WHEN new.client_id IS NOT NULL AND new.deleted_at IS NULL BEGIN
      UPDATE clients SET last_activity_at = new.occurred_at
      WHERE id = new.client_id AND (last_activity_at IS NULL OR last_activity_at < new.occurred_at);
    END`,

    sql`CREATE TABLE event_owners (
      event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users(id),
      PRIMARY KEY (event_id, user_id)
    ) WITHOUT ROWID`,
    sql`CREATE INDEX event_owners_user ON event_owners (user_id)`,

    sql`CREATE TABLE attachments (
      id TEXT PRIMARY KEY,
      event_id TEXT NOT NULL REFERENCES events(id),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      file_name TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
      created_at TEXT NOT NULL,
      deleted_at TEXT
    )`,
    sql`CREATE INDEX attachments_event ON attachments (event_id)`,
    sql`CREATE INDEX attachments_sha ON attachments (sha256)`,

    sql`CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      client_id TEXT NOT NULL REFERENCES clients(id),
      code TEXT NOT NULL UNIQUE,
      title TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'on_hold', 'filled', 'cancelled')),
      openings INTEGER NOT NULL DEFAULT 1 CHECK (openings >= 1),
      location TEXT,
      work_mode TEXT CHECK (work_mode IS NULL OR work_mode IN ('onsite', 'hybrid', 'remote')),
      employment_type TEXT CHECK (employment_type IS NULL OR employment_type IN ('full_time', 'part_time', 'contract', 'temporary', 'internship')),
      salary_min_minor INTEGER CHECK (salary_min_minor IS NULL OR salary_min_minor >= 0),
      salary_max_minor INTEGER CHECK (salary_max_minor IS NULL OR salary_max_minor >= 0),
      salary_currency TEXT CHECK (salary_currency IS NULL OR length(salary_currency) = 3),
      salary_period TEXT CHECK (salary_period IS NULL OR salary_period IN ('year', 'month', 'hour')),
      fee_type TEXT CHECK (fee_type IS NULL OR fee_type IN ('percentage', 'fixed', 'retainer')),
      fee_percent REAL CHECK (fee_percent IS NULL OR (fee_percent >= 0 AND fee_percent <= 100)),
      fee_fixed_minor INTEGER CHECK (fee_fixed_minor IS NULL OR fee_fixed_minor >= 0),
      retainer_instalments INTEGER,
      payment_terms_days INTEGER,
      guarantee_days INTEGER,
      guarantee_policy TEXT CHECK (guarantee_policy IS NULL OR guarantee_policy IN ('refund', 'replacement')),
      pro_rata_days INTEGER,
      cancellation_fee_minor INTEGER,
      clause_notes TEXT,
      probability INTEGER CHECK (probability IS NULL OR (probability BETWEEN 0 AND 100)),
      expected_close_date TEXT,
      owner_id TEXT REFERENCES users(id),
      close_reason TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT,
      -- The weighted revenue forecast of contract/forecast.ts, computed by SQLite from the row (a snapshot of
      -- db/repositories/forecast.ts; tests check both agree) so totals are sums over an index.
      weighted_fee_minor INTEGER GENERATED ALWAYS AS (round(round(
        CASE fee_type
          WHEN 'percentage' THEN fee_percent / 100.0
            * coalesce((salary_min_minor + salary_max_minor) / 2.0, salary_min_minor, salary_max_minor)
            * CASE salary_period WHEN 'year' THEN 1 WHEN 'month' THEN 12 WHEN 'hour' THEN 2080 END
          WHEN 'fixed' THEN fee_fixed_minor
          WHEN 'retainer' THEN fee_fixed_minor
        END * openings) * probability / 100.0)) VIRTUAL,
      CHECK (salary_min_minor IS NULL OR salary_max_minor IS NULL OR salary_min_minor <= salary_max_minor)
    )`,
    sql`CREATE INDEX jobs_client ON jobs (client_id, status)`,
    // Open-forecast totals per client and currency read from the index alone.
    sql`CREATE INDEX jobs_forecast ON jobs (client_id, status, salary_currency, weighted_fee_minor) WHERE deleted_at IS NULL`,
    sql`CREATE INDEX jobs_status_close ON jobs (status, expected_close_date)`,
    sql`CREATE INDEX jobs_created ON jobs (created_at, id)`,

    sql`CREATE TABLE change_log (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      entity TEXT NOT NULL,
      entity_id TEXT NOT NULL,
      client_id TEXT,
      operation TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete', 'restore')),
      changes TEXT NOT NULL,
      note TEXT,
      user_id TEXT,
      device_id TEXT NOT NULL,
      changed_at TEXT NOT NULL,
      pushed_at TEXT
    )`,
    sql`CREATE INDEX change_log_entity ON change_log (entity, entity_id, seq)`,
    sql`CREATE INDEX change_log_client ON change_log (client_id, seq) WHERE client_id IS NOT NULL`,
    sql`CREATE INDEX change_log_outbox ON change_log (seq) WHERE pushed_at IS NULL`,

    sql`CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    )`,
    sql`CREATE TABLE saved_views (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      name_key TEXT NOT NULL UNIQUE,
      query TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    sql`CREATE TABLE code_counters (
      prefix TEXT PRIMARY KEY,
      next_value INTEGER NOT NULL
    )`,
  ];
  for (const statement of statements) await statement.execute(db);
}
