import { clientsByArea, eventsPerMonthByType, jobsByStatus, newClientsPerMonth } from '../../db/repositories/dashboard';
import { forecastByMonth } from '../../db/repositories/jobs';
import { earnedByMonth, guaranteesEnding } from '../../db/repositories/pipeline';
import { addDays } from '../../contract/placements';
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
    const today = now.toISOString().slice(0, 10);
    const [areas, newClients, events, jobs, forecast, earned, ending] = await Promise.all([
      clientsByArea(ctx.db),
      newClientsPerMonth(ctx.db, since),
      eventsPerMonthByType(ctx.db, since),
      jobsByStatus(ctx.db),
      forecastByMonth(ctx.db, forecastMonths[0]!, forecastMonths.at(-1)!),
      earnedByMonth(ctx.db, forecastMonths[0]!, forecastMonths.at(-1)!),
      guaranteesEnding(ctx.db, today, addDays(today, 365), 50),
    ]);
    const forecastMap = new Map<string, Record<string, number>>();
    for (const r of forecast) {
      const byCurrency = forecastMap.get(r.month) ?? {};
      byCurrency[r.currency] = Number(r.weighted);
      forecastMap.set(r.month, byCurrency);
    }
    const earnedMap = new Map<string, Record<string, number>>();
    for (const r of earned) {
      const byCurrency = earnedMap.get(r.month) ?? {};
      byCurrency[r.currency] = Number(r.earned);
      earnedMap.set(r.month, byCurrency);
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
      earnedByMonth: forecastMonths.map((month) => ({ month, byCurrency: earnedMap.get(month) ?? {} })),
      guaranteesEnding: ending.map((p) => ({
        placementId: p.id, candidateId: p.candidate_id, candidateName: p.full_name, jobId: p.job_id, jobCode: p.job_code, jobTitle: p.job_title, clientId: p.client_id,
        clientName: p.company_name, startDate: p.start_date, guaranteeEndDate: p.guarantee_end_date!, guaranteePolicy: p.guarantee_policy, feeMinor: p.fee_minor, currency: p.salary_currency,
      })),
    };
  },
};
