import { z } from 'zod';
import { idSchema, instantSchema, optionalText, requiredText } from './common';

export const contactFieldsSchema = z.object({
  name: requiredText(160),
  role: optionalText(120),
  email: z
    .string()
    .trim()
    .max(254, { message: 'max' })
    .nullish()
    .transform((v) => (v ? v : null))
    .pipe(z.email({ message: 'invalid_email' }).nullable()),
  phone: optionalText(40),
  isPrimary: z.boolean().default(false),
  notes: optionalText(2000, { multiline: true }),
});
export type ContactFields = z.input<typeof contactFieldsSchema>;

export const contactSchema = z.object({
  id: idSchema,
  clientId: idSchema,
  name: z.string(),
  role: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  isPrimary: z.boolean(),
  notes: z.string().nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  /** Bumped by every save; an update names the version it edited (CONFLICT when someone saved meanwhile). */
  version: z.number().int().min(1),
});
export type Contact = z.infer<typeof contactSchema>;

export const contactChannels = {
  'contacts.list': {
    input: z.object({ clientId: idSchema }).strict(),
    output: z.array(contactSchema),
  },
  'contacts.create': {
    input: contactFieldsSchema.extend({ clientId: idSchema }).strict(),
    output: contactSchema,
  },
  'contacts.update': {
    input: contactFieldsSchema.extend({ id: idSchema, version: z.number().int().min(1) }).strict(),
    output: contactSchema,
  },
  'contacts.delete': {
    /** The version the user saw, when they saw one: removing a record someone changed meanwhile is a CONFLICT. */
    input: z.object({ id: idSchema, version: z.number().int().min(1).optional() }).strict(),
    output: z.object({ id: idSchema }),
  },
} as const;
