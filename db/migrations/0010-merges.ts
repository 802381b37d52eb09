import { sql, type Kysely } from 'kysely';

// Frozen once landed. Possible duplicates reviewed by a person, and merges that can be undone:
//
// - duplicate_dismissals: "Not a duplicate" decisions, one per ordered pair of records (the smaller id first, so
//   two laptops that dismiss the same pair write the same record and converge). Synced; undoing a decision removes
//   it (deleted_at), dismissing again restores it.
// - merges: one row per merge of two clients (or of two contacts of one client): which record survived, which was
//   merged away, and a snapshot of what the merge changed (the survivor's fields it replaced, every record it
//   moved) that Undo reads. Synced, so a colleague's laptop shows the merged-away client as "merged into …" and can
//   undo it too; undone_at is the deletion field (an undo removes the merge).
// - change_log.operation_id: every change of one merge (or one undo) carries the same id, so the sync job pushes
//   them in one request and a pull applies them in one transaction.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE duplicate_dismissals (
      first_id TEXT NOT NULL,
      second_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('client', 'contact')),
      created_at TEXT NOT NULL,
      deleted_at TEXT,
      PRIMARY KEY (first_id, second_id)
    )`,
    `CREATE TABLE merges (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('client', 'contact')),
      survivor_id TEXT NOT NULL,
      merged_id TEXT NOT NULL,
      client_id TEXT NOT NULL,
      snapshot TEXT NOT NULL,
      created_at TEXT NOT NULL,
      undone_at TEXT
    )`,
    `CREATE INDEX merges_merged ON merges (merged_id) WHERE undone_at IS NULL`,
    `CREATE INDEX merges_survivor ON merges (survivor_id)`,
    `ALTER TABLE change_log ADD COLUMN operation_id TEXT`,
    `CREATE INDEX change_log_operation ON change_log (operation_id) WHERE operation_id IS NOT NULL`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
