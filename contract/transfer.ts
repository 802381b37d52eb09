import { z } from 'zod';
import { idSchema, plainText, requiredText } from './common';
import { clientFilterSchema, clientSortSchema, clientStatuses } from './clients';
import { apiErrorSchema, duplicateMatchSchema, fieldErrorCodes, fieldIssueSchema } from './errors';

// Moving client data in and out of the app: exports (CSV, Excel, a zip dossier), imports with column
// mapping and duplicate handling, and the background tasks and staged files they run on. Files never cross
// the contract as paths the renderer chose: main stages them (uploaded, picked in a dialog, or produced by
// an export) and hands out an opaque id.

/** A file main holds for the renderer: an upload, a file picked in the desktop dialog, or an export's output. */
export const stagedFileSchema = z.object({
  fileId: idSchema,
  fileName: z.string(),
  sizeBytes: z.number().int().min(0),
  mimeType: z.string(),
});
export type StagedFile = z.infer<typeof stagedFileSchema>;

/** Upload chunks: 2 MiB of bytes each (base64 in JSON), appended in order. */
export const uploadChunkBytes = 2 * 1024 * 1024;
/** The largest file an upload may announce: a document at the largest limit Settings allows (1024 MB). */
export const maxUploadMb = 1024;
export const maxUploadBytes = maxUploadMb * 1024 * 1024;
/**
 * Uploads in progress (announced, not yet complete) at any one time: at most this many, announcing at most
 * this many bytes in all. An upload that went quiet for uploadIdleMinutes gives its room to a new one.
 */
export const maxPendingUploads = 8;
export const maxPendingUploadMb = 2048;
export const uploadIdleMinutes = 10;

// ── Export of the client list ────────────────────────────────────────────────────────────────────────

/** Columns a user can pick for a list export, in their default order. Related data is written as names. */
export const clientExportColumns = [
  'code', 'companyName', 'email', 'area', 'status', 'owner', 'phone', 'website', 'comments',
  'primaryContact', 'primaryContactEmail', 'primaryContactPhone', 'contacts', 'openJobs', 'events',
  'defaultFeePercent', 'defaultGuaranteeDays', 'defaultPaymentTermsDays',
  'createdAt', 'updatedAt', 'lastActivityAt', 'archivedAt',
] as const;
export type ClientExportColumn = (typeof clientExportColumns)[number];
/** Picked unless the user unticks them. */
export const defaultExportColumns: ClientExportColumn[] = ['code', 'companyName', 'email', 'area', 'status', 'owner', 'phone', 'website', 'primaryContact', 'createdAt', 'lastActivityAt'];

export const exportFormats = ['csv', 'xlsx'] as const;
export const csvDelimiters = [',', ';', '\t'] as const;

/** Status and area names in the user's language, as the export writes them (areas default to their stored name). */
const exportLabelsSchema = z.object({
  statuses: z.partialRecord(z.enum(clientStatuses), plainText(80)).default({}),
  areas: z.record(idSchema, plainText(120)).default({}),
});

/** Other names a file may use for a status or an area (the UI's words in every language), besides the stored ones. */
const importAliasesSchema = z.object({
  statuses: z.partialRecord(z.enum(clientStatuses), z.array(z.string().max(80)).max(10)).default({}),
  areas: z.record(idSchema, z.array(z.string().max(120)).max(10)).default({}),
});
export type ImportAliases = z.output<typeof importAliasesSchema>;

export const clientExportInputSchema = z
  .object({
    filter: clientFilterSchema,
    sort: clientSortSchema.default('created_at'),
    direction: z.enum(['asc', 'desc']).default('desc'),
    format: z.enum(exportFormats),
    delimiter: z.enum(csvDelimiters).default(','),
    columns: z
      .array(z.object({ key: z.enum(clientExportColumns), header: requiredText(80) }))
      .min(1, { message: 'pick_columns' })
      .max(clientExportColumns.length),
    labels: exportLabelsSchema.default({ statuses: {}, areas: {} }),
    /** File name without extension, e.g. "clients-2026-11-25". */
    baseName: requiredText(100).default('clients'),
  })
  .strict();
export type ClientExportInput = z.input<typeof clientExportInputSchema>;

// ── Import of clients and contacts ───────────────────────────────────────────────────────────────────

export const importTargets = ['clients', 'contacts', 'candidates'] as const;
export type ImportTarget = (typeof importTargets)[number];

