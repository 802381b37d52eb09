import { sql, type Kysely } from 'kysely';

// Frozen once landed. The duplicate rules compare company email domains; without an index on the domain
// part every check scanned all clients, fine for one save but not for an import checking thousands of rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX clients_email_domain ON clients (substr(email_key, instr(email_key, '@') + 1)) WHERE archived_at IS NULL`.execute(db);
}
