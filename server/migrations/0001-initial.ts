import { sql, type Kysely } from 'kysely';

// Frozen once landed. The sync server's storage: teams and their device tokens (hashes only), each device's
// last applied sequence, every pushed change with its place in the team's commit order, and the merged
// state of each record with the clock of each field (per-field last writer wins).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE server_state (
    id int PRIMARY KEY CHECK (id = 1),
    epoch text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`INSERT INTO server_state (id, epoch) VALUES (1, gen_random_uuid()::text)`.execute(db);

  await sql`CREATE TABLE teams (
    id text PRIMARY KEY,
    name text NOT NULL UNIQUE,
    version bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);

  await sql`CREATE TABLE devices (
    id text PRIMARY KEY,
    team_id text NOT NULL REFERENCES teams (id),
    user_email text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    device_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    bound_at timestamptz,
    revoked_at timestamptz,
    last_seen_at timestamptz
  )`.execute(db);
  // One live token per device id and team: a second laptop cannot push into another's sequence.
  await sql`CREATE UNIQUE INDEX devices_live_binding ON devices (team_id, device_id) WHERE device_id IS NOT NULL AND revoked_at IS NULL`.execute(db);

  // Per device id, not per token: a laptop that gets a new token keeps its sequence.
  await sql`CREATE TABLE device_sequences (
    team_id text NOT NULL REFERENCES teams (id),
    device_id text NOT NULL,
    last_applied bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, device_id)
  )`.execute(db);

  await sql`CREATE TABLE pushes (
    team_id text NOT NULL REFERENCES teams (id),
    version bigint NOT NULL,
    device_id text NOT NULL,
    first_seq bigint NOT NULL,
    last_seq bigint NOT NULL,
    accepted int NOT NULL,
    rejected int NOT NULL,
    pushed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, version)
  )`.execute(db);

  // The primary key is the applied(device, seq) key: applying one change twice throws.
  await sql`CREATE TABLE changes (
    team_id text NOT NULL,
    device_id text NOT NULL,
    device_seq bigint NOT NULL,
    change_id text NOT NULL,
    version bigint NOT NULL,
    hlc text NOT NULL,
    entity text NOT NULL,
    entity_id text NOT NULL,
    body text NOT NULL,
    rejected text,
    rejected_detail text,
    lost jsonb,
    PRIMARY KEY (team_id, device_id, device_seq),
    FOREIGN KEY (team_id, version) REFERENCES pushes (team_id, version)
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX changes_change_id ON changes (team_id, change_id)`.execute(db);
  await sql`CREATE INDEX changes_commit_order ON changes (team_id, version, device_seq)`.execute(db);
  await sql`CREATE INDEX changes_record ON changes (team_id, entity, entity_id)`.execute(db);

  await sql`CREATE TABLE records (
    team_id text NOT NULL REFERENCES teams (id),
    entity text NOT NULL,
    entity_id text NOT NULL,
    fields jsonb NOT NULL,
    clocks jsonb NOT NULL,
    PRIMARY KEY (team_id, entity, entity_id)
  )`.execute(db);
}
