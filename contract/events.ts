import { z } from 'zod';
import { businessInstant, filterDateSchema, idSchema, instantSchema, optionalText, requiredText, yearsAhead } from './common';
import { stagedFileSchema, uploadChunkBytes } from './transfer';

/** Types a recruiter records on a client. */
export const eventTypes = ['meeting', 'call', 'email', 'proposal', 'satisfaction_survey', 'note', 'won_deal', 'other'] as const;
export const eventTypeSchema = z.enum(eventTypes);
/** Every type an event can have, including "lost deal", which only exists on leads. */
export const allEventTypes = [...eventTypes, 'lost_deal'] as const;
export type EventType = (typeof allEventTypes)[number];
export type ClientEventType = (typeof eventTypes)[number];
export const proposalStates = ['sent', 'accepted', 'rejected'] as const;

/**
 * Documents up to this size may travel inside the request as base64 (one upload chunk); larger ones are sent
 * first through the staged upload (`files.beginUpload` / `files.appendUpload`) and named by their staged file
 * id, so any size up to the Settings limit (attachmentLimitMb, at most 1024 MB) arrives without a request body
 * of that size.
 */
export const inlineDocumentBytes = uploadChunkBytes;
/** The largest document `attachments.get` returns whole (as base64 in one answer). */
export const maxInlineDownloadBytes = 64 * 1024 * 1024;
const inlineBase64Chars = Math.ceil(inlineDocumentBytes / 3) * 4;

/** `type/subtype` as a browser or the system names a file's type (RFC 6838 characters); empty when unknown. */
export const mimeTypeSchema = z
  .string()
  .trim()
  .max(127, { message: 'max' })
  .regex(/^(?:[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*)?$/i, { message: 'invalid' })
  .default('application/octet-stream');

/**
 * A document sent with a create or update: its name, its type, and either its bytes (strict base64, at most
 * inlineDocumentBytes) or the id of a file staged by an upload. Anything that is not base64 is refused, never
 * decoded into garbage.
 */
export const newAttachmentSchema = z
  .object({
    fileName: requiredText(255),
    mimeType: mimeTypeSchema,
    contentBase64: z.string().max(inlineBase64Chars, { message: 'file_too_large', abort: true }).pipe(z.base64({ message: 'invalid' })).optional(),
    stagedFileId: idSchema.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if ((a.contentBase64 === undefined) === (a.stagedFileId === undefined)) ctx.addIssue({ code: 'custom', path: ['contentBase64'], message: a.contentBase64 === undefined ? 'required' : 'invalid' });
  });
export type NewAttachment = z.input<typeof newAttachmentSchema>;

/** The fields of the event modal, without the rules across fields (eventFieldRules). */
const eventFieldsObject = z.object({
  type: eventTypeSchema,
  title: requiredText(200),
  occurredAt: businessInstant(yearsAhead.event),
  notes: optionalText(10_000, { multiline: true }),
  ownerIds: z.array(idSchema).max(20).default([]),
  score: z.number().int({ message: 'integer' }).min(0, { message: 'min' }).max(10, { message: 'max_value' }).nullish().transform((v) => v ?? null),
  amountMinor: z.number().int().min(0, { message: 'min' }).max(1e13, { message: 'max_value' }).nullish().transform((v) => v ?? null),
  amountCurrency: z.string().regex(/^[A-Z]{3}$/, { message: 'invalid_currency' }).nullish().transform((v) => v ?? null),
  proposalState: z.enum(proposalStates).nullish().transform((v) => v ?? null),
  attachments: z.array(newAttachmentSchema).max(20).default([]),
});

/** A survey needs its score; a proposal's amount its currency. */
function eventFieldRules(e: z.output<typeof eventFieldsObject>, ctx: z.RefinementCtx) {
  if (e.type === 'satisfaction_survey' && e.score === null) ctx.addIssue({ code: 'custom', path: ['score'], message: 'required' });
  if (e.type === 'proposal' && e.amountMinor !== null && !e.amountCurrency) ctx.addIssue({ code: 'custom', path: ['amountCurrency'], message: 'required' });
}

export const eventFieldsSchema = eventFieldsObject.superRefine(eventFieldRules);
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
  from: filterDateSchema.nullable().default(null),
  to: filterDateSchema.nullable().default(null),
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
    input: eventFieldsObject.extend({ clientId: idSchema }).strict().superRefine(eventFieldRules),
    output: eventSchema,
  },
  'events.update': {
    input: eventFieldsObject.extend({ id: idSchema, version: z.number().int().min(1), removeAttachmentIds: z.array(idSchema).max(50).default([]) }).strict().superRefine(eventFieldRules),
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
  /** A document's bytes in the answer, for documents up to maxInlineDownloadBytes; larger ones are read through `attachments.open`. */
  'attachments.get': {
    input: z.object({ id: idSchema }).strict(),
    output: attachmentSchema.extend({ contentBase64: z.string() }),
  },
  'attachments.open': {
    input: z.object({ id: idSchema }).strict(),
    /**
     * opened: handed to the system's default app; shown: an executable or script, revealed in its folder;
     * download: no desktop (browser shell): `file` is a staged copy to read with `files.read` (any size), then discard.
     */
    output: z.object({ action: z.enum(['opened', 'shown', 'download']), file: stagedFileSchema.optional() }),
  },
  'clients.activity': {
    input: z.object({ clientId: idSchema, limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.array(activityItemSchema),
  },
} as const;
