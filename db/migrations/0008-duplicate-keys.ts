import { sql, type Kysely } from 'kysely';

// Frozen once landed. The duplicate engine (main/duplicates/) finds the candidates of a check through lookup
// keys instead of reading every client: each live client's keys (its email, its name's key, its distinctive
// words and their one-typo variants, its web domains; contract/companies.ts `companyMatchKeys`) are kept in
// client_match_keys, a table of this laptop only, maintained by the clients' write path and by the replay of
// pulled changes (db/sync/entities.ts). The keys are built when the database opens (db/sync/matchKeys.ts), so a
// later version that reads names differently rebuilds them without a migration of its own.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE client_match_keys (
      key TEXT NOT NULL,
      client_id TEXT NOT NULL,
      PRIMARY KEY (key, client_id)
    ) WITHOUT ROWID`,
    // The email-domain index served the old domain rule; web domains are keys now.
    `DROP INDEX clients_email_domain`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
