import { z } from 'zod';
import { idSchema } from './common';

export const areaSchema = z.object({
  id: idSchema,
  /** Stable key of a built-in area (translated in the UI); null for areas the team added. */
  key: z.string().nullable(),
  name: z.string(),
  active: z.boolean(),
});
export type Area = z.infer<typeof areaSchema>;

export const areaChannels = {
  'areas.list': {
    input: z.object({}).strict(),
    output: z.array(areaSchema),
  },
} as const;
