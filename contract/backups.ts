import { z } from 'zod';

// Automatic local backups of the database: until sync is on, the laptop holds the only copy. A copy is
// taken each day (at start-up when the day has none yet, then while the app runs), seven daily and four
// weekly copies are kept, and any of them can be put back in place of the current data.

/** Why a copy was taken: the daily one, "Back up now", or the copy of the data a restore replaced. */
export const backupKinds = ['daily', 'manual', 'before_restore'] as const;
export type BackupKind = (typeof backupKinds)[number];

/** A copy's id is its file name in the backups folder; nothing else is ever accepted as one. */
export const backupIdPattern = /^clients-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-(daily|manual|before_restore)\.sqlite$/;

export const backupSchema = z.object({
  id: z.string().regex(backupIdPattern),
  createdAt: z.string(),
  sizeBytes: z.number().int().min(0),
  kind: z.enum(backupKinds),
});
export type Backup = z.infer<typeof backupSchema>;

/** Why a copy could not be written, in words the renderer has for each. */
export const backupFailureReasons = ['disk_full', 'no_permission', 'failed'] as const;

export const backupStatusSchema = z.object({
  /** Newest first. */
  backups: z.array(backupSchema),
  folder: z.string(),
  /** The last attempt, when it failed; cleared by the next copy that succeeds. */
  lastFailure: z.object({ at: z.string(), reason: z.enum(backupFailureReasons), detail: z.string() }).nullable(),
  /** A copy is being written right now. */
  running: z.boolean(),
});
export type BackupStatus = z.infer<typeof backupStatusSchema>;

export const backupChannels = {
  'backups.list': {
    input: z.object({}).strict(),
    output: backupStatusSchema,
  },
  /** "Back up now": the copy, or null when it failed (the status says why). */
  'backups.create': {
    input: z.object({}).strict(),
    output: z.object({ backup: backupSchema.nullable(), status: backupStatusSchema }),
  },
  /**
   * Replaces the database with a copy: the current data is copied first (kind before_restore), then the
   * chosen copy takes its place and is opened (and migrated, if it is older). Runs alone: other requests
   * wait until it is done. The window reloads afterwards.
   */
  'backups.restore': {
    input: z.object({ id: z.string().regex(backupIdPattern) }).strict(),
    output: z.object({ restored: backupSchema, safetyCopy: backupSchema }),
    exclusive: true,
  },
} as const;
