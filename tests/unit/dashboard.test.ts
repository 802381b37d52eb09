import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client } from '../../contract/clients';
import type { Dashboard } from '../../contract/dashboard';
import type { ClientEvent } from '../../contract/events';
import { testRuntime } from '../support/runtime';

let rt: Awaited<ReturnType<typeof testRuntime>>;
let areas: Area[];

beforeEach(async () => {
  // The dashboard's twelve months end with November 2026.
  rt = await testRuntime({ now: () => new Date('2026-11-20T10:00:00.000Z') });
  areas = await rt.call<Area[]>('areas.list');
});
afterEach(() => rt.dispose());

const stats = () => rt.call<Dashboard>('dashboard.stats');
const month = (d: Dashboard, m: string) => d.eventsPerMonth.find((x) => x.month === m)?.byType ?? {};

describe('dashboard', () => {
  it('counts live client events per month and type through creates, edits, deletes and undo', async () => {
    const acme = await rt.call<Client>('clients.create', { companyName: 'Acme', email: 'info@acme.es', areaId: areas[0]!.id });
    const event = (type: string, occurredAt: string) => rt.call<ClientEvent>('events.create', { clientId: acme.id, type, title: type, occurredAt });
    const meeting = await event('meeting', '2026-10-05T09:00:00.000Z');
    await event('meeting', '2026-10-20T09:00:00.000Z');
    const call = await event('call', '2026-11-02T09:00:00.000Z');
    expect(month(await stats(), '2026-10')).toEqual({ meeting: 2 });
    expect(month(await stats(), '2026-11')).toEqual({ call: 1 });

    // Moved to another month and made a call: it leaves October's meetings.
    await rt.call('events.update', { id: meeting.id, version: meeting.version, type: 'call', title: 'call', occurredAt: '2026-11-03T09:00:00.000Z', notes: null, ownerIds: [], score: null, amountMinor: null, amountCurrency: null, proposalState: null, attachments: [] });
    expect(month(await stats(), '2026-10')).toEqual({ meeting: 1 });
    expect(month(await stats(), '2026-11')).toEqual({ call: 2 });

    await rt.call('events.delete', { id: call.id });
    expect(month(await stats(), '2026-11')).toEqual({ call: 1 });
    await rt.call('events.restore', { id: call.id });
    expect(month(await stats(), '2026-11')).toEqual({ call: 2 });

    // The kept counts equal a recount of the events themselves.
    const recount = rt.database.sqlite
      .prepare(`SELECT substr(occurred_at, 1, 7) AS month, type, count(*) AS n FROM events WHERE client_id IS NOT NULL AND deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2`)
      .all();
    expect(rt.database.sqlite.prepare(`SELECT month, type, n FROM event_month_counts WHERE n > 0 ORDER BY 1, 2`).all()).toEqual(recount);
  });

  it('counts live clients per area and leaves archived ones out', async () => {
    const make = (name: string, area: Area) => rt.call<Client>('clients.create', { companyName: name, email: `info@${name.toLowerCase()}.es`, areaId: area.id });
    await make('Alfa', areas[0]!);
    await make('Beta', areas[0]!);
    const gamma = await make('Gamma', areas[1]!);
    await rt.call('clients.archive', { id: gamma.id, version: gamma.version });
    expect((await stats()).clientsByArea).toEqual([{ areaKey: areas[0]!.key, areaName: areas[0]!.name, count: 2 }]);
  });

  it('sums the open forecast per close month and currency, without filled postings or archived clients', async () => {
    const posting = { title: 'Backend Engineer', status: 'open', openings: 2, salaryMinMinor: 4_000_000, salaryMaxMinor: 6_000_000, salaryCurrency: 'EUR', salaryPeriod: 'year', feeType: 'percentage', feePercent: 20, probability: 50, expectedCloseDate: '2027-01-15' };
    const acme = await rt.call<Client>('clients.create', { companyName: 'Acme', email: 'info@acme.es', areaId: areas[0]!.id });
    const gone = await rt.call<Client>('clients.create', { companyName: 'Gone', email: 'info@gone.es', areaId: areas[0]!.id });
    await rt.call('jobs.create', { clientId: acme.id, ...posting });
    await rt.call('jobs.create', { clientId: acme.id, ...posting, salaryCurrency: 'GBP' });
    await rt.call('jobs.create', { clientId: acme.id, ...posting, status: 'filled', closeReason: 'Placed' });
    await rt.call('jobs.create', { clientId: gone.id, ...posting });
    await rt.call('clients.archive', { id: gone.id, version: gone.version });
    const january = (await stats()).forecastByMonth.find((m) => m.month === '2027-01');
    // 20 % of 50 000 × 2 openings × 50 %: 10 000.00 in each currency.
    expect(january?.byCurrency).toEqual({ EUR: 1_000_000, GBP: 1_000_000 });
  });
});
