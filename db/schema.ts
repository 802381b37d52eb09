import type { Generated } from 'kysely';

// Table types of the SQLite database. Instants are ISO-8601 UTC text, dates YYYY-MM-DD text,
// money integer minor units with an ISO-4217 currency, booleans 0/1.

export interface UsersTable {
  id: string;
  name: string;
  email: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface AreasTable {
  id: string;
  key: string | null;
  name: string;
  active: number;
  sort_order: number;
  created_at: string;
}

export interface ClientsTable {
  /** Integer rowid alias: stable content rowid for the FTS index (a VACUUM may renumber implicit rowids). */
  seq: Generated<number>;
  id: string;
  code: string;
  company_name: string;
  email: string;
  area_id: string;
  phone: string | null;
  website: string | null;
  comments: string | null;
  status: 'active' | 'paused' | 'inactive';
  owner_id: string | null;
  name_key: string;
  email_key: string;
  domain_key: string | null;
  default_fee_percent: number | null;
  default_guarantee_days: number | null;
  default_payment_terms_days: number | null;
  lead_id: string | null;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  last_activity_at: string | null;
  version: number;
  /** Folded (lower case, no accents) name, email, code and contacts, for row-by-row search checks. */
  search_text: string;
}

export interface ClientContactsTable {
  /** Integer rowid alias: stable content rowid for the contacts FTS index. */
  seq: Generated<number>;
  id: string;
  client_id: string;
  name: string;
  role: string | null;
  email: string | null;
  email_key: string | null;
  phone: string | null;
  is_primary: number;
  notes: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface LeadsTable {
  id: string;
  company_name: string;
  contact_name: string | null;
  email: string | null;
  phone: string | null;
  area_id: string | null;
  source: string | null;
  stage: 'new' | 'contacted' | 'qualified' | 'proposal' | 'negotiation' | 'won' | 'lost';
  owner_id: string | null;
  expected_value_minor: number | null;
  expected_value_currency: string | null;
  lost_reason: string | null;
  client_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface EventsTable {
  id: string;
  /** Exactly one of client_id and lead_id is set (CHECK constraint). */
  client_id: string | null;
  lead_id: string | null;
  type: string;
  title: string;
  notes: string | null;
  occurred_at: string;
  /** Satisfaction survey 0–10. */
  score: number | null;
  amount_minor: number | null;
  amount_currency: string | null;
  proposal_state: 'sent' | 'accepted' | 'rejected' | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface EventOwnersTable {
  event_id: string;
  user_id: string;
}

export interface AttachmentsTable {
  id: string;
  event_id: string;
  sha256: string;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  created_at: string;
  deleted_at: string | null;
}

export interface JobsTable {
  id: string;
  client_id: string;
  code: string;
  title: string;
  status: 'draft' | 'open' | 'on_hold' | 'filled' | 'cancelled';
  openings: number;
  location: string | null;
  work_mode: 'onsite' | 'hybrid' | 'remote' | null;
  employment_type: 'full_time' | 'part_time' | 'contract' | 'temporary' | 'internship' | null;
  salary_min_minor: number | null;
  salary_max_minor: number | null;
  salary_currency: string | null;
  salary_period: 'year' | 'month' | 'hour' | null;
  fee_type: 'percentage' | 'fixed' | 'retainer' | null;
  fee_percent: number | null;
  fee_fixed_minor: number | null;
  retainer_instalments: number | null;
  payment_terms_days: number | null;
  guarantee_days: number | null;
  guarantee_policy: 'refund' | 'replacement' | null;
  pro_rata_days: number | null;
  cancellation_fee_minor: number | null;
  clause_notes: string | null;
  probability: number | null;
  expected_close_date: string | null;
  owner_id: string | null;
  close_reason: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface ChangeLogTable {
  seq: Generated<number>;
  id: string;
  entity: string;
  entity_id: string;
  /** The client a change belongs to, so a client's history is one indexed lookup. */
  client_id: string | null;
  operation: 'create' | 'update' | 'delete' | 'restore';
  /** JSON: { field: { old, new } }. */
  changes: string;
  note: string | null;
  user_id: string | null;
  device_id: string;
  changed_at: string;
  pushed_at: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface SavedViewsTable {
  id: string;
  name: string;
  /** Lower-cased, trimmed name: two views cannot share a name. */
  name_key: string;
  /** JSON of the list query (search, filters, sort). */
  query: string;
  created_at: string;
  updated_at: string;
}

export interface CodeCountersTable {
  prefix: string;
  next_value: number;
}

export interface DB {
  users: UsersTable;
  areas: AreasTable;
  clients: ClientsTable;
  client_contacts: ClientContactsTable;
  leads: LeadsTable;
  events: EventsTable;
  event_owners: EventOwnersTable;
  attachments: AttachmentsTable;
  jobs: JobsTable;
  change_log: ChangeLogTable;
  settings: SettingsTable;
  saved_views: SavedViewsTable;
  code_counters: CodeCountersTable;
}
