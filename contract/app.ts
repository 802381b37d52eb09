import { z } from 'zod';

/**
 * Why the app did not open its data: a database from a newer version, a file that is not a Clients database,
 * or another Clients already running with the same data folder. The app then answers `app.info` with the
 * reason and nothing else, and the window shows what happened instead of the app.
 */
export const startupProblems = ['newer_database', 'foreign_database', 'already_running'] as const;
export type StartupProblem = (typeof startupProblems)[number];

export const appChannels = {
  'app.info': {
    input: z.object({}).strict(),
    output: z.object({
      name: z.string(),
      version: z.string(),
      dataDir: z.string(),
      databaseFile: z.string(),
      platform: z.string(),
      shell: z.enum(['electron', 'browser']),
      schemaVersion: z.number().int(),
      /** Present only when the app could not open its data (see startupProblems). */
      startup: z.object({ problem: z.enum(startupProblems), detail: z.string() }).optional(),
    }),
  },
} as const;
