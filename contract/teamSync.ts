import { z } from 'zod';
import { instantSchema } from './common';

// The sync job as the recruiter sees it: its settings (Settings → Sync) and its state (the app shell's
// status), and the commands "Test connection", "Sync now" and "Cancel". The protocol between the job and the
// server is contract/sync.ts.

export const syncStates = ['off', 'idle', 'syncing', 'offline', 'error'] as const;
export type SyncState = (typeof syncStates)[number];

/**
 * What stops sync and needs someone to act (said in words with what to do): the token was revoked or is
 * unknown, the token belongs to another laptop, this computer's clock is wrong by `minutes`, the server
 * refuses what this app sends (an app update is due), or the address is not a sync server.
 */
export const syncProblems = ['token_refused', 'device_mismatch', 'clock_ahead', 'server_refused', 'not_a_server'] as const;
export type SyncProblem = (typeof syncProblems)[number];

export const syncPhases = ['baseline', 'push', 'pull', 'documents'] as const;

export const syncStatusSchema = z.object({
  state: z.enum(syncStates),
  /** Changes made here that the server has not acknowledged yet. */
  pending: z.number().int().min(0),
  lastSyncedAt: instantSchema.nullable(),
  /** Since when the server cannot be reached (offline is a normal state: retried quietly). */
  offlineSince: instantSchema.nullable(),
  problem: z.object({ code: z.enum(syncProblems), minutes: z.number().int().optional() }).nullable(),
  /** Long work under way: a first pull of a large team, the first push of this laptop's records. */
  progress: z.object({ phase: z.enum(syncPhases), done: z.number().int(), total: z.number().int() }).nullable(),
  /** Colleagues' changes waiting for a record that has not arrived yet. */
  parked: z.number().int().min(0),
  /** New clients from colleagues that look like clients here (the duplicate engine's block or warn): possible duplicates to review. */
  duplicates: z.array(z.string()),
  /** Changes of this laptop the server refused for good (values it cannot store), since the last sync. */
  refused: z.number().int().min(0),
  nextAttemptAt: instantSchema.nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncSettingsSchema = z.object({
  url: z.string().nullable(),
  enabled: z.boolean(),
  tokenSet: z.boolean(),
  /** Where the token is kept: the system's keychain (desktop), or this database file (browser shell, or no keychain). */
  tokenStorage: z.enum(['system', 'database']),
  deviceId: z.string(),
  team: z.string().nullable(),
  userEmail: z.string().nullable(),
});
export type SyncSettings = z.infer<typeof syncSettingsSchema>;

/** A sync server address: http(s) only, no credentials in it. */
export const syncUrlSchema = z
  .string()
  .trim()
  .max(300, { message: 'max' })
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && !url.search && !url.hash;
    } catch {
      return false;
    }
  }, { message: 'invalid_url' });

/** A device token as the server's `device add` prints it. */
export const syncTokenSchema = z.string().trim().min(20, { message: 'invalid_token' }).max(200, { message: 'invalid_token' }).regex(/^[A-Za-z0-9._~-]+$/, { message: 'invalid_token' });

export const teamSyncChannels = {
  'sync.status': { input: z.object({}).strict(), output: syncStatusSchema },
  'sync.settings': { input: z.object({}).strict(), output: syncSettingsSchema },
  /** Saves the server address, the token (null keeps the one saved) and whether sync runs. */
  'sync.configure': {
    input: z.object({ url: syncUrlSchema.nullable(), token: syncTokenSchema.nullable().default(null), enabled: z.boolean() }).strict(),
    output: syncSettingsSchema,
  },
  /** Asks the server who this token is, without saving anything: the team, the member, and how far apart the clocks are. */
  'sync.test': {
    input: z.object({ url: syncUrlSchema, token: syncTokenSchema.nullable().default(null) }).strict(),
    output: z.object({ team: z.string(), userEmail: z.string().nullable(), clockOffsetMinutes: z.number().int() }),
  },
  'sync.now': { input: z.object({}).strict(), output: syncStatusSchema },
  /** Stops the sync under way (a long first pull resumes where it stopped at the next one). */
  'sync.cancel': { input: z.object({}).strict(), output: syncStatusSchema },
} as const;
