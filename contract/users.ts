import { z } from 'zod';
import { idSchema } from './common';

export const userSchema = z.object({
  id: idSchema,
  name: z.string(),
  email: z.string().nullable(),
  active: z.boolean(),
});
export type User = z.infer<typeof userSchema>;

export const userChannels = {
  'users.list': {
    input: z.object({ includeInactive: z.boolean().default(false) }).strict(),
    output: z.array(userSchema),
  },
} as const;
