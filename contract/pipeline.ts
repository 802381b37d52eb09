import { z } from 'zod';
import { dateSchema, idSchema, instantSchema, optionalText, requiredText } from './common';
import { currencies, feeTypes, guaranteePolicies, jobSchema, salaryPeriods } from './jobs';

// The pipeline: candidates applied to a client's job postings, moving through stages; a move to the placed
// stage is a placement (its start date, agreed salary, the fee it earns and its guarantee); a candidate who
// leaves inside the guarantee is recorded with the refund or replacement the clause gives (contract/placements.ts).

/**
 * What a stage means for the pipeline: `active` stages are the way to a hire (the list is editable: add, rename,
 * reorder, retire); `placed` makes a placement; `rejected` and `withdrawn` close the application.
 */
export const stageKinds = ['active', 'placed', 'rejected', 'withdrawn'] as const;
export type StageKind = (typeof stageKinds)[number];

/** Built-in stages: the same id on every laptop (`stage-<key>`), like the built-in areas, so a team shares them. */
export const builtInStages = [
  { key: 'applied', name: 'Applied', kind: 'active' },
  { key: 'screening', name: 'Screening', kind: 'active' },
  { key: 'client_interview', name: 'Client interview', kind: 'active' },
  { key: 'offer', name: 'Offer', kind: 'active' },
  { key: 'placed', name: 'Placed', kind: 'placed' },
  { key: 'rejected', name: 'Rejected', kind: 'rejected' },
  { key: 'withdrawn', name: 'Withdrawn', kind: 'withdrawn' },
] as const satisfies readonly { key: string; name: string; kind: StageKind }[];
export type BuiltInStageKey = (typeof builtInStages)[number]['key'];
export const builtInStageId = (key: string) => `stage-${key}`;
export const placedStageId = builtInStageId('placed');
export const appliedStageId = builtInStageId('applied');

export const stageSchema = z.object({
  id: idSchema,
  /** A built-in stage's key (its name is translated unless the team renamed it); null for stages the team added. */
  key: z.string().nullable(),
  name: z.string(),
  kind: z.enum(stageKinds),
  sortOrder: z.number().int(),
  active: z.boolean(),
});
export type Stage = z.infer<typeof stageSchema>;

const money = z.number({ message: 'invalid_number' }).int({ message: 'integer' }).min(0, { message: 'min' }).max(1e13, { message: 'max_value' });

export const settlements = ['none', 'refund', 'replacement'] as const;

export const placementSchema = z.object({
  id: idSchema,
  applicationId: idSchema,
  candidateId: idSchema,
  jobId: idSchema,
  startDate: dateSchema,
  salaryMinor: z.number().int(),
  salaryCurrency: z.string(),
  salaryPeriod: z.enum(salaryPeriods),
  /** The posting's terms when the candidate was placed: the fee's formula inputs, kept with it. */
  feeType: z.enum(feeTypes).nullable(),
  feePercent: z.number().nullable(),
  feeFixedMinor: z.number().int().nullable(),
  retainerInstalments: z.number().int().nullable(),
  annualSalaryMinor: z.number().int(),
  /** Earned by the placement (0 for a replacement or a posting without fee terms). */
  feeMinor: z.number().int(),
  guaranteeDays: z.number().int().nullable(),
  guaranteePolicy: z.enum(guaranteePolicies).nullable(),
  proRataDays: z.number().int().nullable(),
  guaranteeEndDate: dateSchema.nullable(),
  /** The placement this one replaces for free (it ended inside its guarantee with the replacement clause). */
  replacesId: idSchema.nullable(),
  /** The candidate's last day, when they left. */
  leftOn: dateSchema.nullable(),
  settlement: z.enum(settlements).nullable(),
  refundMinor: z.number().int(),
  /** A replacement placement made for this one, when one was. */
  replacedById: idSchema.nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  version: z.number().int().min(1),
});
export type Placement = z.infer<typeof placementSchema>;

export const applicationSchema = z.object({
  id: idSchema,
  candidateId: idSchema,
  candidateCode: z.string(),
  candidateName: z.string(),
  candidateTitle: z.string().nullable(),
  jobId: idSchema,
  jobCode: z.string(),
  jobTitle: z.string(),
  jobStatus: jobSchema.shape.status,
  clientId: idSchema,
  clientName: z.string(),
  stageId: idSchema,
  stageChangedAt: instantSchema,
  stageChangedByName: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  deletedAt: instantSchema.nullable(),
  version: z.number().int().min(1),
  /** The live placement, while the application is placed. */
  placement: placementSchema.nullable(),
});
export type Application = z.infer<typeof applicationSchema>;

