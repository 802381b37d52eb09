import { z } from 'zod';
import { guaranteeEndingSchema } from './pipeline';

const countByKey = z.array(z.object({ key: z.string(), count: z.number().int() }));

export const dashboardSchema = z.object({
  clientsByArea: z.array(z.object({ areaKey: z.string().nullable(), areaName: z.string(), count: z.number().int() })),
  /** Last 12 months, oldest first, months as YYYY-MM. */
  newClientsPerMonth: z.array(z.object({ month: z.string(), count: z.number().int() })),
  eventsPerMonth: z.array(z.object({ month: z.string(), byType: z.record(z.string(), z.number().int()) })),
  jobsByStatus: countByKey,
  /** Open weighted forecast per expected close month (3 months back to 8 ahead), per currency. */
  forecastByMonth: z.array(z.object({ month: z.string(), byCurrency: z.record(z.string(), z.number().int()) })),
  /**
   * Earned by placements per start month (the same months), per currency: each live placement's fee less what
   * its guarantee refunded, in the month its candidate started.
   */
  earnedByMonth: z.array(z.object({ month: z.string(), byCurrency: z.record(z.string(), z.number().int()) })),
  /** Placements whose guarantee is still running (ends today or within a year, candidate still there), soonest first, at most 50. */
  guaranteesEnding: z.array(guaranteeEndingSchema),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const dashboardChannels = {
  'dashboard.stats': {
    input: z.object({}).strict(),
    output: dashboardSchema,
  },
} as const;