/** What a column of the file can be mapped to. `*` marks required fields (per target below). */
export const clientImportFields = [
  'companyName', 'email', 'area', 'phone', 'country', 'website', 'comments', 'status', 'owner', 'clientSince',
  'defaultFeePercent', 'defaultGuaranteeDays', 'defaultPaymentTermsDays',
  'contactName', 'contactRole', 'contactEmail', 'contactPhone',
] as const;
// `country` is the phone country of the row (names in English and Spanish, ISO codes); `clientSince` a date
// that becomes the new client's creation date.
export const contactImportFields = ['client', 'name', 'role', 'email', 'phone', 'country', 'isPrimary', 'notes'] as const;
// Candidates: the same person twice (contract/people.ts: the same email, or the same name at the same employer
// when an email is missing) is skipped or updated, never copied.
export const candidateImportFields = ['fullName', 'email', 'phone', 'country', 'location', 'currentTitle', 'currentCompany', 'source', 'tags', 'owner', 'notes'] as const;
export const importFields = { clients: clientImportFields, contacts: contactImportFields, candidates: candidateImportFields } as const;
export type ImportField = (typeof clientImportFields)[number] | (typeof contactImportFields)[number] | (typeof candidateImportFields)[number];
export const requiredImportFields: Record<ImportTarget, readonly ImportField[]> = {
  // Area may come from the run's default instead of a column.
  clients: ['companyName', 'email'],
  contacts: ['client', 'name'],
  candidates: ['fullName'],
};
const importFieldSchema = z.enum([...new Set<ImportField>([...clientImportFields, ...contactImportFields, ...candidateImportFields])] as [ImportField, ...ImportField[]]);

/**
 * What happens to a row that matches an existing client under the blocking duplicate rules (same email or
 * name): skip it, update that client with the row's non-empty values, or create a new client anyway.
 */
export const duplicateModes = ['skip', 'update', 'create'] as const;
export type DuplicateMode = (typeof duplicateModes)[number];

const valueMapSchema = z.object({
  area: z.record(z.string().max(200), idSchema).default({}),
  status: z.record(z.string().max(200), z.enum(clientStatuses)).default({}),
  owner: z.record(z.string().max(200), idSchema).default({}),
});
export const mappableValueFields = ['area', 'status', 'owner'] as const;
export type MappableValueField = (typeof mappableValueFields)[number];

export const importOptionsSchema = z.object({
  fileId: idSchema,
  target: z.enum(importTargets),
  /** For each column of the file, in order: the field it fills, or null to ignore it. */
  mapping: z.array(importFieldSchema.nullable()).max(500),
  duplicateMode: z.enum(duplicateModes).default('skip'),
  /** Used where the file has no area / status / owner column or the cell is empty. */
  defaults: z
    .object({
      areaId: idSchema.nullable().default(null),
      status: z.enum(clientStatuses).default('active'),
      ownerId: idSchema.nullable().default(null),
    })
    .default({ areaId: null, status: 'active', ownerId: null }),
  /**
   * What happens to a row with an optional value that cannot be read (a phone, website, status, owner, date,
   * number or contact detail that fails its rule). Off (the default): the row is imported without that value,
   * with a warning that keeps the original text. On: the row is rejected, as required fields always are.
   */
  rejectUnreadable: z.boolean().default(false),
  /** So "Activo" or "Tecnología" in a file read as the status and area they name. */
  aliases: importAliasesSchema.default({ statuses: {}, areas: {} }),
  /** The user's answer for values the app did not recognise: "Sanidad" → the Healthcare area's id. */
  valueMap: valueMapSchema.default({ area: {}, status: {}, owner: {} }),
  /**
   * The rejected-rows report's words in the user's language (`header.line`, `outcome.reject`,
   * `field.email`, `error.invalid_email`, …); main falls back to English for any key missing.
   */
  reportText: z.record(z.string().max(60), plainText(300)).default({}),
});
export type ImportOptions = z.input<typeof importOptionsSchema>;
export type ParsedImportOptions = z.output<typeof importOptionsSchema>;

/** `contact`: a row that only adds a contact to the client of the rows above it (a company cell merged over several rows). */
export const importOutcomes = ['create', 'update', 'contact', 'skip', 'reject'] as const;
export type ImportOutcome = (typeof importOutcomes)[number];

/**
 * What was done with a value that could not be read: `cleared` imported as empty; `default` the run's default
 * (status, owner); `today` the import date (client since); `default_country` the default phone country;
 * `kept` the existing client's value stays (update); `first_kept` only the first of several emails;
 * `contact_skipped` the row's contact was not created; `ignored` a client cell on a row that only adds a contact.
 */
export const importWarningActions = ['cleared', 'default', 'today', 'default_country', 'kept', 'first_kept', 'contact_skipped', 'ignored'] as const;
export type ImportWarningAction = (typeof importWarningActions)[number];

