import { z } from 'zod';
import { clientFilterSchema, clientSortSchema } from './clients';
import { idSchema, instantSchema, requiredText } from './common';

/** What a saved view remembers: search, filters and sort of the clients list. */
export const viewQuerySchema = clientFilterSchema.extend({
  sort: clientSortSchema.default('created_at'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});
export type ViewQuery = z.output<typeof viewQuerySchema>;

export const savedViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  query: viewQuerySchema,
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type SavedView = z.infer<typeof savedViewSchema>;

export const viewChannels = {
  'views.list': {
    input: z.object({}).strict(),
    output: z.array(savedViewSchema),
  },
  'views.create': {
    input: z.object({ name: requiredText(80), query: viewQuerySchema }).strict(),
    output: savedViewSchema,
  },
  'views.update': {
    input: z.object({ id: idSchema, name: requiredText(80), query: viewQuerySchema.optional() }).strict(),
    output: savedViewSchema,
  },
  'views.delete': {
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ id: idSchema }),
  },
} as const;
