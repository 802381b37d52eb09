import { sql, type Kysely } from 'kysely';

// Frozen once landed. 0003's clients_search indexes the folded search_text (name, email, code and the
// contacts' names and emails), which is everything 0001's clients_fts (name, email, code) and contacts_fts
// (contact name, email) held; the list search and the similar-name check both read clients_search now.
// Keeping the old two meant every client insert was indexed by trigrams three times, and every contact insert
// once more: most of the cost of a bulk import (per 10 000 new clients ~2 s of the ~5 s, commits included).
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    'DROP TRIGGER IF EXISTS clients_fts_insert',
    'DROP TRIGGER IF EXISTS clients_fts_delete',
    'DROP TRIGGER IF EXISTS clients_fts_update',
    'DROP TRIGGER IF EXISTS contacts_fts_insert',
    'DROP TRIGGER IF EXISTS contacts_fts_delete',
    'DROP TRIGGER IF EXISTS contacts_fts_update',
    'DROP TABLE IF EXISTS clients_fts',
    'DROP TABLE IF EXISTS contacts_fts',
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
