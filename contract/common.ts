import { z } from 'zod';

// Everything that crosses the contract is JSON-safe: instants as ISO-8601 UTC strings, dates as YYYY-MM-DD.
export const idSchema = z.string().min(1).max(64);
export const instantSchema = z.iso.datetime();
export const dateSchema = z.iso.date();

/** Trimmed text; an empty string after trimming becomes null for optional fields. */
export const requiredText = (max: number) => z.string().trim().min(1, { message: 'required' }).max(max, { message: 'max' });
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: 'max' })
    .nullish()
    .transform((v) => (v ? v : null));

/** Opaque keyset cursor; the handler that produced it is the only one that reads it. */
export const cursorSchema = z.string().max(512).nullable();

export const pageInput = {
  limit: z.number().int().min(1).max(500).default(100),
  cursor: cursorSchema.default(null),
};
