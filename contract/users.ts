import { z } from 'zod';
import { idSchema, requiredText } from './common';

export const userSchema = z.object({
  id: idSchema,
  name: z.string(),
  email: z.string().nullable(),
  active: z.boolean(),
});
export type User = z.infer<typeof userSchema>;

const userFields = {
  name: requiredText(120),
  email: z.string().trim().max(254).nullish().transform((v) => (v ? v : null)).pipe(z.email({ message: 'invalid_email' }).nullable()),
};

export const userChannels = {
  'users.create': {
    input: z.object(userFields).strict(),
    output: userSchema,
  },
  'users.update': {
    input: z.object({ id: idSchema, ...userFields, active: z.boolean() }).strict(),
    output: userSchema,
  },
  'users.list': {
    input: z.object({ includeInactive: z.boolean().default(false) }).strict(),
    output: z.array(userSchema),
  },
} as const;
