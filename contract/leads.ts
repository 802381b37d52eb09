import { z } from 'zod';
import { businessInstant, idSchema, instantSchema, optionalIdSchema, optionalText, pageInput, requiredText, yearsAhead } from './common';
import { duplicateMatchSchema } from './errors';
import { eventSchema } from './events';

export const openStages = ['new', 'contacted', 'qualified', 'proposal', 'negotiation'] as const;
export const leadStages = [...openStages, 'won', 'lost'] as const;
export type LeadStage = (typeof leadStages)[number];

export const leadFieldsSchema = z.object({
  companyName: requiredText(200),
  contactName: optionalText(160),
  email: z.string().trim().max(254).nullish().transform((v) => (v ? v : null)).pipe(z.email({ message: 'invalid_email' }).nullable()),
  phone: optionalText(40),
  areaId: optionalIdSchema,
  source: optionalText(80),
  /** Won and lost come from recording a Won Deal or Lost Deal event, never from editing. */
  stage: z.enum(openStages).default('new'),
  ownerId: optionalIdSchema,
  expectedValueMinor: z.number().int().min(0, { message: 'min' }).max(1e13, { message: 'max_value' }).nullish().transform((v) => v ?? null),
  expectedValueCurrency: z.string().regex(/^[A-Z]{3}$/, { message: 'invalid_currency' }).nullish().transform((v) => v ?? null),
});
export type LeadFields = z.input<typeof leadFieldsSchema>;

export const leadSchema = z.object({
  id: idSchema,
  companyName: z.string(),
  contactName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  areaId: idSchema.nullable(),
  source: z.string().nullable(),
  stage: z.enum(leadStages),
  ownerId: idSchema.nullable(),
  ownerName: z.string().nullable(),
  expectedValueMinor: z.number().int().nullable(),
  expectedValueCurrency: z.string().nullable(),
  lostReason: z.string().nullable(),
  clientId: idSchema.nullable(),
  clientName: z.string().nullable(),
  /** Possible duplicates the won lead resembles, while it waits in the review queue. */
  reviewCandidates: z.array(duplicateMatchSchema).nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  /** Bumped by every save; an update names the version it edited (CONFLICT when someone saved meanwhile). */
  version: z.number().int().min(1),
});
export type Lead = z.infer<typeof leadSchema>;

export const conversionSchema = z.object({
  lead: leadSchema,
  /** created: a new client; linked: an existing client with the same email or name; existing: already converted; review: waits in "To review"; lost. */
  outcome: z.enum(['created', 'linked', 'existing', 'review', 'lost', 'recorded']),
  clientId: idSchema.nullable(),
});

export const leadChannels = {
  'leads.list': {
    input: z.object({ search: z.string().trim().max(200).default(''), stages: z.array(z.enum(leadStages)).max(7).default([]), ownerIds: z.array(idSchema).max(50).default([]), toReview: z.boolean().default(false), ...pageInput }).strict(),
    output: z.object({ rows: z.array(leadSchema), nextCursor: z.string().nullable() }),
  },
  'leads.get': { input: z.object({ id: idSchema }).strict(), output: leadSchema },
  'leads.create': { input: leadFieldsSchema.strict(), output: leadSchema },
  'leads.update': { input: leadFieldsSchema.extend({ id: idSchema, version: z.number().int().min(1) }).strict(), output: leadSchema },
  'leads.events': { input: z.object({ leadId: idSchema }).strict(), output: z.array(eventSchema) },
  /** Records an event on a lead; a Won Deal converts it into a client (exactly once), a Lost Deal closes it. */
  'leads.recordEvent': {
    input: z
      .object({
        leadId: idSchema,
        type: z.enum(['meeting', 'call', 'email', 'proposal', 'note', 'won_deal', 'lost_deal', 'other']),
        title: requiredText(200),
        occurredAt: businessInstant(yearsAhead.event),
        notes: optionalText(10_000, { multiline: true }),
        lostReason: optionalText(500),
      })
      .strict()
      .superRefine((e, ctx) => {
        if (e.type === 'lost_deal' && !e.lostReason) ctx.addIssue({ code: 'custom', path: ['lostReason'], message: 'required' });
      }),
    output: conversionSchema,
  },
  /** Settles a won lead waiting for review: link it to one of its candidates, or create a new client anyway. */
  'leads.resolveReview': {
    input: z.object({ leadId: idSchema, action: z.enum(['link', 'create']), clientId: idSchema.nullish() }).strict(),
    output: conversionSchema,
  },
} as const;
