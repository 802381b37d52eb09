import { z } from 'zod';

// The team-sync protocol, shared by the app's sync job and the reference server (server/). One change is
// one row of the app's change log, exactly as stored: the log is the outbox, so what travels is what was
// written, never a second representation that could drift from it.

/**
 * The tables that travel between the devices of a team, by entity name. Everything else in the app's
 * database stays on its laptop (see `localTables` in db/sync/entities.ts): the UI language, the current
 * user, window state, saved views (personal filters), code counters and derived aggregates.
 */
export const syncedEntities = [
  'area', 'user', 'client', 'contact', 'lead', 'event', 'event_owner', 'attachment', 'job',
  'pipeline_stage', 'candidate', 'candidate_document', 'application', 'placement', 'duplicate_dismissal', 'merge',
] as const;
export type SyncedEntity = (typeof syncedEntities)[number];

export const operations = ['create', 'update', 'delete', 'restore'] as const;
export type Operation = (typeof operations)[number];

// ── Hybrid logical clock ──────────────────────────────────────────────────────────────────────────────

/**
 * `<wall ms, 15 digits>-<counter, 6 digits>-<device id>`: comparing two stamps as strings compares wall time,
 * then the counter, then the device id, so every change of a team has its own place in one total order
 * (the tie between two devices is broken by their ids, the same way on every device and on the server).
 */
export const hlcSchema = z.string().regex(/^\d{15}-\d{6}-[0-9A-Za-z_-]{1,64}$/, { message: 'invalid_hlc' });
export type Hlc = z.infer<typeof hlcSchema>;

export function formatHlc(ms: number, counter: number, deviceId: string): Hlc {
  return `${String(ms).padStart(15, '0')}-${String(counter).padStart(6, '0')}-${deviceId}`;
}

export function parseHlc(hlc: Hlc): { ms: number; counter: number; deviceId: string } {
  return { ms: Number(hlc.slice(0, 15)), counter: Number(hlc.slice(16, 22)), deviceId: hlc.slice(23) };
}

/** A change whose clock is further ahead of the server's than this is refused (`clock_skew`). */
export const maxClockSkewMs = 5 * 60_000;

// ── Record fields, per entity ─────────────────────────────────────────────────────────────────────────

const id = z.string().min(1).max(64);
const text = (max: number) => z.string().max(max);
const nullableText = (max: number) => text(max).nullable();
const instant = z.iso.datetime();
const date = z.iso.date();
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const flag = z.union([z.literal(0), z.literal(1)]);
const money = int(0, 1e13).nullable();
const currency = z.string().regex(/^[A-Z]{3}$/).nullable();
/** A JSON array of up to 20 distinct short texts (a candidate's tags), stored as text so one field carries the set. */
const tagList = z.string().max(2000).refine((text) => {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.length <= 20 && value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 40);
  } catch {
    return false;
  }
}, { message: 'invalid_tags' });

/**
 * Every synced column of every entity with the values it may hold. A change naming another column, or a value
 * outside these, is invalid for good: the server rejects it (and still advances the device's sequence) and a
 * device never applies it. The app's own rules (contract/<domain>.ts) are stricter; these only keep a change
 * storable on every device.
 */
