import type { ColumnType } from 'kysely';

// The server's tables as Kysely sees them. bigint columns come back as strings from both drivers (pg's
// default, and the PGlite adapter is set up the same way), so nothing silently loses precision.
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type GeneratedInt8 = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface ServerStateTable {
  id: number;
  epoch: string;
  created_at: Timestamp;
}

export interface TeamsTable {
  id: string;
  name: string;
  /** The team's commit-order counter: taken with UPDATE … RETURNING by every push (see push.ts). */
  version: GeneratedInt8;
  created_at: Timestamp;
}

export interface DevicesTable {
  /** The token's row, issued by `device add`; not the device's own id. */
  id: string;
  team_id: string;
  user_email: string;
  token_hash: string;
  /** The app's own device id, bound at the token's first authenticated request. */
  device_id: string | null;
  created_at: Timestamp;
  bound_at: Date | null;
  revoked_at: Date | null;
  last_seen_at: Date | null;
}

export interface DeviceSequencesTable {
  team_id: string;
  device_id: string;
  /** The highest sequence of this device the server has committed. */
  last_applied: GeneratedInt8;
  /** The tag in the codes this device hands out (CL-<tag>-0042), unique in the team; null until its first hello. */
  code_tag: string | null;
}

export interface PushesTable {
  team_id: string;
  version: Int8;
  device_id: string;
  first_seq: Int8;
  last_seq: Int8;
  /** Changes of this push that other devices pull (rejected and already-known ones excluded). */
  accepted: number;
  rejected: number;
  pushed_at: Timestamp;
}

export interface ChangesTable {
  team_id: string;
  device_id: string;
  device_seq: Int8;
  change_id: string;
  version: Int8;
  hlc: string;
  entity: string;
  entity_id: string;
  /** The change exactly as it travels (JSON text), so a pull sends it without re-serialising. */
  body: string;
  rejected: string | null;
  rejected_detail: string | null;
  /** Fields of this change that lost to a later clock: field → the winning clock. Its values stay in body. */
  lost: Json<Record<string, string>> | null;
}

export interface RecordsTable {
  team_id: string;
  entity: string;
  entity_id: string;
  fields: Json<Record<string, unknown>>;
  /** Per field, the clock of the change that wrote it; packed (lww.ts: packClocks), so read it with unpackClocks. */
  clocks: Json<Record<string, string>>;
}

export interface ServerDB {
  server_state: ServerStateTable;
  teams: TeamsTable;
  devices: DevicesTable;
  device_sequences: DeviceSequencesTable;
  pushes: PushesTable;
  changes: ChangesTable;
  records: RecordsTable;
}
