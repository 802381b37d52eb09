import { z } from 'zod';
import { businessDate, filterDateSchema, idSchema, instantSchema, optionalIdSchema, optionalText, pageInput, requiredText, yearsAhead } from './common';

export const jobStatuses = ['draft', 'open', 'on_hold', 'filled', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const workModes = ['onsite', 'hybrid', 'remote'] as const;
export const employmentTypes = ['full_time', 'part_time', 'contract', 'temporary', 'internship'] as const;
export const salaryPeriods = ['year', 'month', 'hour'] as const;
export const feeTypes = ['percentage', 'fixed', 'retainer'] as const;
export const guaranteePolicies = ['refund', 'replacement'] as const;
export const currencies = ['EUR', 'USD', 'GBP', 'CHF', 'MXN', 'COP', 'CLP', 'ARS', 'PEN', 'BRL', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN'] as const;

/**
 * Which status a posting may move to. Filled and cancelled postings can be reopened (a hire that fell
 * through, a client that unfroze the role); a draft cannot be filled without being opened first.
 */
export const statusTransitions: Record<JobStatus, readonly JobStatus[]> = {
  draft: ['open', 'cancelled'],
  open: ['on_hold', 'filled', 'cancelled'],
  on_hold: ['open', 'filled', 'cancelled'],
  filled: ['open'],
  cancelled: ['draft', 'open'],
};

export function canMove(from: JobStatus, to: JobStatus): boolean {
  return from === to || statusTransitions[from].includes(to);
}

const money = z.number({ message: 'invalid_number' }).int({ message: 'integer' }).min(0, { message: 'min' }).max(1e13).nullish().transform((v) => v ?? null);
const days = (max: number) => z.number({ message: 'invalid_number' }).int({ message: 'integer' }).min(0, { message: 'min' }).max(max, { message: 'max_value' }).nullish().transform((v) => v ?? null);

/** The fields of the posting modal, without the rules across fields (jobFieldRules). */
const jobFieldsObject = z.object({
  title: requiredText(160),
  status: z.enum(jobStatuses).default('draft'),
  closeReason: optionalText(500),
  openings: z.number({ message: 'invalid_number' }).int({ message: 'integer' }).min(1, { message: 'min' }).max(999, { message: 'max_value' }).default(1),
  location: optionalText(160),
  workMode: z.enum(workModes).nullish().transform((v) => v ?? null),
  employmentType: z.enum(employmentTypes).nullish().transform((v) => v ?? null),
  salaryMinMinor: money,
  salaryMaxMinor: money,
  salaryCurrency: z.enum(currencies, { message: 'invalid_currency' }).nullish().transform((v) => v ?? null),
  salaryPeriod: z.enum(salaryPeriods).nullish().transform((v) => v ?? null),
  feeType: z.enum(feeTypes).nullish().transform((v) => v ?? null),
  feePercent: z.number({ message: 'invalid_number' }).min(0, { message: 'min' }).max(100, { message: 'max_value' }).nullish().transform((v) => v ?? null),
  feeFixedMinor: money,
  retainerInstalments: z.number().int({ message: 'integer' }).min(1, { message: 'min' }).max(24, { message: 'max_value' }).nullish().transform((v) => v ?? null),
  paymentTermsDays: days(365),
  guaranteeDays: days(3650),
  guaranteePolicy: z.enum(guaranteePolicies).nullish().transform((v) => v ?? null),
  proRataDays: days(3650),
  cancellationFeeMinor: money,
  clauseNotes: optionalText(5000, { multiline: true }),
  probability: z.number({ message: 'invalid_number' }).int({ message: 'integer' }).min(0, { message: 'min' }).max(100, { message: 'max_value' }).nullish().transform((v) => v ?? null),
  expectedCloseDate: businessDate(yearsAhead.closeDate).nullish().transform((v) => v ?? null),
  ownerId: optionalIdSchema,
});

/** Rules across fields: a salary range needs its currency and period, a fee type its amounts, a closed posting its reason. */
function jobFieldRules(j: z.output<typeof jobFieldsObject>, ctx: z.RefinementCtx) {
  if (j.salaryMinMinor !== null && j.salaryMaxMinor !== null && j.salaryMinMinor > j.salaryMaxMinor) ctx.addIssue({ code: 'custom', path: ['salaryMaxMinor'], message: 'min_above_max' });
  if ((j.salaryMinMinor !== null || j.salaryMaxMinor !== null) && !j.salaryCurrency) ctx.addIssue({ code: 'custom', path: ['salaryCurrency'], message: 'required' });
  if ((j.salaryMinMinor !== null || j.salaryMaxMinor !== null) && !j.salaryPeriod) ctx.addIssue({ code: 'custom', path: ['salaryPeriod'], message: 'required' });
  if (j.feeType === 'percentage' && j.feePercent === null) ctx.addIssue({ code: 'custom', path: ['feePercent'], message: 'required' });
  if ((j.feeType === 'fixed' || j.feeType === 'retainer') && j.feeFixedMinor === null) ctx.addIssue({ code: 'custom', path: ['feeFixedMinor'], message: 'required' });
  if (j.feeType === 'retainer' && j.retainerInstalments === null) ctx.addIssue({ code: 'custom', path: ['retainerInstalments'], message: 'required' });
  if ((j.feeType === 'fixed' || j.feeType === 'retainer') && !j.salaryCurrency) ctx.addIssue({ code: 'custom', path: ['salaryCurrency'], message: 'required' });
  if ((j.status === 'filled' || j.status === 'cancelled') && !j.closeReason) ctx.addIssue({ code: 'custom', path: ['closeReason'], message: 'required' });
}

export const jobFieldsSchema = jobFieldsObject.superRefine(jobFieldRules);
export type JobFields = z.input<typeof jobFieldsSchema>;

export const forecastSchema = z.object({
  annualSalaryMinor: z.number().int().nullable(),
  feePerOpeningMinor: z.number().int().nullable(),
  expectedMinor: z.number().int().nullable(),
  weightedMinor: z.number().int().nullable(),
});

export const jobSchema = z.object({
  id: idSchema,
  clientId: idSchema,
  clientName: z.string(),
  code: z.string(),
  title: z.string(),
  status: z.enum(jobStatuses),
  closeReason: z.string().nullable(),
  openings: z.number().int(),
  location: z.string().nullable(),
  workMode: z.enum(workModes).nullable(),
  employmentType: z.enum(employmentTypes).nullable(),
  salaryMinMinor: z.number().int().nullable(),
  salaryMaxMinor: z.number().int().nullable(),
  salaryCurrency: z.string().nullable(),
  salaryPeriod: z.enum(salaryPeriods).nullable(),
  feeType: z.enum(feeTypes).nullable(),
  feePercent: z.number().nullable(),
  feeFixedMinor: z.number().int().nullable(),
  retainerInstalments: z.number().int().nullable(),
  paymentTermsDays: z.number().int().nullable(),
  guaranteeDays: z.number().int().nullable(),
  guaranteePolicy: z.enum(guaranteePolicies).nullable(),
  proRataDays: z.number().int().nullable(),
  cancellationFeeMinor: z.number().int().nullable(),
  clauseNotes: z.string().nullable(),
  probability: z.number().int().nullable(),
  expectedCloseDate: z.string().nullable(),
  ownerId: idSchema.nullable(),
  ownerName: z.string().nullable(),
  forecast: forecastSchema,
  createdAt: instantSchema,
  updatedAt: instantSchema,
  /** Bumped by every save; an update names the version it edited (CONFLICT when someone saved meanwhile). */
  version: z.number().int().min(1),
});
export type Job = z.infer<typeof jobSchema>;

export const jobFilterSchema = z.object({
  search: z.string().trim().max(200).default(''),
  statuses: z.array(z.enum(jobStatuses)).max(5).default([]),
  clientId: idSchema.nullable().default(null),
  areaIds: z.array(idSchema).max(100).default([]),
  ownerIds: z.array(idSchema).max(100).default([]),
  /** Salary filter in minor units against the posting's range (any period), e.g. postings paying at least 40 000. */
  salaryFromMinor: z.number().int().min(0).nullable().default(null),
  salaryToMinor: z.number().int().min(0).nullable().default(null),
  closeFrom: filterDateSchema.nullable().default(null),
  closeTo: filterDateSchema.nullable().default(null),
});
export type JobFilter = z.input<typeof jobFilterSchema>;

export const jobTotalsSchema = z.object({
  count: z.number().int(),
  openCount: z.number().int(),
  /** Open forecast (draft, open, on hold) per currency, never mixed. */
  byCurrency: z.array(z.object({ currency: z.string(), expectedMinor: z.number().int(), weightedMinor: z.number().int() })),
});
export type JobTotals = z.infer<typeof jobTotalsSchema>;

export const jobChannels = {
  'jobs.list': {
    input: jobFilterSchema.extend({ sort: z.enum(['created_at', 'title', 'expected_close_date']).default('created_at'), direction: z.enum(['asc', 'desc']).default('desc'), ...pageInput }).strict(),
    output: z.object({ rows: z.array(jobSchema), nextCursor: z.string().nullable() }),
  },
  'jobs.totals': {
    input: jobFilterSchema.strict(),
    output: jobTotalsSchema,
  },
  'jobs.get': {
    input: z.object({ id: idSchema }).strict(),
    output: jobSchema,
  },
  'jobs.create': {
    input: jobFieldsObject.extend({ clientId: idSchema }).strict().superRefine(jobFieldRules),
    output: jobSchema,
  },
  'jobs.update': {
    /** `version` as the user loaded it: saving over a newer change is a CONFLICT. */
    input: jobFieldsObject.extend({ id: idSchema, version: z.number().int().min(1) }).strict().superRefine(jobFieldRules),
    output: jobSchema,
  },
  'jobs.duplicate': {
    input: z.object({ id: idSchema }).strict(),
    output: jobSchema,
  },
  'jobs.delete': {
    /** The version the user saw, when they saw one: removing a record someone changed meanwhile is a CONFLICT. */
    input: z.object({ id: idSchema, version: z.number().int().min(1).optional() }).strict(),
    output: z.object({ id: idSchema }),
  },
} as const;