export const entityFields = {
  area: { key: nullableText(64), name: text(120), active: flag, sort_order: int(0, 1e6), created_at: instant },
  user: { name: text(160), email: nullableText(254), active: flag, created_at: instant },
  client: {
    code: text(40), company_name: text(200), email: text(254), area_id: id, phone: nullableText(60), website: nullableText(300), comments: nullableText(5000),
    status: z.enum(['active', 'paused', 'inactive']), owner_id: id.nullable(), default_fee_percent: z.number().min(0).max(100).nullable(),
    default_guarantee_days: int(0, 3650).nullable(), default_payment_terms_days: int(0, 365).nullable(), lead_id: id.nullable(), created_at: instant, archived_at: instant.nullable(),
  },
  contact: {
    client_id: id, name: text(160), role: nullableText(120), email: nullableText(254), phone: nullableText(60), is_primary: flag, notes: nullableText(2000),
    created_at: instant, deleted_at: instant.nullable(),
  },
  lead: {
    company_name: text(200), contact_name: nullableText(160), email: nullableText(254), phone: nullableText(60), area_id: id.nullable(), source: nullableText(80),
    stage: z.enum(['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost']), owner_id: id.nullable(), expected_value_minor: money,
    expected_value_currency: currency, lost_reason: nullableText(2000), client_id: id.nullable(), review_candidates: nullableText(20_000), created_at: instant,
    deleted_at: instant.nullable(),
  },
  event: {
    client_id: id.nullable(), lead_id: id.nullable(), type: text(40), title: text(200), notes: nullableText(10_000), occurred_at: instant, score: int(0, 10).nullable(),
    amount_minor: money, amount_currency: currency, proposal_state: z.enum(['sent', 'accepted', 'rejected']).nullable(), created_by: id.nullable(), created_at: instant,
    deleted_at: instant.nullable(),
  },
  event_owner: { event_id: id, user_id: id, deleted_at: instant.nullable() },
  attachment: {
    event_id: id, sha256: z.string().regex(/^[0-9a-f]{64}$/), file_name: text(255), mime_type: text(127), size_bytes: int(0, 2 ** 40), created_at: instant,
    deleted_at: instant.nullable(),
  },
  job: {
    client_id: id, code: text(40), title: text(160), status: z.enum(['draft', 'open', 'on_hold', 'filled', 'cancelled']), close_reason: nullableText(500),
    openings: int(1, 999), location: nullableText(160), work_mode: z.enum(['onsite', 'hybrid', 'remote']).nullable(),
    employment_type: z.enum(['full_time', 'part_time', 'contract', 'temporary', 'internship']).nullable(), salary_min_minor: money, salary_max_minor: money,
    salary_currency: currency, salary_period: z.enum(['year', 'month', 'hour']).nullable(), fee_type: z.enum(['percentage', 'fixed', 'retainer']).nullable(),
    fee_percent: z.number().min(0).max(100).nullable(), fee_fixed_minor: money, retainer_instalments: int(1, 24).nullable(), payment_terms_days: int(0, 365).nullable(),
    guarantee_days: int(0, 3650).nullable(), guarantee_policy: z.enum(['refund', 'replacement']).nullable(), pro_rata_days: int(0, 3650).nullable(),
    cancellation_fee_minor: money, clause_notes: nullableText(5000), probability: int(0, 100).nullable(), expected_close_date: date.nullable(), owner_id: id.nullable(),
    created_at: instant, deleted_at: instant.nullable(),
  },
  pipeline_stage: { key: nullableText(64), name: text(60), kind: z.enum(['active', 'placed', 'rejected', 'withdrawn']), sort_order: int(0, 1e6), active: flag, created_at: instant },
  candidate: {
    code: text(40), full_name: text(160), email: nullableText(254), phone: nullableText(60), location: nullableText(160), current_title: nullableText(160),
    current_company: nullableText(200), source: nullableText(80), tags: tagList, notes: nullableText(5000), owner_id: id.nullable(), created_at: instant, deleted_at: instant.nullable(),
  },
  candidate_document: {
    candidate_id: id, kind: z.enum(['cv', 'other']), sha256: z.string().regex(/^[0-9a-f]{64}$/), file_name: text(255), mime_type: text(127), size_bytes: int(0, 2 ** 40),
    created_at: instant, deleted_at: instant.nullable(),
  },
  application: {
    candidate_id: id, job_id: id, stage_id: id, stage_changed_at: instant, stage_changed_by: id.nullable(), notes: nullableText(2000), created_at: instant, deleted_at: instant.nullable(),
  },
  placement: {
    application_id: id, candidate_id: id, job_id: id, start_date: date, salary_minor: int(0, 1e13), salary_currency: z.string().regex(/^[A-Z]{3}$/),
    salary_period: z.enum(['year', 'month', 'hour']), fee_type: z.enum(['percentage', 'fixed', 'retainer']).nullable(), fee_percent: z.number().min(0).max(100).nullable(),
    fee_fixed_minor: money, retainer_instalments: int(1, 24).nullable(), annual_salary_minor: int(0, 1e15), fee_minor: int(0, 1e15), guarantee_days: int(0, 3650).nullable(),
    guarantee_policy: z.enum(['refund', 'replacement']).nullable(), pro_rata_days: int(0, 3650).nullable(), guarantee_end_date: date.nullable(), replaces_id: id.nullable(),
    left_on: date.nullable(), settlement: z.enum(['none', 'refund', 'replacement']).nullable(), refund_minor: int(0, 1e15), created_at: instant, deleted_at: instant.nullable(),
  },
  duplicate_dismissal: { first_id: id, second_id: id, kind: z.enum(['client', 'contact']), created_at: instant, deleted_at: instant.nullable() },
  merge: {
    kind: z.enum(['client', 'contact']), survivor_id: id, merged_id: id, client_id: id, snapshot: text(1_000_000), created_at: instant, undone_at: instant.nullable(),
  },
} as const satisfies Record<SyncedEntity, Record<string, z.ZodType>>;

