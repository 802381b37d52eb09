import { z } from 'zod';

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
    }),
  },
} as const;
