import { sql, type Kysely } from 'kysely';

// Frozen once landed. How many live candidates have each tag with each source, a table of this laptop only
// (db/sync/candidates.ts), so the candidates list answers a tag + source combination that no candidate has
// from a handful of rows instead of walking every candidate (db/repositories/candidates.ts). Written with the
// candidate by the write path and by the replay of pulled changes (the candidate spec's after hook in
// db/sync/entities.ts); filled when the database opens (`ensureCandidateTagSources`), so this migration only
// makes the table. `tag` is the folded tag as the search text holds it (`#tag#`), `source` '' for none.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE candidate_tag_sources (
    tag TEXT NOT NULL,
    source TEXT NOT NULL,
    candidates INTEGER NOT NULL CHECK (candidates > 0),
    PRIMARY KEY (tag, source)
  ) WITHOUT ROWID`.execute(db);
}
