import { z } from 'zod';
import { cursorSchema, idSchema, instantSchema } from './common';
import { clientSchema } from './clients';
import { duplicateDecisions, duplicateReasons } from './errors';

// The review of possible duplicates already in the database: pairs of clients the engine ties (found through
// its lookup keys, scored by it), "Not a duplicate" decisions, merges of two clients or of two contacts of one
// client, and their undo.

export const pairClientSchema = z.object({
  id: idSchema,
  code: z.string(),
  companyName: z.string(),
  email: z.string(),
  website: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: instantSchema,
});
export type PairClient = z.infer<typeof pairClientSchema>;

export const duplicatePairSchema = z.object({
  /** `<smaller id>:<larger id>`: the same pair whichever side it is read from. */
  key: z.string(),
  /** The engine's decision; null for a dismissed pair the engine no longer ties. */
  decision: z.enum(duplicateDecisions).nullable(),
  score: z.number().min(0).max(100),
  /** The engine's signals, strongest first: the page shows each with the two values it compared. */
  reasons: z.array(z.enum(duplicateReasons)),
  first: pairClientSchema,
  second: pairClientSchema,
});
export type DuplicatePair = z.infer<typeof duplicatePairSchema>;

/** The client fields a person picks between when merging (code, origin and dates stay the survivor's). */
export const mergeClientFields = [
  'companyName', 'email', 'areaId', 'phone', 'website', 'comments', 'status', 'ownerId', 'defaultFeePercent', 'defaultGuaranteeDays', 'defaultPaymentTermsDays',
] as const;
export type MergeClientField = (typeof mergeClientFields)[number];
export const mergeContactFields = ['name', 'role', 'email', 'phone', 'notes'] as const;
export type MergeContactField = (typeof mergeContactFields)[number];

export const contactSideSchema = z.object({
  id: idSchema,
  name: z.string(),
  role: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  notes: z.string().nullable(),
  isPrimary: z.boolean(),
  version: z.number().int(),
});

export const mergeOutcomeSchema = z.object({ mergeId: idSchema, kind: z.enum(['client', 'contact']), survivorId: idSchema, mergedId: idSchema, clientId: idSchema });
export type MergeOutcome = z.infer<typeof mergeOutcomeSchema>;

/** A merge of two records: the one kept, the one merged away, the versions compared, the fields taking the other's value. */
const mergeInput = <F extends readonly [string, ...string[]]>(fields: F) =>
  z
    .object({
      survivorId: idSchema,
      mergedId: idSchema,
      /** The versions the person compared: a record saved meanwhile is a CONFLICT. */
      survivorVersion: z.number().int(),
      mergedVersion: z.number().int(),
      /** Fields that take the merged-away record's value; every other field keeps the survivor's. */
      takeFromMerged: z.array(z.enum(fields)).max(fields.length).default([]),
    })
    .strict();

export const duplicateChannels = {
  'duplicates.list': {
    input: z
      .object({
        /** true: the pairs people marked "Not a duplicate" (to undo a decision). */
        dismissed: z.boolean().default(false),
        /** Only pairs with one of these clients (an import's possible duplicates). */
        clientIds: z.array(idSchema).max(1000).nullable().default(null),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: cursorSchema.default(null),
      })
      .strict(),
    output: z.object({ pairs: z.array(duplicatePairSchema), total: z.number().int(), nextCursor: z.string().nullable() }),
  },
  'duplicates.setDismissed': {
    input: z.object({ kind: z.enum(['client', 'contact']).default('client'), firstId: idSchema, secondId: idSchema, dismissed: z.boolean() }).strict(),
    output: z.object({ key: z.string(), dismissed: z.boolean() }),
  },
  'clients.merge': {
    input: mergeInput(mergeClientFields),
    output: mergeOutcomeSchema.extend({ survivor: clientSchema }),
  },
  'contacts.duplicates': {
    input: z.object({ clientId: idSchema }).strict(),
    output: z.object({
      pairs: z.array(z.object({ key: z.string(), reasons: z.array(z.string()), decision: z.enum(duplicateDecisions), first: contactSideSchema, second: contactSideSchema })),
    }),
  },
  'contacts.merge': {
    input: mergeInput(mergeContactFields),
    output: mergeOutcomeSchema,
  },
  'merges.undo': {
    input: z.object({ mergeId: idSchema }).strict(),
    output: mergeOutcomeSchema,
  },
} as const;