/** An optional value of a row that was not imported as written: which field, why, the text in the file, and what was done. */
export const importWarningSchema = z.object({
  path: z.string(),
  /** Why the value could not be read, as a field error code (contract/errors.ts) with its params. */
  message: z.enum(fieldErrorCodes),
  params: fieldIssueSchema.shape.params,
  value: z.string(),
  action: z.enum(importWarningActions),
});
export type ImportWarning = z.infer<typeof importWarningSchema>;

/** Rows skipped for what they are rather than what they say: a header repeated mid-file, a totals row, a contact the client already has. */
export const importSkipReasons = ['repeated_header', 'totals_row', 'existing_contact'] as const;

export const importRowCheckSchema = z.object({
  /** Line of the row in the file (1 = header), as a spreadsheet shows it. */
  line: z.number().int(),
  cells: z.array(z.string()),
  outcome: z.enum(importOutcomes),
  errors: z.array(fieldIssueSchema),
  /** Existing clients the row matches: blocking ones decide the outcome, the rest are warnings. */
  matches: z.array(duplicateMatchSchema),
  /** An earlier row of the same file with the same email or name (or, for contacts, the same person). */
  sameAsLine: z.number().int().nullable(),
  /** Earlier rows of the same file the row resembles (same domain, similar name): warnings, like `matches`. */
  similarLines: z.array(z.object({ line: z.number().int(), reasons: z.array(z.string()) })),
  /** Optional values not imported as written (in strict mode these are `errors` instead). */
  warnings: z.array(importWarningSchema),
  /** For a row that adds a contact to the client of the rows above: the line of that client's row. */
  continuesLine: z.number().int().nullable(),
  skipReason: z.enum(importSkipReasons).nullable(),
});
export type ImportRowCheck = z.infer<typeof importRowCheckSchema>;

export const importSummarySchema = z.object({
  dryRun: z.boolean(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  rejected: z.number().int(),
  /** Rows that added a contact to the client of the rows above (outcome `contact`). */
  contacts: z.number().int(),
  /** Created or updated although they resemble other clients (same domain, similar name). */
  warned: z.number().int(),
  /** Saved with one or more optional values not imported as written (each listed in the report). */
  valueWarnings: z.number().int(),
  /** Completely empty rows between the header and the last row, skipped. `rows + empty` is every line after the header. */
  empty: z.number().int(),
  /** Rows the report lists: rejected, skipped, and saved with warnings of either kind. */
  reported: z.number().int(),
  /** Rows per second, for the record. */
  rowsPerSecond: z.number(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const restoreSummarySchema = z.object({
  clients: z.number().int(),
  restored: z.number().int(),
  /** Already in this database (same id): left as they are. */
  alreadyPresent: z.number().int(),
  /**
   * Not restored: a client another client already is (same code, email or name), a candidate another candidate
   * already is (the same-person rule, or the same code), an application whose posting is not here, a placement
   * whose application is not here. `code` and `companyName` are the record's code and name (a candidate's full name).
   */
  conflicts: z.array(z.object({ kind: z.enum(['client', 'candidate', 'application', 'placement']), code: z.string(), companyName: z.string(), reason: z.string() })),
  contacts: z.number().int(),
  events: z.number().int(),
  jobs: z.number().int(),
  documents: z.number().int(),
  /** The candidates of the backup (none in a backup made before candidates existed). */
  candidates: z.object({
    total: z.number().int(),
    restored: z.number().int(),
    alreadyPresent: z.number().int(),
    documents: z.number().int(),
    applications: z.number().int(),
    placements: z.number().int(),
  }),
});
export type RestoreSummary = z.infer<typeof restoreSummarySchema>;

// ── Background tasks ─────────────────────────────────────────────────────────────────────────────────

export const taskKinds = ['export', 'import', 'dossier', 'restore'] as const;
export type TaskKind = (typeof taskKinds)[number];

export const taskResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('export'), file: stagedFileSchema, rows: z.number().int() }),
  z.object({
    kind: z.literal('import'),
    summary: importSummarySchema,
    report: stagedFileSchema.nullable(),
    /** Existing clients that saved rows resemble (possible duplicates): the review page lists their pairs. */
    duplicateClientIds: z.array(z.string()).max(1000).default([]),
  }),
  z.object({ kind: z.literal('dossier'), file: stagedFileSchema, clients: z.number().int(), documents: z.number().int() }),
  z.object({ kind: z.literal('restore'), summary: restoreSummarySchema }),
]);
export type TaskResult = z.infer<typeof taskResultSchema>;

export const taskSchema = z.object({
  id: idSchema,
  kind: z.enum(taskKinds),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** What it is doing now, e.g. `rows`, `documents`, `zip`. */
  phase: z.string(),
  done: z.number().int(),
  total: z.number().int().nullable(),
  result: taskResultSchema.nullable(),
  error: apiErrorSchema.nullable(),
});
export type Task = z.infer<typeof taskSchema>;

