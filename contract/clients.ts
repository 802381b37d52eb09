import { z } from 'zod';
import { filterDateSchema, idSchema, instantSchema, optionalIdSchema, optionalText, pageInput, requiredText } from './common';
import { duplicateMatchSchema } from './errors';

export const clientStatuses = ['active', 'paused', 'inactive'] as const;
export const clientStatusSchema = z.enum(clientStatuses);
export type ClientStatus = z.infer<typeof clientStatusSchema>;

/** One label of a host name: letters, digits and inner hyphens (a name in another script arrives as punycode). */
const hostLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** The last label of a public name: letters (com, es, museum) or an internationalised one (xn--…); never digits. */
const topLevelLabel = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
/** A path made to climb folders (`../`, `/./`), written with backslashes, or holding spaces: no website looks like that. */
const traversal = /(?:^|[/\\])\.{1,2}(?:[/\\?#]|$)|\\|\s/;

/**
 * A company's website as stored: an absolute http(s) URL (a bare domain typed by the user gets https://) whose
 * host is a public-looking name — two or more labels, the last of letters — with no credentials in it and no
 * path that climbs folders. IP addresses are refused (so is a bare number, which the URL parser reads as one:
 * `42` is `0.0.0.42`): a client's website is a name a colleague can open, and its domain is a duplicate key
 * (two companies on one hosting address are not the same company).
 */
export function readWebsite(text: string): string | null {
  if (traversal.test(text)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  const labels = url.hostname.split('.');
  if (labels.length < 2 || !labels.every((l) => hostLabel.test(l)) || !topLevelLabel.test(labels.at(-1)!)) return null;
  return url.toString().replace(/\/$/, '');
}

/** Websites are stored as an absolute http(s) URL under readWebsite's rule. */
export const websiteSchema = z
  .string()
  .trim()
  .max(300, { message: 'max' })
  .nullish()
  .transform((v) => (v ? v : null))
  .pipe(
    z
      .string()
      .transform((v, ctx) => {
        const url = readWebsite(v);
        if (url === null) {
          ctx.addIssue({ code: 'custom', message: 'invalid_url' });
          return z.NEVER;
        }
        return url;
      })
      .nullable(),
  );

/** The fields a recruiter types in the client modal; the same schema validates live in the renderer and again in main. */
export const clientFieldsSchema = z.object({
  companyName: requiredText(200),
  email: z
    .string()
    .trim()
    .min(1, { message: 'required' })
    .max(254, { message: 'max' })
    .pipe(z.email({ message: 'invalid_email' })),
  areaId: z.string().trim().min(1, { message: 'required' }).max(64),
  phone: optionalText(40),
  website: websiteSchema,
  comments: optionalText(5000, { multiline: true }),
  status: clientStatusSchema.default('active'),
  ownerId: optionalIdSchema,
  defaultFeePercent: z.number({ message: 'invalid_number' }).min(0, { message: 'min' }).max(100, { message: 'max_value' }).nullish().transform((v) => v ?? null),
  defaultGuaranteeDays: z.number({ message: 'invalid_number' }).int({ message: 'integer' }).min(0, { message: 'min' }).max(3650, { message: 'max_value' }).nullish().transform((v) => v ?? null),
  defaultPaymentTermsDays: z.number({ message: 'invalid_number' }).int({ message: 'integer' }).min(0, { message: 'min' }).max(365, { message: 'max_value' }).nullish().transform((v) => v ?? null),
});
export type ClientFields = z.input<typeof clientFieldsSchema>;
export type ParsedClientFields = z.output<typeof clientFieldsSchema>;

/** Ids of possible duplicates (warning level) the user has seen and chosen to save anyway. */
const acknowledgedDuplicates = { acknowledgedDuplicateIds: z.array(idSchema).max(50).default([]) };

export const duplicateCheckSchema = z.object({
  /** Same normalised email or company name: saving is blocked. */
  blocking: z.array(duplicateMatchSchema),
  /** Same website or email domain, or a similar name: the user may still save. */
  warnings: z.array(duplicateMatchSchema),
});
export type DuplicateCheck = z.infer<typeof duplicateCheckSchema>;

export const historyEntrySchema = z.object({
  id: idSchema,
  entity: z.string(),
  entityId: z.string().max(140),
  /** What the entry is about when it is not the client itself, e.g. the contact's name. */
  entityLabel: z.string().nullable(),
  operation: z.enum(['create', 'update', 'delete', 'restore']),
  /** A merge's entry: whether Undo still applies (the merge is not undone yet). */
  undoable: z.boolean().optional(),
  changes: z.array(
    z.object({
      field: z.string(),
      old: z.union([z.string(), z.number(), z.boolean(), z.null()]),
      new: z.union([z.string(), z.number(), z.boolean(), z.null()]),
      /** A colleague's value that was not applied: a later value written here won (it stays in the history). */
      lost: z.boolean().optional(),
      /** A colleague's value that replaced one written on this device. */
      replacedHere: z.boolean().optional(),
    }),
  ),
  /** Where the change was made: on this device, or on a colleague's (arrived by sync). */
  device: z.enum(['here', 'other']),
  note: z.string().nullable(),
  userName: z.string().nullable(),
  changedAt: instantSchema,
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const clientSchema = z.object({
  id: idSchema,
  code: z.string(),
  companyName: z.string(),
  email: z.string(),
  areaId: idSchema,
  areaName: z.string(),
  areaKey: z.string().nullable(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
  comments: z.string().nullable(),
  status: clientStatusSchema,
  ownerId: idSchema.nullable(),
  ownerName: z.string().nullable(),
  defaultFeePercent: z.number().nullable(),
  defaultGuaranteeDays: z.number().int().nullable(),
  defaultPaymentTermsDays: z.number().int().nullable(),
  leadId: idSchema.nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  archivedAt: instantSchema.nullable(),
  lastActivityAt: instantSchema.nullable(),
  version: z.number().int(),
});
export type Client = z.infer<typeof clientSchema>;

export const clientRowSchema = clientSchema
  .pick({
  id: true,
  code: true,
  companyName: true,
  email: true,
  areaId: true,
  areaName: true,
  areaKey: true,
  status: true,
  ownerId: true,
  ownerName: true,
  createdAt: true,
  lastActivityAt: true,
  })
  .extend({
    openJobs: z.number().int(),
    /** When the search matched one of the client's contacts rather than the client itself. */
    matchedContact: z.object({ name: z.string(), email: z.string().nullable() }).nullable(),
  });
export type ClientRow = z.infer<typeof clientRowSchema>;

// The pattern zod checks instants with (z.iso.datetime()), taken from the schema itself so both always agree.
// Should a zod release stop exposing it, nothing passes the hand check and every answer goes through zod.
const zodPattern = (instantSchema as unknown as { _zod?: { pattern?: unknown } })._zod?.pattern;
const instantPattern = zodPattern instanceof RegExp ? zodPattern : /(?!)/;
const rowKeys = Object.keys(clientRowSchema.shape).length;
/**
 * A plain object with as many own keys as the schema has: with every schema key checked by name (none of
 * them lives on Object.prototype), those are exactly the schema's keys, what zod would keep.
 */
const hasKeys = (v: Record<string, unknown>, count: number) => Object.getPrototypeOf(v) === Object.prototype && Object.keys(v).length === count;
const isId = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 64;
const isText = (v: unknown) => typeof v === 'string';
const isTextOrNull = (v: unknown) => v === null || typeof v === 'string';
const isInstant = (v: unknown) => typeof v === 'string' && instantPattern.test(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const statuses = new Set<unknown>(clientStatuses);

/**
 * The clients list's answer checked by hand, for the app's hottest path: zod takes 60–100 µs for a page of 100
 * rows, as much as a third of the list's SQL. True only for values the output schema accepts and returns
 * unchanged (the same fields, none more); the dispatcher sends anything else through zod, which stays the
 * authority (tests/unit/client-list.test.ts compares both on valid and broken answers).
 */
export function isClientListOutput(value: unknown): boolean {
  if (!isRecord(value) || !hasKeys(value, 2) || !isTextOrNull(value.nextCursor) || !Array.isArray(value.rows)) return false;
  for (const row of value.rows as unknown[]) {
    if (
      !isRecord(row) ||
      !hasKeys(row, rowKeys) ||
      !isId(row.id) ||
      !isText(row.code) ||
      !isText(row.companyName) ||
      !isText(row.email) ||
      !isId(row.areaId) ||
      !isText(row.areaName) ||
      !isTextOrNull(row.areaKey) ||
      !statuses.has(row.status) ||
      !(row.ownerId === null || isId(row.ownerId)) ||
      !isTextOrNull(row.ownerName) ||
      !isInstant(row.createdAt) ||
      !(row.lastActivityAt === null || isInstant(row.lastActivityAt)) ||
      !Number.isSafeInteger(row.openJobs)
    ) {
      return false;
    }
    const contact = row.matchedContact;
    if (contact !== null && !(isRecord(contact) && hasKeys(contact, 2) && isText(contact.name) && isTextOrNull(contact.email))) return false;
  }
  return true;
}

export const clientSorts = ['company_name', 'code', 'created_at', 'last_activity_at'] as const;
export const clientSortSchema = z.enum(clientSorts);
export type ClientSort = z.infer<typeof clientSortSchema>;

export const clientFilterSchema = z.object({
  search: z.string().trim().max(200).default(''),
  statuses: z.array(clientStatusSchema).max(3).default([]),
  areaIds: z.array(idSchema).max(100).default([]),
  ownerIds: z.array(idSchema).max(100).default([]),
  createdFrom: filterDateSchema.nullable().default(null),
  createdTo: filterDateSchema.nullable().default(null),
  includeArchived: z.boolean().default(false),
});
export type ClientFilter = z.input<typeof clientFilterSchema>;

export const moneyTotalSchema = z.object({ currency: z.string().length(3), amountMinor: z.number().int() });
export type MoneyTotal = z.infer<typeof moneyTotalSchema>;

export const clientMetricsSchema = z.object({
  total: z.number().int(),
  byStatus: z.object({ active: z.number().int(), paused: z.number().int(), inactive: z.number().int() }),
  newThisMonth: z.number().int(),
  eventsLast30Days: z.number().int(),
  openJobs: z.number().int(),
  /** Weighted revenue forecast of open postings, one total per currency (never mixed). */
  forecast: z.array(moneyTotalSchema),
});
export type ClientMetrics = z.infer<typeof clientMetricsSchema>;

export const clientListInputSchema = clientFilterSchema.extend({
  sort: clientSortSchema.default('created_at'),
  direction: z.enum(['asc', 'desc']).default('desc'),
  ...pageInput,
});
export type ClientListInput = z.input<typeof clientListInputSchema>;

export const clientChannels = {
  'clients.create': {
    input: clientFieldsSchema.extend(acknowledgedDuplicates).strict(),
    output: clientSchema,
  },
  'clients.update': {
    /** `version` is the one the user started editing: a save over a newer version is a CONFLICT, never a silent overwrite. */
    input: clientFieldsSchema.extend({ id: idSchema, version: z.number().int(), ...acknowledgedDuplicates }).strict(),
    output: clientSchema,
  },
  'clients.checkDuplicates': {
    input: z
      .object({
        companyName: z.string().max(200).default(''),
        email: z.string().max(254).default(''),
        website: z.string().max(300).nullish(),
        excludeId: idSchema.nullish(),
      })
      .strict(),
    output: duplicateCheckSchema,
  },
  'clients.get': {
    input: z.object({ id: idSchema }).strict(),
    output: z.object({
      client: clientSchema,
      counts: z.object({ contacts: z.number().int(), events: z.number().int(), jobs: z.number().int(), openJobs: z.number().int() }),
      satisfaction: z.object({ average: z.number().nullable(), latest: z.number().int().nullable(), count: z.number().int() }),
      /** A client merged into another is a tombstone: the client it lives on as (the last of a chain of merges). */
      mergedInto: z.object({ mergeId: idSchema, id: idSchema, code: z.string(), companyName: z.string() }).nullable(),
    }),
  },
  'clients.mergedByCode': {
    /** A code typed into the search: the client it was merged into, when it belongs to a merged-away client. */
    input: z.object({ code: z.string().max(60) }).strict(),
    output: z
      .object({ code: z.string(), companyName: z.string(), survivor: z.object({ id: idSchema, code: z.string(), companyName: z.string() }) })
      .nullable(),
  },
  'clients.archive': {
    input: z.object({ id: idSchema, version: z.number().int() }).strict(),
    output: clientSchema,
  },
  'clients.restore': {
    input: z.object({ id: idSchema, version: z.number().int() }).strict(),
    output: clientSchema,
  },
  'clients.history': {
    input: z.object({ clientId: idSchema, limit: z.number().int().min(1).max(200).default(50), cursor: z.string().max(40).nullable().default(null) }).strict(),
    output: z.object({ entries: z.array(historyEntrySchema), nextCursor: z.string().nullable() }),
  },
  'clients.metrics': {
    input: clientFilterSchema.strict(),
    output: clientMetricsSchema,
  },
  'clients.list': {
    input: clientListInputSchema.strict(),
    output: z.object({
      rows: z.array(clientRowSchema),
      nextCursor: z.string().nullable(),
    }),
    fastOutput: isClientListOutput,
  },
} as const;
