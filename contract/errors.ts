import { z } from 'zod';

/** The typed failures every handler may answer with; the renderer maps each to words a recruiter understands. */
export const errorCodes = ['VALIDATION', 'NOT_FOUND', 'DUPLICATE', 'CONFLICT', 'UNAUTHORIZED', 'INTERNAL'] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const fieldIssueSchema = z.object({
  /** Dotted path of the offending field, e.g. `email` or `contacts.0.phone`. */
  path: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

export const duplicateMatchSchema = z.object({
  id: z.string(),
  code: z.string(),
  companyName: z.string(),
  email: z.string(),
  /** Why it matched: `email`, `name`, `domain`, `email_domain`, `similar_name`. */
  reasons: z.array(z.string()),
});
export type DuplicateMatch = z.infer<typeof duplicateMatchSchema>;

export const apiErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  fields: z.array(fieldIssueSchema).optional(),
  matches: z.array(duplicateMatchSchema).optional(),
  /** CONFLICT on a save: the record as it is now (the channel's output shape), to show what changed meanwhile. */
  current: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** What crosses every transport: never a thrown error, so both transports behave identically. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** Thrown by handlers; the dispatcher turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldIssue[];
  readonly matches?: DuplicateMatch[];
  readonly current?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, extra: { fields?: FieldIssue[]; matches?: DuplicateMatch[]; current?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (extra.fields) this.fields = extra.fields;
    if (extra.matches) this.matches = extra.matches;
    if (extra.current) this.current = extra.current;
  }

  toApiError(): ApiError {
    const out: ApiError = { code: this.code, message: this.message };
    if (this.fields) out.fields = this.fields;
    if (this.matches) out.matches = this.matches;
    if (this.current) out.current = this.current;
    return out;
  }
}

export function issuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