const fileFilter = z.enum(['table', 'backup']);

export const transferChannels = {
  'files.beginUpload': {
    input: z.object({ fileName: requiredText(255), sizeBytes: z.number().int().min(0).max(maxUploadBytes, { message: 'file_too_large' }) }).strict(),
    output: stagedFileSchema,
  },
  'files.appendUpload': {
    input: z
      .object({ fileId: idSchema, offset: z.number().int().min(0), chunkBase64: z.string().max(Math.ceil(uploadChunkBytes / 3) * 4, { abort: true }).pipe(z.base64({ message: 'invalid' })) })
      .strict(),
    output: z.object({ receivedBytes: z.number().int(), complete: z.boolean() }),
  },
  /** Desktop only: the system's open dialog; null when the user cancels it. */
  'files.pick': {
    input: z.object({ filter: fileFilter }).strict(),
    output: z.object({ file: stagedFileSchema.nullable() }),
  },
  /** A slice of a staged file (browser shell downloads). */
  'files.read': {
    input: z.object({ fileId: idSchema, offset: z.number().int().min(0), length: z.number().int().min(1).max(uploadChunkBytes).default(uploadChunkBytes) }).strict(),
    output: z.object({ chunkBase64: z.string(), nextOffset: z.number().int().nullable() }),
  },
  /** Desktop only: the system's save dialog, then a copy of the staged file there; null when cancelled. */
  'files.saveAs': {
    input: z.object({ fileId: idSchema }).strict(),
    output: z.object({ savedPath: z.string().nullable() }),
  },
  /** Desktop only: reveal a file saved by `files.saveAs` in the system's file manager. */
  'files.showSaved': {
    input: z.object({ savedPath: z.string().max(4096) }).strict(),
    output: z.object({ shown: z.boolean() }),
  },
  'files.discard': {
    input: z.object({ fileId: idSchema }).strict(),
    output: z.object({ fileId: idSchema }),
  },

  'exports.clients': {
    input: clientExportInputSchema,
    output: z.object({ taskId: idSchema }),
  },
  'exports.dossier': {
    /** One client, or every client (archived ones too) when clientId is null. */
    input: z.object({ clientId: idSchema.nullable(), includeDocuments: z.boolean().default(true) }).strict(),
    output: z.object({ taskId: idSchema }),
  },

  /** Reads a staged CSV/Excel file: format, encoding, delimiter, headers, a sample, and a guessed mapping. */
  'imports.analyze': {
    input: z.object({ fileId: idSchema, target: z.enum(importTargets) }).strict(),
    output: z.object({
      format: z.enum(['csv', 'xlsx']),
      encoding: z.string().nullable(),
      delimiter: z.string().nullable(),
      headers: z.array(z.string()),
      sample: z.array(z.array(z.string())),
      rowCount: z.number().int(),
      /** Completely empty rows inside the table (skipped), and the first of their lines. */
      emptyRows: z.number().int(),
      emptyLines: z.array(z.number().int()),
      mapping: z.array(importFieldSchema.nullable()),
    }),
  },
  /** The distinct values of an area, status or owner column, each with what it is recognised as (null: not recognised). */
  'imports.values': {
    input: z
      .object({
        fileId: idSchema,
        column: z.number().int().min(0),
        field: z.enum(mappableValueFields),
        aliases: importAliasesSchema.default({ statuses: {}, areas: {} }),
      })
      .strict(),
    output: z.object({ values: z.array(z.object({ value: z.string(), count: z.number().int(), match: z.string().nullable() })), distinct: z.number().int() }),
  },
  /** Checks the first rows under a mapping, writing nothing: the preview with each row's errors and matches. */
  'imports.preview': {
    input: importOptionsSchema.extend({ limit: z.number().int().min(1).max(200).default(20) }).strict(),
    output: z.object({ rows: z.array(importRowCheckSchema), missingRequired: z.array(importFieldSchema) }),
  },
  /** The whole file, as a background task; a dry run checks every row and writes nothing. */
  'imports.start': {
    input: importOptionsSchema.extend({ dryRun: z.boolean().default(false) }).strict(),
    output: z.object({ taskId: idSchema }),
  },
  /** Restores a dossier zip made by `exports.dossier`: ids are kept, so restoring twice adds nothing. */
  'imports.restore': {
    input: z.object({ fileId: idSchema }).strict(),
    output: z.object({ taskId: idSchema }),
  },

  'tasks.get': {
    input: z.object({ taskId: idSchema }).strict(),
    output: taskSchema,
  },
  'tasks.cancel': {
    input: z.object({ taskId: idSchema }).strict(),
    output: taskSchema,
  },
} as const;
