import { z } from 'zod';
import { viewQuerySchema } from './views';

export const languages = ['en', 'es'] as const;
export const languageSchema = z.enum(languages);
export type Language = z.infer<typeof languageSchema>;

/** Every user setting and its schema; a setting not listed here cannot be written. */
export const settingsSchema = z.object({
  language: languageSchema,
  currentUserId: z.string().min(1).max(64).nullable(),
  /** ISO 3166 alpha-2 country used to read phone numbers typed without a prefix. */
  defaultCountry: z.string().regex(/^[A-Z]{2}$/),
  /** Largest attachment accepted, in megabytes. */
  attachmentLimitMb: z.number().int().min(1).max(1024),
  /** The clients list's search, filters and sort, restored at the next start. */
  clientsListQuery: viewQuerySchema.nullable(),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;

export const defaultSettings: Settings = {
  language: 'en',
  currentUserId: null,
  defaultCountry: 'ES',
  attachmentLimitMb: 25,
  clientsListQuery: null,
};

export const settingsChannels = {
  'settings.get': {
    input: z.object({}).strict(),
    output: settingsSchema,
  },
  'settings.set': {
    input: settingsSchema.partial().strict(),
    output: settingsSchema,
  },
} as const;