export type EntityFieldName<E extends SyncedEntity> = keyof (typeof entityFields)[E] & string;

/**
 * The column whose value says the record is removed (soft delete): a delete sets it, a restore clears it, and
 * an update never touches it, so a delete wins over concurrent edits. Areas, team members and pipeline stages
 * are deactivated (`active`), never removed.
 */
export const deletionField: Partial<Record<SyncedEntity, string>> = {
  client: 'archived_at', contact: 'deleted_at', lead: 'deleted_at', event: 'deleted_at', event_owner: 'deleted_at', attachment: 'deleted_at', job: 'deleted_at',
  candidate: 'deleted_at', candidate_document: 'deleted_at', application: 'deleted_at', placement: 'deleted_at', duplicate_dismissal: 'deleted_at',
  merge: 'undone_at',
};

/** Entities keyed by two columns: their id in changes is `<first>:<second>`. */
const pairKeys = { event_owner: ['event_id', 'user_id'], duplicate_dismissal: ['first_id', 'second_id'] } as const;

/** The id of a record in changes: its primary key, or for an event owner `<event_id>:<user_id>`. */
export const eventOwnerId = (eventId: string, userId: string) => `${eventId}:${userId}`;

// ── One change ────────────────────────────────────────────────────────────────────────────────────────

export const fieldChangeSchema = z.object({ old: z.unknown(), new: z.unknown() });

/** One change-log row as it travels: who changed which fields of which record, when, and where in the device's sequence. */
export const changeSchema = z.object({
  /** Unique id of the change (UUIDv7). */
  id,
  deviceId: id,
  /** Dense, per device, from 1, never reused: what the server acknowledges. */
  deviceSeq: z.number().int().positive(),
  hlc: hlcSchema,
  entity: z.string().min(1).max(40),
  entityId: z.string().min(1).max(140),
  /** The client the change belongs to (its history), when it belongs to one. */
  clientId: id.nullable(),
  operation: z.enum(operations),
  /** Every changed field with its full new value and the value it replaced. */
  changes: z.record(z.string().max(64), fieldChangeSchema),
  note: z.string().max(10_000).nullable(),
  userId: id.nullable(),
  changedAt: instant,
  /**
   * Shared by every change of one operation (a merge of two records, its undo). A device pushes an operation's
   * changes in one request (so a pull page, which finishes the push it started, never ends inside one) and
   * applies them in one transaction. Absent on changes that are an operation of their own.
   */
  operationId: id.optional(),
});
export type Change = z.infer<typeof changeSchema>;

/** Why a change was refused for good (it still advances the device's sequence, so one bad row cannot wedge a device). */
export const rejectionReasons = ['unknown_entity', 'unknown_field', 'invalid_value', 'missing_field', 'invalid_change'] as const;

