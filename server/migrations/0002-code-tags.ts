import { sql, type Kysely } from 'kysely';

// Frozen once landed. The short tag each laptop writes into the codes it hands out (CL-<tag>-0042): one per
// device in a team, so two laptops never give out the same client or job code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE device_sequences ADD COLUMN code_tag text`.execute(db);
  await sql`CREATE UNIQUE INDEX device_sequences_code_tag ON device_sequences (team_id, code_tag) WHERE code_tag IS NOT NULL`.execute(db);
}
