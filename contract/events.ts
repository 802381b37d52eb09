import { z } from 'zod';
import { dateSchema, idSchema, instantSchema, optionalText, requiredText } from './common';

/** Types a recruiter records on a client. */
export const eventTypes = ['meeting', 'call', 'email', 'proposal', 'satisfaction_survey', 'note', 'won_deal', 'other'] as const;
export const eventTypeSchema = z.enum(eventTypes);
/** Every type an event can have, including "lost deal", which only exists on leads. */
export const allEventTypes = [...eventTypes, 'lost_deal'] as const;
export type EventType = (typeof allEventTypes)[number];
export type ClientEventType = (typeof eventTypes)[number];
export const proposalStates = ['sent', 'accepted', 'rejected'] as const;

/** A document sent with a create or update: its name, type and bytes (base64, JSON-safe on every transport). */
export const newAttachmentSchema = z.object({
  fileName: z.string().min(1).max(255),
  mimeType: z.string().max(127).default('application/octet-stream'),
  contentBase64: z.string().max(50 * 1024 * 1024, { message: 'file_too_large' }),
});

export const eventFieldsSchema = z
  .object({
    type: eventTypeSchema,
    title: requiredText(200),
    occurredAt: instantSchema,
    notes: optionalText(10_000),
    ownerIds: z.array(idSchema).max(20).default([]),
    score: z.number().int({ message: 'integer' }).min(0, { message: 'min' }).max(10, { message: 'max_value' }).nullish().transform((v) => v ?? null),
    amountMinor: z.number().int().min(0, { message: 'min' }).nullish().transform((v) => v ?? null),
    amountCurrency: z.string().regex(/^[A-Z]{3}$/, { message: 'invalid_currency' }).nullish().transform((v) => v ?? null),
    proposalState: z.enum(proposalStates).nullish().transform((v) => v ?? null),
    attachments: z.array(newAttachmentSchema).max(20).default([]),
  })
  .superRefine((e, ctx) => {
    if (e.type === 'satisfaction_survey' && e.score === null) ctx.addIssue({ code: 'custom', path: ['score'], message: 'required' });
    if (e.type === 'proposal' && e.amountMinor !== null && !e.amountCurrency) ctx.addIssue({ code: 'custom', path: ['amountCurrency'], message: 'required' });
  });
export type EventFields = z.input<typeof eventFieldsSchema>;

export const attachmentSchema = z.object({ id: idSchema, fileName: z.string(), mimeType: z.string(), sizeBytes: z.number().int() });
export type Attachment = z.infer<typeof attachmentSchema>;

export const eventSchema = z.object({
  id: idSchema,
  clientId: idSchema.nullable(),
  leadId: idSchema.nullable(),
  type: z.enum(allEventTypes),
  title: z.string(),
  notes: z.string().nullable(),
  occurredAt: instantSchema,
  score: z.number().int().nullable(),
  amountMinor: z.number().int().nullable(),
  amountCurrency: z.string().nullable(),
  proposalState: z.enum(proposalStates).nullable(),
  owners: z.array(z.object({ id: idSchema, name: z.string(), active: z.boolean() })),
  attachments: z.array(attachmentSchema),
  createdByName: z.string().nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  /** Bumped by every save; an update names the version it edited (CONFLICT when someone saved meanwhile). */
  version: z.number().int().min(1),
});
export type ClientEvent = z.infer<typeof eventSchema>;

export const eventFilterSchema = z.object({
  clientId: idSchema,
  types: z.array(eventTypeSchema).max(8).default([]),
  ownerIds: z.array(idSchema).max(50).default([]),
  from: dateSchema.nullable().default(null),
  to: dateSchema.nullable().default(null),
  search: z.string().trim().max(200).default(''),
});

export const activityItemSchema = z.object({
  id: z.string(),
  kind: z.enum(['event', 'job', 'profile', 'contact']),
  at: instantSchema,
  /** Event type for events; the change-log operation otherwise. */
  detail: z.string(),
  title: z.string(),
  userName: z.string().nullable(),
});
export type ActivityItem = z.infer<typeof activityItemSchema>;

export const eventChannels = {
  'events.list': {
    input: eventFilterSchema.extend({ limit: z.number().int().min(1).max(200).default(50), cursor: z.string().max(200).nullable().default(null) }).strict(),
    output: z.object({ rows: z.array(eventSchema), nextCursor: z.string().nullable() }),
  },
  'events.create': {
    input: eventFieldsSchema.and(z.object({ clientId: idSchema })),
    output: eventSchema,
  },
  'events.update': {
    input: eventFieldsSchema.and(z.object({ id: idSchema, version: z.number().int().min(1), removeAttachmentIds: z.array(idSchema).max(50).default([]) })),
    output: eventSchema,
  },
  'events.delete': {
    /** The version the user saw, when they saw one: removing a record someone changed meanwhile is a CONFLICT. */
    input: z.object({ id: idSchema, version: z.number().int().min(1).optional() }).strict(),
    output: z.object({ id: idSchema }),
  },
  'events.restore': {
    input: z.object({ id: idSchema }).strict(),
    output: eventSchema,
  },
  'attachments.get': {
    input: z.object({ id: idSchema }).strict(),
    output: attachmentSchema.extend({ contentBase64: z.string() }),
  },
  'attachments.open': {
    input: z.object({ id: idSchema }).strict(),
    /** opened: handed to the system's default app; shown: an executable or script, revealed in its folder; download: no desktop (browser shell). */
    output: z.object({ action: z.enum(['opened', 'shown', 'download']) }),
  },
  'clients.activity': {
    input: z.object({ clientId: idSchema, limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.array(activityItemSchema),
  },
} as const;