/** What a move to the placed stage asks for; the fee and the guarantee follow from the posting's terms. */
export const placementInputSchema = z.object({
  startDate: dateSchema,
  salaryMinor: money,
  salaryCurrency: z.enum(currencies, { message: 'invalid_currency' }),
  salaryPeriod: z.enum(salaryPeriods),
  /** When this placement fills the posting's last opening: why it closes (defaults to the candidate's placement). */
  closeReason: optionalText(500),
  /** A free replacement for a placement of the same posting that ended inside its guarantee. */
  replacesId: idSchema.nullish().transform((v) => v ?? null),
});
export type PlacementInput = z.input<typeof placementInputSchema>;

export const stageMoveSchema = z.object({
  at: instantSchema,
  userName: z.string().nullable(),
  /** Null for the stage the application was created in. */
  fromStageId: idSchema.nullable(),
  toStageId: idSchema,
  device: z.enum(['here', 'other']),
});
export type StageMove = z.infer<typeof stageMoveSchema>;

const stageCountSchema = z.object({ stageId: idSchema, count: z.number().int() });

export const guaranteeEndingSchema = z.object({
  placementId: idSchema,
  candidateId: idSchema,
  candidateName: z.string(),
  jobId: idSchema,
  jobCode: z.string(),
  jobTitle: z.string(),
  clientId: idSchema,
  clientName: z.string(),
  startDate: dateSchema,
  guaranteeEndDate: dateSchema,
  guaranteePolicy: z.enum(guaranteePolicies).nullable(),
  feeMinor: z.number().int(),
  currency: z.string(),
});
export type GuaranteeEnding = z.infer<typeof guaranteeEndingSchema>;

export const pipelineChannels = {
  'stages.list': {
    input: z.object({ includeInactive: z.boolean().default(true) }).strict(),
    output: z.array(stageSchema),
  },
  'stages.create': {
    /** A new stage on the way to a hire, placed before the offer stage unless reordered. */
    input: z.object({ name: requiredText(60) }).strict(),
    output: stageSchema,
  },
  'stages.update': {
    input: z.object({ id: idSchema, name: requiredText(60), active: z.boolean() }).strict(),
    output: stageSchema,
  },
  'stages.reorder': {
    /** Every active-kind stage id in its new order (the placed, rejected and withdrawn stages stay last). */
    input: z.object({ ids: z.array(idSchema).min(1).max(50) }).strict(),
    output: z.array(stageSchema),
  },

  'applications.create': {
    input: z.object({ candidateId: idSchema, jobId: idSchema, stageId: idSchema.nullish().transform((v) => v ?? null), notes: optionalText(2000, { multiline: true }) }).strict(),
    output: applicationSchema,
  },
  'applications.move': {
    /** `placement` is required for a move to the placed stage; a move out of it removes the placement and gives the opening back. */
    input: z.object({ id: idSchema, version: z.number().int().min(1), stageId: idSchema, placement: placementInputSchema.nullish().transform((v) => v ?? null) }).strict(),
    output: applicationSchema,
  },
  'applications.remove': {
    input: z.object({ id: idSchema, version: z.number().int().min(1) }).strict(),
    output: z.object({ id: idSchema }),
  },
  'applications.list': {
    /** A candidate's applications, or a posting's. */
    input: z.object({ candidateId: idSchema.nullish().transform((v) => v ?? null), jobId: idSchema.nullish().transform((v) => v ?? null) }).strict(),
    output: z.array(applicationSchema),
  },
  'applications.pipeline': {
    input: z.object({ jobId: idSchema }).strict(),
    output: z.object({
      job: jobSchema,
      /** Active stages, and retired ones that still hold applications, in pipeline order. */
      stages: z.array(stageSchema),
      applications: z.array(applicationSchema),
      counts: z.array(stageCountSchema),
      /** Placements of this posting that ended inside their guarantee with a replacement owed, not yet replaced. */
      replacementsOwed: z.array(z.object({ placementId: idSchema, candidateName: z.string(), leftOn: dateSchema })),
    }),
  },
  'applications.counts': {
    /** Live applications of each posting: in all, on the way (active stages) and placed. */
    input: z.object({ jobIds: z.array(idSchema).max(500) }).strict(),
    output: z.array(z.object({ jobId: idSchema, total: z.number().int(), active: z.number().int(), placed: z.number().int() })),
  },
  'applications.clientTotals': {
    /** The pipeline of every open posting (open or on hold) of a client, counted by stage. */
    input: z.object({ clientId: idSchema }).strict(),
    output: z.object({ openPostings: z.number().int(), total: z.number().int(), counts: z.array(stageCountSchema) }),
  },
  'applications.history': {
    /** Who moved the application, when, from which stage to which (from the change log). */
    input: z.object({ id: idSchema }).strict(),
    output: z.array(stageMoveSchema),
  },
  'placements.recordDeparture': {
    /** The candidate's last day (null clears a departure recorded by mistake); the clause's refund or replacement follows. */
    input: z.object({ id: idSchema, version: z.number().int().min(1), leftOn: dateSchema.nullable() }).strict(),
    output: placementSchema,
  },
} as const;
