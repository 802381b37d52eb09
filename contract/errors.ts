import { z } from 'zod';

/** The typed failures every handler may answer with; the renderer maps each to words a recruiter understands. */
export const errorCodes = ['VALIDATION', 'NOT_FOUND', 'DUPLICATE', 'CONFLICT', 'BUSY', 'UNAUTHORIZED', 'INTERNAL'] as const;
export type ErrorCode = (typeof errorCodes)[number];

/**
 * Why a field was refused. The renderer words each code (with its params) in the user's language, so a code
 * never carries text or numbers of its own: `max` says "too long" and `params.max` says how long is allowed.
 * Params by code: `max` {max} (characters), `min` {min}, `max_value` {max}, `too_many` {max} (items),
 * `file_too_large` {limitMb} when the limit is known, `invalid_transition` {from, to} (job statuses),
 * `date_out_of_range` {min, max} (YYYY-MM-DD), `staging_full` {max, limitMb} (uploads in progress),
 * `job_not_open` {status} (a posting that takes no placement), `date_before_start` {start}.
 */
export const fieldErrorCodes = [
  // Shapes any schema can refuse.
  'required',
  'invalid',
  'invalid_email',
  'invalid_url',
  'invalid_phone',
  'invalid_number',
  'invalid_date',
  'invalid_currency',
  'integer',
  'max',
  'min',
  'max_value',
  'too_many',
  'min_above_max',
  'invalid_characters',
  'date_out_of_range',
  // References and rules checked in main.
  'unknown_area',
  'unknown_user',
  'unknown_status',
  'inactive_user',
  'current_user',
  'readonly',
  'invalid_transition',
  'duplicate_contact',
  'duplicate_view',
  'invalid_cursor',
  // Files, imports and restores.
  'file_too_large',
  'staging_full',
  'desktop_only',
  'not_a_backup',
  'unsupported_file',
  'pick_columns',
  'unknown_client',
  'ambiguous_client',
  'several_matches',
  'invalid_flag',
  // Values an import could not read (kept as warnings unless the run is strict).
  'future_date',
  'unknown_country',
  'several_emails',
  'contact_row',
  'continues_rejected',
  // Files refused before anything is read into the database.
  'old_excel',
  'invalid_xlsx',
  'empty_file',
  'table_too_large',
  'spreadsheet_suspicious',
  'backup_too_many_files',
  'backup_too_large',
  'backup_suspicious',
  'backup_record_too_large',
  'backup_damaged',
  'backup_not_usable',
  'task_running',
  'safety_copy_failed',
  'restore_failed',
  // Team sync (Settings → Team sync) and documents that live on a colleague's laptop.
  'token_refused',
  'device_mismatch',
  'unreachable',
  'not_a_server',
  'invalid_token',
  'document_not_synced',
  // Candidates and the pipeline.
  'already_applied',
  'job_not_open',
  'date_before_start',
  'unknown_stage',
  'stage_locked',
  'duplicate_stage',
  'not_replaceable',
  'unknown_job',
  'has_placements',
  'duplicate_person',
] as const;
export type FieldErrorCode = (typeof fieldErrorCodes)[number];
export const fieldErrorCodeSchema = z.enum(fieldErrorCodes);

/** Values a code is worded with ({max: 200}); never sentences. */
export const errorParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type ErrorParams = z.infer<typeof errorParamsSchema>;

