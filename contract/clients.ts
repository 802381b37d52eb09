import { z } from 'zod';
import { dateSchema, idSchema, instantSchema, optionalText, pageInput, requiredText } from './common';

export const clientStatuses = ['active', 'paused', 'inactive'] as const;
export const clientStatusSchema = z.enum(clientStatuses);
export type ClientStatus = z.infer<typeof clientStatusSchema>;

/** Websites are stored as an absolute http(s) URL; a bare domain typed by the user gets https://. */
export const websiteSchema = z
  .string()
  .trim()
  .max(300, { message: 'max:300' })
  .nullish()
  .transform((v) => (v ? v : null))
  .pipe(
    z
      .string()
      .transform((v, ctx) => {
        const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`;
        try {
          const url = new URL(withScheme);
          if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname.includes('.')) throw new Error('bad');
          return url.toString().replace(/\/$/, '');
        } catch {
          ctx.addIssue({ code: 'custom', message: 'invalid_url' });
          return z.NEVER;
        }
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
    .max(254, { message: 'max:254' })
    .pipe(z.email({ message: 'invalid_email' })),
  areaId: z.string().trim().min(1, { message: 'required' }),
  phone: optionalText(40),
  website: websiteSchema,
  comments: optionalText(5000),
  status: clientStatusSchema.default('active'),
  ownerId: z.string().nullish().transform((v) => v ?? null),
});
export type ClientFields = z.input<typeof clientFieldsSchema>;

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

export const clientRowSchema = clientSchema.pick({
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
});
export type ClientRow = z.infer<typeof clientRowSchema>;

export const clientSorts = ['company_name', 'code', 'created_at', 'last_activity_at'] as const;
export const clientSortSchema = z.enum(clientSorts);
export type ClientSort = z.infer<typeof clientSortSchema>;

export const clientFilterSchema = z.object({
  search: z.string().trim().max(200).default(''),
  statuses: z.array(clientStatusSchema).max(3).default([]),
  areaIds: z.array(idSchema).max(100).default([]),
  ownerIds: z.array(idSchema).max(100).default([]),
  createdFrom: dateSchema.nullable().default(null),
  createdTo: dateSchema.nullable().default(null),
  includeArchived: z.boolean().default(false),
});
export type ClientFilter = z.input<typeof clientFilterSchema>;

export const clientListInputSchema = clientFilterSchema.extend({
  sort: clientSortSchema.default('created_at'),
  direction: z.enum(['asc', 'desc']).default('desc'),
  ...pageInput,
});
export type ClientListInput = z.input<typeof clientListInputSchema>;

export const clientChannels = {
  'clients.create': {
    input: clientFieldsSchema.strict(),
    output: clientSchema,
  },
  'clients.get': {
    input: z.object({ id: idSchema }).strict(),
    output: clientSchema,
  },
  'clients.list': {
    input: clientListInputSchema.strict(),
    output: z.object({
      rows: z.array(clientRowSchema),
      nextCursor: z.string().nullable(),
    }),
  },
} as const;
