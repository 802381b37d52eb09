import { z } from 'zod';
import { historyEntrySchema } from './clients';
import { dateSchema, idSchema, instantSchema, optionalText, pageInput, requiredText } from './common';
import { duplicateMatchSchema } from './errors';
import { csvDelimiters, exportFormats, stagedFileSchema } from './transfer';

// Candidates: the people who apply to the clients' job postings, with their CV and other documents, searched
// like clients (instant, accent-insensitive) and checked for duplicates by the one same-person rule
// (contract/people.ts, main/duplicates/people.ts).

export const maxTags = 20;

/** "Python", " python ", "PYTHON" are one tag: trimmed, inner spaces collapsed, compared without case. */
export const tagSchema = z
  .string()
  .transform((v) => v.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, { message: 'required' }).max(40, { message: 'max' }).refine((v) => !v.includes('#'), { message: 'invalid' }));

const tagsSchema = z
  .array(tagSchema)
  .max(maxTags, { message: 'too_many' })
  .default([])
  .transform((tags) => {
    const seen = new Set<string>();
    return tags.filter((tag) => {
      const key = tag.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });

/** Where candidates usually come from: offered in the form and the filter; any other text is kept as typed. */
export const commonSources = ['linkedin', 'referral', 'job_board', 'website', 'database', 'event', 'headhunting', 'other'] as const;

export const documentKinds = ['cv', 'other'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** The fields a recruiter types in the candidate form; validated live in the renderer and again in main. */
export const candidateFieldsSchema = z.object({
  fullName: requiredText(160),
  email: z
    .string()
    .trim()
    .max(254, { message: 'max' })
    .nullish()
    .transform((v) => (v ? v : null))
    .pipe(z.email({ message: 'invalid_email' }).nullable()),
  phone: optionalText(40),
  location: optionalText(160),
  currentTitle: optionalText(160),
  /** The current employer: with a similar name, the same employer makes a possible duplicate. */
  currentCompany: optionalText(200),
  source: optionalText(80),
  tags: tagsSchema,
  notes: optionalText(5000, { multiline: true }),
  ownerId: z.string().nullish().transform((v) => v || null),
});
export type CandidateFields = z.input<typeof candidateFieldsSchema>;
export type ParsedCandidateFields = z.output<typeof candidateFieldsSchema>;

const acknowledgedDuplicates = { acknowledgedDuplicateIds: z.array(idSchema).max(50).default([]) };

export const candidateDocumentSchema = z.object({
  id: idSchema,
  kind: z.enum(documentKinds),
  fileName: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  createdAt: instantSchema,
});
export type CandidateDocument = z.infer<typeof candidateDocumentSchema>;

/** What a candidate and a row of the list both say, first and in this order. */
const candidateSummaryShape = {
  id: idSchema,
  code: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  location: z.string().nullable(),
  currentTitle: z.string().nullable(),
  currentCompany: z.string().nullable(),
  source: z.string().nullable(),
  tags: z.array(z.string()),
};

export const candidateSchema = z.object({
  ...candidateSummaryShape,
  notes: z.string().nullable(),
  ownerId: idSchema.nullable(),
  ownerName: z.string().nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  deletedAt: instantSchema.nullable(),
  /** Bumped by every save; an update names the version it edited (CONFLICT when someone saved meanwhile). */
  version: z.number().int().min(1),
});
export type Candidate = z.infer<typeof candidateSchema>;

export const candidateRowSchema = z.object({
  ...candidateSummaryShape,
  ownerName: z.string().nullable(),
  createdAt: instantSchema,
  deletedAt: instantSchema.nullable(),
  /** Live applications to postings. */
  applications: z.number().int(),
});
export type CandidateRow = z.infer<typeof candidateRowSchema>;

export const candidateSorts = ['created_at', 'full_name'] as const;
export type CandidateSort = (typeof candidateSorts)[number];

export const candidateFilterSchema = z.object({
  search: z.string().trim().max(200).default(''),
  sources: z.array(z.string().max(80)).max(50).default([]),
  tags: z.array(z.string().max(40)).max(20).default([]),
  ownerIds: z.array(idSchema).max(100).default([]),
  createdFrom: dateSchema.nullable().default(null),
  createdTo: dateSchema.nullable().default(null),
  includeDeleted: z.boolean().default(false),
});
export type CandidateFilter = z.input<typeof candidateFilterSchema>;

export const candidateListInputSchema = candidateFilterSchema.extend({
  sort: z.enum(candidateSorts).default('created_at'),
  direction: z.enum(['asc', 'desc']).default('desc'),
  ...pageInput,
});
export type CandidateListInput = z.input<typeof candidateListInputSchema>;

export const peopleCheckSchema = z.object({
  /** The same email: saving is blocked. */
  blocking: z.array(duplicateMatchSchema),
  /** The same phone, or a similar name at the same employer: the user may still save. */
  warnings: z.array(duplicateMatchSchema),
});
export type PeopleCheck = z.infer<typeof peopleCheckSchema>;

/** Columns of a candidates export, in order (headers come from the renderer, in the user's language). */
export const candidateExportColumns = [
  'code', 'fullName', 'email', 'phone', 'location', 'currentTitle', 'currentCompany', 'source', 'tags', 'owner', 'applications', 'notes', 'createdAt',
] as const;
export type CandidateExportColumn = (typeof candidateExportColumns)[number];

export const candidateExportInputSchema = z
  .object({
    filter: candidateFilterSchema,
    format: z.enum(exportFormats),
    delimiter: z.enum(csvDelimiters).default(','),
    headers: z.partialRecord(z.enum(candidateExportColumns), z.string().trim().min(1).max(80)).default({}),
    baseName: z.string().trim().min(1).max(100).default('candidates'),
  })
  .strict();

export const candidateChannels = {
  'candidates.list': {
    input: candidateListInputSchema.strict(),
    output: z.object({ rows: z.array(candidateRowSchema), nextCursor: z.string().nullable() }),
  },
  'candidates.facets': {
    /** The sources and tags in use, most frequent first: the filters' choices. */
    input: z.object({}).strict(),
    output: z.object({ sources: z.array(z.object({ value: z.string(), count: z.number().int() })), tags: z.array(z.object({ value: z.string(), count: z.number().int() })) }),
  },
  'candidates.get': {
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ candidate: candidateSchema, documents: z.array(candidateDocumentSchema), applications: z.number().int() }),
  },
  'candidates.create': {
    input: candidateFieldsSchema.extend(acknowledgedDuplicates).strict(),
    output: candidateSchema,
  },
  'candidates.update': {
    input: candidateFieldsSchema.extend({ id: idSchema, version: z.number().int().min(1), ...acknowledgedDuplicates }).strict(),
    output: candidateSchema,
  },
  'candidates.checkDuplicates': {
    input: z
      .object({
        fullName: z.string().max(160).default(''),
        email: z.string().max(254).nullish(),
        phone: z.string().max(60).nullish(),
        currentCompany: z.string().max(200).nullish(),
        excludeId: idSchema.nullish(),
      })
      .strict(),
    output: peopleCheckSchema,
  },
  'candidates.delete': {
    input: z.object({ id: idSchema, version: z.number().int().min(1) }).strict(),
    output: candidateSchema,
  },
  'candidates.restore': {
    input: z.object({ id: idSchema, version: z.number().int().min(1) }).strict(),
    output: candidateSchema,
  },
  'candidates.history': {
    input: z.object({ candidateId: idSchema, limit: z.number().int().min(1).max(200).default(50), cursor: z.string().max(40).nullable().default(null) }).strict(),
    output: z.object({ entries: z.array(historyEntrySchema), nextCursor: z.string().nullable() }),
  },
  'candidates.addDocument': {
    /** A file uploaded through files.beginUpload/appendUpload (or picked in the desktop dialog), kept with the candidate. */
    input: z.object({ candidateId: idSchema, fileId: idSchema, kind: z.enum(documentKinds).default('cv') }).strict(),
    output: candidateDocumentSchema,
  },
  'candidates.removeDocument': {
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ id: idSchema }),
  },
  'candidates.openDocument': {
    /** opened: handed to the system's default app; shown: revealed in its folder (a program or script); download: no desktop (browser shell). */
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ action: z.enum(['opened', 'shown', 'download']) }),
  },
  'candidates.stageDocument': {
    /** A copy of the document as a staged file, to download (browser shell) or save. */
    input: z.object({ id: idSchema }).strict(),
    output: stagedFileSchema,
  },
  'exports.candidates': {
    input: candidateExportInputSchema,
    output: z.object({ taskId: idSchema }),
  },
} as const;