export type RejectionReason = (typeof rejectionReasons)[number];
export interface Rejection {
  reason: RejectionReason;
  detail: string;
}

/**
 * Whether a change can be applied on every device: null when it can, else why it is refused for good. The
 * server runs it on every pushed change and a device may run it on every pulled one, so both sides agree on
 * what is storable. Old values are not checked: they describe the device's past, not what gets applied.
 */
export function validateChange(change: Change): Rejection | null {
  if (!(syncedEntities as readonly string[]).includes(change.entity)) return { reason: 'unknown_entity', detail: change.entity };
  const entity = change.entity as SyncedEntity;
  const fields: Record<string, z.ZodType> = entityFields[entity];
  const names = Object.keys(change.changes);
  const unknown = names.filter((name) => !Object.hasOwn(fields, name));
  if (unknown.length) return { reason: 'unknown_field', detail: unknown.join(', ') };
  if (parseHlc(change.hlc).deviceId !== change.deviceId) return { reason: 'invalid_change', detail: 'the clock names another device' };

  const deletion = deletionField[entity];
  if (change.operation === 'delete' || change.operation === 'restore') {
    if (!deletion) return { reason: 'invalid_change', detail: `${entity} records are deactivated, never ${change.operation}d` };
    if (names.length !== 1 || names[0] !== deletion) return { reason: 'invalid_change', detail: `a ${change.operation} changes ${deletion} and nothing else` };
    const value = change.changes[deletion]!.new;
    if (change.operation === 'delete' ? value === null : value !== null) {
      return { reason: 'invalid_change', detail: change.operation === 'delete' ? `a delete sets ${deletion}` : `a restore clears ${deletion}` };
    }
  } else if (change.operation === 'update') {
    if (!names.length) return { reason: 'invalid_change', detail: 'an update changes at least one field' };
    if (deletion && names.includes(deletion)) return { reason: 'invalid_change', detail: `only a delete or a restore changes ${deletion}` };
  }

  for (const name of names) {
    const result = fields[name]!.safeParse(change.changes[name]!.new);
    if (!result.success) return { reason: 'invalid_value', detail: `${name}: ${result.error.issues[0]?.message ?? 'invalid'}` };
  }
  if (change.operation === 'create') {
    const missing = Object.keys(fields).filter((name) => !names.includes(name));
    if (missing.length) return { reason: 'missing_field', detail: missing.join(', ') };
  }

  const pairKey = pairKeys[entity as keyof typeof pairKeys];
  if (pairKey) {
    const [first, second] = pairKey;
    const parts = change.entityId.split(':');
    if (parts.length !== 2 || !parts[0] || !parts[1]) return { reason: 'invalid_change', detail: `a ${entity} id is <${first}>:<${second}>` };
    const named = (field: string, expected: string) => !(field in change.changes) || change.changes[field]!.new === expected;
    if (!named(first, parts[0]) || !named(second, parts[1])) return { reason: 'invalid_change', detail: `${first} and ${second} must match the ${entity} id` };
  }
  return null;
}

// ── Push ──────────────────────────────────────────────────────────────────────────────────────────────

export const maxPushChanges = 1000;