export const fieldIssueSchema = z.object({
  /** Dotted path of the offending field, e.g. `email` or `contacts.0.phone`. */
  path: z.string(),
  /** The code of what is wrong (kept under the name `message`, which every transport and test already uses). */
  message: fieldErrorCodeSchema,
  params: errorParamsSchema.optional(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/**
 * The situation behind an error that is not about one field, for the renderer to word: which record was
 * not found, what changed meanwhile, why an import stopped. One list next to the field codes, so every
 * error a recruiter can see has a code with English and Spanish text (tests/unit/i18n.test.ts).
 */
export const errorReasons = [
  // NOT_FOUND
  'client_not_found',
  'contact_not_found',
  'event_not_found',
  'job_not_found',
  'lead_not_found',
  'candidate_not_found',
  'application_not_found',
  'placement_not_found',
  'stage_not_found',
  'user_not_found',
  'view_not_found',
  'document_not_found',
  'file_not_found',
  'task_not_found',
  'unknown_channel',
  // CONFLICT: a save or removal named a version someone else replaced meanwhile.
  'client_changed',
  'contact_changed',
  'event_changed',
  'job_changed',
  'lead_changed',
  'candidate_changed',
  'application_changed',
  'placement_changed',
  // CONFLICT: a database constraint refused the write (data saved meanwhile, elsewhere).
  'data_changed',
  'upload_interrupted',
  // DUPLICATE
  'duplicate_client',
  'possible_duplicate',
  'restore_duplicate',
  'duplicate_person',
  'possible_duplicate_person',
  // VALIDATION that no single input of the form can show.
  'lead_needs_client_data',
  // Merges: two records that cannot be merged (one removed, the same one, contacts of two clients), one whose
  // merge would be larger than one sync request, an undo already done, an undo whose survivor was merged since.
  'merge_not_possible',
  'merge_too_large',
  'merge_already_undone',
  'merge_undo_blocked',
  'import_mapping_incomplete',
  'import_mapping_mixed',
  // INTERNAL
  'import_stopped',
  'unexpected_answer',
  'app_unreachable',
] as const;
export type ErrorReason = (typeof errorReasons)[number];

/** The signals of the duplicate engine (main/duplicates/companies.ts says what each means). */
export const duplicateReasons = ['email', 'name', 'domain', 'email_domain', 'similar_name', 'brand', 'acronym'] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];
/** `block`: the same company, saving is refused; `warn`: worth a look, the user may save anyway. */
export const duplicateDecisions = ['block', 'warn'] as const;
export type DuplicateDecision = (typeof duplicateDecisions)[number];

export const duplicateMatchSchema = z.object({
  id: z.string(),
  code: z.string(),
  /** The client's name; for a person, their current employer ('' when unknown). */
  companyName: z.string(),
  email: z.string(),
  /**
   * Why it matched: for clients the engine's signals (contract/errors.ts duplicateReasons); for people
   * (contract/people.ts) `email`, `phone`, `name_company`. Stored lists may hold a reason of another version:
   * kept, shown as a likeness.
   */
  reasons: z.array(z.string()),
  /** The engine's decision: the renderer shows it, never derives it (lists stored before it existed were warnings). */
  decision: z.enum(duplicateDecisions).default('warn'),
  /** 0–100: how strongly the signals say it is the same company. */
  score: z.number().min(0).max(100).default(50),
  /** A person match (main/duplicates/people.ts): what kind of record, the person's name and phone. */
  kind: z.enum(['client', 'candidate', 'contact']).optional(),
  name: z.string().optional(),
  phone: z.string().nullable().optional(),
});
export type DuplicateMatch = z.infer<typeof duplicateMatchSchema>;

export const apiErrorSchema = z.object({
  code: z.enum(errorCodes),
  /** English, for logs and developers; the renderer words the error from `code`, `reason` and `fields`. */
  message: z.string(),
  reason: z.enum(errorReasons).optional(),
  params: errorParamsSchema.optional(),
  fields: z.array(fieldIssueSchema).optional(),
  matches: z.array(duplicateMatchSchema).optional(),
  /** CONFLICT on a save: the record as it is now (the channel's output shape), to show what changed meanwhile. */
  current: z.record(z.string(), z.unknown()).optional(),
  /** BUSY: the same request may succeed if sent again in a moment. */
  retryable: z.boolean().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** What crosses every transport: never a thrown error, so both transports behave identically. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };

const extraKeys = ['reason', 'params', 'fields', 'matches', 'current', 'retryable'] as const;

interface AppErrorExtra {
  reason?: ErrorReason;
  params?: ErrorParams;
  fields?: FieldIssue[];
  matches?: DuplicateMatch[];
  current?: Record<string, unknown>;
  retryable?: boolean;
}

/** Thrown by handlers; the dispatcher turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly reason?: ErrorReason;
  readonly params?: ErrorParams;
  readonly fields?: FieldIssue[];
  readonly matches?: DuplicateMatch[];
  readonly current?: Record<string, unknown>;
  readonly retryable?: boolean;

  constructor(code: ErrorCode, message: string, extra: AppErrorExtra = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    for (const key of extraKeys) if (extra[key] !== undefined) Object.assign(this, { [key]: extra[key] });
  }

  toApiError(): ApiError {
    const out: ApiError = { code: this.code, message: this.message };
    for (const key of extraKeys) if (this[key] !== undefined) Object.assign(out, { [key]: this[key] });
    return out;
  }
}

const codes = new Set<string>(fieldErrorCodes);
export const isFieldErrorCode = (value: string): value is FieldErrorCode => codes.has(value);

/** The limit a size issue carries: zod's own number, or the one an older `max:200`-style message named. */
function limitOf(issue: z.core.$ZodIssue, written: string | undefined): number | undefined {
  if (written !== undefined && written !== '' && Number.isFinite(Number(written))) return Number(written);
  const bound = 'maximum' in issue ? issue.maximum : 'minimum' in issue ? issue.minimum : undefined;
  return bound === undefined ? undefined : Number(bound);
}

/** The code zod's own issue means, for schemas that set no message (or an English one). */
function codeFromIssue(issue: z.core.$ZodIssue): FieldErrorCode {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return 'integer';
      if (issue.expected === 'number') return 'invalid_number';
      return issue.input === undefined || issue.input === null ? 'required' : 'invalid';
    case 'invalid_format':
      if (issue.format === 'email') return 'invalid_email';
      if (issue.format === 'url') return 'invalid_url';
      if (issue.format === 'date' || issue.format === 'datetime') return 'invalid_date';
      return 'invalid';
    case 'too_big':
      if (issue.origin === 'string') return 'max';
      if (issue.origin === 'array' || issue.origin === 'set') return 'too_many';
      return 'max_value';
    case 'too_small':
      if (issue.origin === 'string' || issue.origin === 'array') return 'required';
      return 'min';
    default:
      return 'invalid';
  }
}

/**
 * One zod issue as a field code with its params. A schema's message names a code (`required`, `max`, or the
 * older `max:200`); zod's default English messages become the code their issue means, so no raw sentence
 * ever reaches a form.
 */
export function issueFromZod(issue: z.core.$ZodIssue): Pick<FieldIssue, 'message' | 'params'> {
  const [name = '', written] = issue.message.split(':');
  const code = isFieldErrorCode(name) ? name : codeFromIssue(issue);
  if (code === 'max' || code === 'max_value' || code === 'too_many') {
    const max = limitOf(issue, written);
    return max === undefined ? { message: code } : { message: code, params: { max } };
  }
  if (code === 'min') {
    const min = limitOf(issue, written);
    return min === undefined ? { message: code } : { message: code, params: { min } };
  }
  // A file size bounded in the schema is a number of bytes: its limit is said in MB.
  if (code === 'file_too_large' && issue.code === 'too_big' && issue.origin === 'number') return { message: code, params: { limitMb: Math.floor(Number(issue.maximum) / 1024 / 1024) } };
  // A custom issue may carry its params (`date_out_of_range` its {min, max}).
  if (issue.code === 'custom' && issue.params) {
    const params = errorParamsSchema.safeParse(issue.params);
    if (params.success && Object.keys(params.data).length) return { message: code, params: params.data };
  }
  return { message: code };
}

export function issuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), ...issueFromZod(issue) }));
}
