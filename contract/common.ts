import { z } from 'zod';

// Everything that crosses the contract is JSON-safe: instants as ISO-8601 UTC strings, dates as YYYY-MM-DD.
export const idSchema = z.string().min(1).max(64);
/** A reference picked in a form (an owner, an area): empty and null both mean none. */
export const optionalIdSchema = z.string().max(64).nullish().transform((v) => v || null);
export const instantSchema = z.iso.datetime();
export const dateSchema = z.iso.date();

// ── Free text ────────────────────────────────────────────────────────────────────────────────────────
//
// The rule of every text field a person types (contract/README-style summary in README.md, "Values the
// app accepts"): trimmed; at most its length; and no character that cannot be seen or stored as typed —
// control characters (C0, DEL, C1) and half surrogate pairs (invalid UTF-16, which SQLite would store as
// U+FFFD). A single-line field (a name, a title) reads a pasted line break or tab as one space; a
// multi-line field (notes, comments) keeps line breaks and tabs. Searches are not stored: they are trimmed
// and bounded only.

const halfSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point of this pattern
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const layout = /\s*[\t\n\r]\s*/g;

/** True when the text holds a character no text field stores (tab, line feed and carriage return excepted). */
export function hasForbiddenCharacters(text: string): boolean {
  return controls.test(text) || halfSurrogate.test(text);
}

interface TextOptions {
  /** Notes and comments: line breaks and tabs are kept. */
  multiline?: boolean;
}

/** Trimmed, bounded text free of invisible characters (see above); single-line text has its line breaks as spaces. */
export const plainText = (max: number, options: TextOptions = {}) =>
  (options.multiline ? z.string().trim() : z.string().trim().overwrite((v) => (v.includes('\n') || v.includes('\r') || v.includes('\t') ? v.replace(layout, ' ') : v)))
    .max(max, { message: 'max' })
    .refine((v) => !hasForbiddenCharacters(v), { message: 'invalid_characters' });

/** Trimmed text; an empty string after trimming becomes null for optional fields. */
export const requiredText = (max: number, options: TextOptions = {}) => plainText(max, options).min(1, { message: 'required' });
export const optionalText = (max: number, options: TextOptions = {}) =>
  plainText(max, options)
    .nullish()
    .transform((v) => (v ? v : null));

// ── Dates ────────────────────────────────────────────────────────────────────────────────────────────
//
// Every date a person enters has a business range: nothing before 1900-01-01 (older company records are
// typing mistakes: year 0001, 0206 for 2026), and nothing further ahead than its kind of date plausibly
// is (a meeting planned years ahead, a close date of a long search). The upper bounds move with today, so
// a value accepted once stays accepted. Out of range: `date_out_of_range` with `{min, max}` (YYYY-MM-DD).

export const earliestDate = '1900-01-01';
/** How far ahead of today a date may be, in years, by kind. */
export const yearsAhead = {
  /** When an event (a meeting, a call, a won deal) happened or is planned. */
  event: 5,
  /** A job posting's expected close date. */
  closeDate: 10,
  /** Dates of list filters (created from/to, closing from/to, events from/to). */
  filter: 10,
} as const;

/** The last day `years` ahead of today (UTC), as YYYY-MM-DD. */
export function latestDate(years: number, now: Date = new Date()): string {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

function checkRange(day: string, years: number, ctx: z.RefinementCtx) {
  const max = latestDate(years);
  if (day < earliestDate || day > max) ctx.addIssue({ code: 'custom', message: 'date_out_of_range', params: { min: earliestDate, max } });
}

/** A day (YYYY-MM-DD) from 1900-01-01 to `years` ahead of today. */
export const businessDate = (years: number) => dateSchema.superRefine((v, ctx) => checkRange(v, years, ctx));
/** An instant (ISO-8601 UTC) whose day is from 1900-01-01 to `years` ahead of today. */
export const businessInstant = (years: number) => instantSchema.superRefine((v, ctx) => checkRange(v.slice(0, 10), years, ctx));
/** A list filter's date. */
export const filterDateSchema = businessDate(yearsAhead.filter);

/** Opaque keyset cursor; the handler that produced it is the only one that reads it. */
export const cursorSchema = z.string().max(512).nullable();

export const pageInput = {
  limit: z.number().int().min(1).max(500).default(100),
  cursor: cursorSchema.default(null),
};
