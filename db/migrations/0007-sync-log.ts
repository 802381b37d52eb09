import { sql, type Kysely } from 'kysely';

// Frozen once landed. The change log becomes the sync outbox (contract/sync.ts, db/sync/):
//
// - change_log gains `device_seq` (dense per device, never reused: what the server acknowledges) and `hlc`
//   (hybrid logical clock, the order of per-field last-writer-wins). Rows written before this migration were
//   lossy (event owners as counts, documents as names, creates with some fields only): they stay as history
//   with an hlc from their time and no sequence, so they are never pushed; `sync_clock.baseline_needed` asks
//   the sync job to log every existing record once, completely, before its first push.
// - sync_clock holds this device's last sequence and clock, updated in every writing transaction; sync_parked
//   and sync_documents are the sync job's own bookkeeping.
// - Contacts, events, postings and leads get a version like clients: an update names the version it edited.
// - Event owners are soft-deleted like other records, so adding and removing one syncs as a record of its own.
// - A lead may end with two clients once devices sync (two laptops converted it offline): both are kept and
//   shown as possible duplicates instead of failing the sync, so one client per lead is checked when converting,
//   no longer by a unique index.
// - Built-in areas get the same id on every device (`area-<key>`), so two laptops' "Technology" are one area
//   once they sync. References are rewritten in the same transaction (foreign keys checked at commit).
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `ALTER TABLE change_log ADD COLUMN device_seq INTEGER`,
    `ALTER TABLE change_log ADD COLUMN hlc TEXT NOT NULL DEFAULT ''`,
    `UPDATE change_log SET hlc = printf('%015d-%06d-%s', CAST(round((julianday(changed_at) - 2440587.5) * 86400000) AS INTEGER), 0, device_id)`,
    `DROP INDEX change_log_outbox`,
    `CREATE UNIQUE INDEX change_log_device_seq ON change_log (device_id, device_seq) WHERE device_seq IS NOT NULL`,
    `CREATE INDEX change_log_outbox ON change_log (device_id, device_seq) WHERE pushed_at IS NULL AND device_seq IS NOT NULL`,
    `CREATE TABLE sync_clock (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      last_seq INTEGER NOT NULL,
      hlc_ms INTEGER NOT NULL,
      hlc_counter INTEGER NOT NULL,
      baseline_needed INTEGER NOT NULL CHECK (baseline_needed IN (0, 1))
    )`,
    `INSERT INTO sync_clock (id, last_seq, hlc_ms, hlc_counter, baseline_needed)
      VALUES (1, 0, 0, 0, EXISTS (SELECT 1 FROM clients) OR EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM areas) OR EXISTS (SELECT 1 FROM leads))`,
    // Pulled changes that name a record this device has not received yet, tried again after every page.
    `CREATE TABLE sync_parked (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      change TEXT NOT NULL,
      error TEXT NOT NULL,
      parked_at TEXT NOT NULL
    )`,
    // Documents the server has confirmed it holds (uploaded from here, or there already).
    `CREATE TABLE sync_documents (
      sha256 TEXT PRIMARY KEY,
      confirmed_at TEXT NOT NULL
    ) WITHOUT ROWID`,
    `ALTER TABLE client_contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1`,
    `ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 1`,
    `ALTER TABLE jobs ADD COLUMN version INTEGER NOT NULL DEFAULT 1`,
    `ALTER TABLE leads ADD COLUMN version INTEGER NOT NULL DEFAULT 1`,
    `ALTER TABLE event_owners ADD COLUMN deleted_at TEXT`,
    `DROP INDEX clients_lead`,
    `CREATE INDEX clients_lead ON clients (lead_id) WHERE lead_id IS NOT NULL`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);

  const areas = (await sql<{ id: string; key: string }>`SELECT id, key FROM areas WHERE key IS NOT NULL`.execute(db)).rows;
  const renamed = areas.filter((a) => a.id !== `area-${a.key}`);
  if (renamed.length) await sql`PRAGMA defer_foreign_keys = ON`.execute(db);
  for (const { id, key } of renamed) {
    const to = `area-${key}`;
    await sql`UPDATE areas SET id = ${to} WHERE id = ${id}`.execute(db);
    await sql`UPDATE clients SET area_id = ${to} WHERE area_id = ${id}`.execute(db);
    await sql`UPDATE leads SET area_id = ${to} WHERE area_id = ${id}`.execute(db);
    // Ids are UUIDs: the text cannot occur inside anything else, so a plain replacement is exact.
    await sql`UPDATE change_log SET changes = replace(changes, ${id}, ${to}) WHERE instr(changes, ${id}) > 0`.execute(db);
    await sql`UPDATE saved_views SET query = replace(query, ${id}, ${to}) WHERE instr(query, ${id}) > 0`.execute(db);
  }
}
