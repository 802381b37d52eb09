import { clientsByArea, eventsPerMonthByType, jobsByStatus, newClientsPerMonth } from '../../db/repositories/dashboard';
import { forecastByMonth } from '../../db/repositories/jobs';
import type { HandlerMap } from './types';

/** The last `count` months as YYYY-MM, oldest first, so charts show empty months too. */
export function lastMonths(now: Date, count: number): string[] {
  const months: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

export const dashboardHandlers: HandlerMap<'dashboard.stats'> = {
  'dashboard.stats': async (ctx) => {
    const months = lastMonths(ctx.now(), 12);
    const since = `${months[0]}-01T00:00:00.000Z`;
    const now = ctx.now();
    const forecastMonths = lastMonths(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 8, 1)), 12);
    const [areas, newClients, events, jobs, forecast] = await Promise.all([
      clientsByArea(ctx.db),
      newClientsPerMonth(ctx.db, since),
      eventsPerMonthByType(ctx.db, since),
      jobsByStatus(ctx.db),
      forecastByMonth(ctx.db, forecastMonths[0]!, forecastMonths.at(-1)!),
    ]);
    const forecastMap = new Map<string, Record<string, number>>();
    for (const r of forecast) {
      const byCurrency = forecastMap.get(r.month) ?? {};
      byCurrency[r.currency] = Number(r.weighted);
      forecastMap.set(r.month, byCurrency);
    }
    const newByMonth = new Map(newClients.map((r) => [r.month, Number(r.n)]));
    const eventsByMonth = new Map<string, Record<string, number>>();
    for (const r of events) {
      const byType = eventsByMonth.get(r.month) ?? {};
      byType[r.type] = Number(r.n);
      eventsByMonth.set(r.month, byType);
    }
    return {
      clientsByArea: areas.map((a) => ({ areaKey: a.area_key, areaName: a.area_name, count: Number(a.n) })),
      newClientsPerMonth: months.map((month) => ({ month, count: newByMonth.get(month) ?? 0 })),
      eventsPerMonth: months.map((month) => ({ month, byType: eventsByMonth.get(month) ?? {} })),
      jobsByStatus: jobs.map((j) => ({ key: j.status, count: Number(j.n) })),
      forecastByMonth: forecastMonths.map((month) => ({ month, byCurrency: forecastMap.get(month) ?? {} })),
    };
  },
};