export const pushRequestSchema = z
  .object({
    deviceId: id,
    /** The epoch the device last saw; null the first time. */
    serverEpoch: z.string().max(64).nullable().default(null),
    changes: z.array(changeSchema).max(maxPushChanges),
  })
  .strict();
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const pushResponseSchema = z.object({
  /** The highest sequence of this device the server has committed (changes at or below it are done, retries included). */
  lastApplied: z.number().int().min(0),
  rejected: z.array(z.object({ deviceSeq: z.number().int(), id, reason: z.enum(rejectionReasons), detail: z.string() })),
  serverEpoch: z.string(),
  /** The server's clock (ms since the epoch), so devices advance theirs. */
  serverTime: z.number().int(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

// ── Pull ──────────────────────────────────────────────────────────────────────────────────────────────

/** Opaque to devices: the server's position in its commit order ("0" from the start). */
export const pullCursorSchema = z.string().regex(/^\d{1,19}$/);

/** The most changes a device may ask for in one page (a page still finishes the push it started). */
export const maxPullChanges = 5000;

/** `GET /v1/pull?cursor=N&limit=M`: query parameters arrive as strings. */
export const pullRequestSchema = z
  .object({
    cursor: pullCursorSchema.default('0'),
    limit: z.coerce.number().int().min(1).max(maxPullChanges).default(1000),
    /**
     * `1`: the device's own changes too — for a laptop whose database was restored from an earlier copy, so what
     * it wrote after that copy (and pushed) comes back to it.
     */
    own: z.enum(['0', '1']).default('0'),
  })
  .strict();

export const pullResponseSchema = z.object({
  changes: z.array(changeSchema),
  /** Where the next pull starts; equal to the request's cursor when nothing new was committed. */
  cursor: pullCursorSchema,
  /** True when more changes wait after this page. */
  more: z.boolean(),
  serverEpoch: z.string(),
  serverTime: z.number().int(),
  /** How many changes of other devices wait after the request's cursor in all (for a first pull's progress). */
  remaining: z.number().int().min(0),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

// ── Devices, documents and errors ─────────────────────────────────────────────────────────────────────

/** The 4-character tag a laptop writes into its codes (CL-7KQ2-0042): Crockford base32, nothing to mishear. */
export const codeTagSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{4}$/);

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random code tag (about a million of them: the server makes them unique in a team). */
export function randomCodeTag(random: () => number = Math.random): string {
  let tag = '';
  for (let i = 0; i < 4; i++) tag += crockford[Math.floor(random() * 32)];
  return tag;
}

/**
 * `GET /v1/hello?deviceId=…&codeTag=…`: checks the token and binds it to the device's own id on first use (the admin
 * command issues tokens without one); from then on the token only works for that device id.
 */
export const helloRequestSchema = z.object({ deviceId: id, codeTag: codeTagSchema.optional() }).strict();

export const helloResponseSchema = z.object({
  team: z.string(),
  deviceId: id,
  userEmail: z.string().nullable(),
  serverEpoch: z.string(),
  serverTime: z.number().int(),
  /**
   * The highest sequence of this device the server has applied: a laptop whose database was restored from an
   * earlier copy continues after it instead of giving the same numbers out again.
   */
  lastApplied: z.number().int().min(0),
  /**
   * The code tag this device holds in the team: the one it proposed, or, when another device of the team
   * already holds that one, a free one it must use from now on (and give the codes it made offline).
   */
  codeTag: codeTagSchema.nullable(),
});
export type HelloResponse = z.infer<typeof helloResponseSchema>;

/** Which of these document hashes the server lacks (upload them before or after their attachment changes). */
export const documentsMissingRequestSchema = z.object({ sha256: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(1000) }).strict();
export const documentsMissingResponseSchema = z.object({ missing: z.array(z.string()) });

export const syncErrorCodes = [
  'unauthorized', // no token, unknown token, revoked token
  'forbidden', // the device id does not match the token
  'bad_request', // malformed JSON, wrong types, unknown keys
  'too_large', // body or batch over the limit
  'gap', // the push starts after a sequence the server lacks: resend from lastApplied + 1
  'clock_skew', // a change stamped more than 5 minutes ahead of the server's clock
  'hash_mismatch', // an uploaded document whose bytes do not match its name
  'not_found',
  'rate_limited',
  'internal',
] as const;
export type SyncErrorCode = (typeof syncErrorCodes)[number];

export const syncErrorSchema = z.object({
  error: z.enum(syncErrorCodes),
  message: z.string(),
  /** gap: the last sequence the server applied for this device. */
  lastApplied: z.number().int().optional(),
  /** clock_skew: the server's clock, so the device can say by how much its own is wrong. */
  serverTime: z.number().int().optional(),
});
export type SyncError = z.infer<typeof syncErrorSchema>;
