import { sql, type Kysely } from 'kysely';
import { deletionField, entityFields, type SyncedEntity } from '../../contract/sync';
import { normalizeEmail } from '../../contract/normalize';
import type { DB } from '../schema';
import { deriveCandidate, refreshTagSources } from './candidates';
import { refreshClientSearchText, refreshLastActivity } from './derived';
import { clientKeys, refreshMatchKeys } from './matchKeys';

// Which tables travel between the devices of a team, and how each is written. This is the one list: the
// writers (write.ts), the replay of pulled changes (apply.ts), the first-sync baseline and the lint rule
// that forbids writing these tables anywhere else all read it.

export type Row = Record<string, unknown>;

export interface EntitySpec {
  entity: SyncedEntity;
  table: keyof DB & string;
  /** Primary-key columns: the record's id in the log is their values joined by ':'. */
  keys: readonly string[];
  /** The columns another device needs to rebuild the row (contract/sync.ts `entityFields`). */
  fields: readonly string[];
  /** Set by a delete, cleared by a restore, never touched by an update; null where records are deactivated instead. */
  deletion: string | null;
  /** Has a `version` column: an update may name the version it edited, and every write bumps it. */
  versioned: boolean;
  /** Has an `updated_at` column, set to the time of every write. */
  updatedAt: boolean;
  /** Columns computed from the row's own synced fields (normalised keys); written with it, never logged. */
  derive?: (row: Row) => Row;
  /** The client whose history a change of this record belongs to. */
  clientOf: (trx: Kysely<DB>, row: Row) => Promise<string | null>;
  /** Recomputes derived data held in other rows (search text, last activity) after the row was written. */
  after?: (trx: Kysely<DB>, before: Row | null, after: Row) => Promise<void>;
}

const fieldsOf = (entity: SyncedEntity) => Object.keys(entityFields[entity]);
const own = (column: string) => async (_trx: Kysely<DB>, row: Row) => (row[column] as string | null) ?? null;
const viaJob = async (trx: Kysely<DB>, row: Row) =>
  (await trx.selectFrom('jobs').select('client_id').where('id', '=', row.job_id as string).executeTakeFirst())?.client_id ?? null;
const viaEvent = async (trx: Kysely<DB>, row: Row) =>
  (await trx.selectFrom('events').select('client_id').where('id', '=', row.event_id as string).executeTakeFirst())?.client_id ?? null;

/** Both the client a record belonged to and the one it belongs to now (a record moved by a merge touches two). */
const clientsTouched = (before: Row | null, after: Row) => [...new Set([before?.client_id, after.client_id].filter((id): id is string => typeof id === 'string'))];

function spec(entity: SyncedEntity, table: keyof DB & string, rest: Omit<EntitySpec, 'entity' | 'table' | 'fields' | 'deletion' | 'keys'> & { keys?: readonly string[] }): EntitySpec {
  return { entity, table, keys: rest.keys ?? ['id'], fields: fieldsOf(entity), deletion: deletionField[entity] ?? null, ...rest };
}

export const entitySpecs: Record<SyncedEntity, EntitySpec> = {
  area: spec('area', 'areas', { versioned: false, updatedAt: false, clientOf: async () => null }),
  user: spec('user', 'users', { versioned: false, updatedAt: true, clientOf: async () => null }),
  client: spec('client', 'clients', {
    versioned: true,
    updatedAt: true,
    derive: (row) => ({ ...clientKeys(row), email_key: normalizeEmail(String(row.email)) }),
    clientOf: own('id'),
    after: async (trx, before, after) => {
      if (!before || ['company_name', 'email', 'code'].some((f) => before[f] !== after[f])) await refreshClientSearchText(trx, after.id as string);
      // The duplicate engine's lookup keys (a local table): what a check finds candidates by.
      if (!before || ['company_name', 'email', 'website', 'archived_at'].some((f) => before[f] !== after[f])) await refreshMatchKeys(trx, before, after);
    },
  }),
  contact: spec('contact', 'client_contacts', {
    versioned: true,
    updatedAt: true,
    derive: (row) => ({ email_key: row.email ? normalizeEmail(String(row.email)) : null }),
    clientOf: own('client_id'),
    after: async (trx, before, after) => {
      for (const clientId of clientsTouched(before, after)) await refreshClientSearchText(trx, clientId);
    },
  }),
  lead: spec('lead', 'leads', { versioned: true, updatedAt: true, clientOf: own('client_id') }),
  event: spec('event', 'events', {
    versioned: true,
    updatedAt: true,
    clientOf: own('client_id'),
    after: async (trx, before, after) => {
      for (const clientId of clientsTouched(before, after)) await refreshLastActivity(trx, clientId);
    },
  }),
  event_owner: spec('event_owner', 'event_owners', { keys: ['event_id', 'user_id'], versioned: false, updatedAt: false, clientOf: viaEvent }),
  attachment: spec('attachment', 'attachments', { versioned: false, updatedAt: false, clientOf: viaEvent }),
  job: spec('job', 'jobs', { versioned: true, updatedAt: true, clientOf: own('client_id') }),
  pipeline_stage: spec('pipeline_stage', 'pipeline_stages', { versioned: false, updatedAt: false, clientOf: async () => null }),
  candidate: spec('candidate', 'candidates', { versioned: true, updatedAt: true, derive: deriveCandidate, clientOf: async () => null, after: refreshTagSources }),
  candidate_document: spec('candidate_document', 'candidate_documents', { versioned: false, updatedAt: false, clientOf: async () => null }),
  // A posting's applications and placements belong to its client's history too.
  application: spec('application', 'applications', { versioned: true, updatedAt: true, clientOf: viaJob }),
  placement: spec('placement', 'placements', { versioned: true, updatedAt: true, clientOf: viaJob }),
  duplicate_dismissal: spec('duplicate_dismissal', 'duplicate_dismissals', { keys: ['first_id', 'second_id'], versioned: false, updatedAt: false, clientOf: async () => null }),
  // A merge belongs to the history of the client that survived it (or whose contacts it merged).
  merge: spec('merge', 'merges', { versioned: false, updatedAt: false, clientOf: own('client_id') }),
};

/** Tables that never leave this laptop (and may be written directly): settings, personal views, counters, aggregates. */
export const localTables = [
  'settings', 'saved_views', 'code_counters', 'client_match_keys', 'candidate_tag_sources', 'event_month_counts', 'client_stats', 'sync_clock', 'sync_parked', 'sync_documents', 'schema_migrations',
] as const;

export const syncedTables = Object.values(entitySpecs).map((s) => s.table);

export function recordId(spec: EntitySpec, row: Row): string {
  return spec.keys.map((k) => String(row[k])).join(':');
}

/** The key columns and values of a record id. */
export function keyOf(spec: EntitySpec, id: string): Row {
  const parts = spec.keys.length === 1 ? [id] : id.split(':');
  if (parts.length !== spec.keys.length || parts.some((p) => !p)) throw new Error(`Not a ${spec.entity} id: ${id}`);
  return Object.fromEntries(spec.keys.map((k, i) => [k, parts[i]]));
}

export function whereKey(spec: EntitySpec, id: string) {
  const key = keyOf(spec, id);
  return sql.join(Object.entries(key).map(([column, value]) => sql`${sql.ref(column)} = ${value}`), sql` AND `);
}

export async function readRecord(trx: Kysely<DB>, spec: EntitySpec, id: string): Promise<Row | undefined> {
  const { rows } = await sql<Row>`SELECT * FROM ${sql.table(spec.table)} WHERE ${whereKey(spec, id)}`.execute(trx);
  return rows[0];
}
