import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client, ClientMetrics, ClientRow } from '../../contract/clients';
import type { SavedView } from '../../contract/views';
import { clientMetrics } from '../../db/repositories/metrics';
import { testRuntime } from '../support/runtime';

let rt: Awaited<ReturnType<typeof testRuntime>>;
let areas: Area[];
let clock: Date;

// A fixed clock so "this month" and "last 30 days" are hand-computable.
beforeEach(async () => {
  clock = new Date('2026-11-20T10:00:00.000Z');
  rt = await testRuntime({ now: () => clock });
  areas = await rt.call<Area[]>('areas.list');
});
afterEach(() => rt.dispose());

const area = (key: string) => areas.find((a) => a.key === key)!.id;

async function createAt(at: string, fields: Record<string, unknown>) {
  clock = new Date(at);
  return rt.call<Client>('clients.create', { areaId: area('technology'), ...fields });
}
const list = (input: Record<string, unknown> = {}) => rt.call<{ rows: ClientRow[]; nextCursor: string | null }>('clients.list', input);
const names = async (input: Record<string, unknown> = {}) => (await list(input)).rows.map((r) => r.companyName);

describe('search', () => {
  beforeEach(async () => {
    await createAt('2026-01-10T09:00:00.000Z', { companyName: 'Telefónica S.A.', email: 'compras@telefonica.es' });
    await createAt('2026-02-10T09:00:00.000Z', { companyName: 'Banco Santander', email: 'rrhh@santander.com', areaId: area('finance') });
    const acme = await createAt('2026-03-10T09:00:00.000Z', { companyName: 'Acme (Iberia) "Quoted"', email: 'info@acme-iberia.com' });
    await rt.call('contacts.create', { clientId: acme.id, name: 'Lucía Fernández', email: 'lucia.fernandez@acme-iberia.com' });
  });

  it('is accent- and case-insensitive and finds substrings', async () => {
    expect(await names({ search: 'telefonica' })).toEqual(['Telefónica S.A.']);
    expect(await names({ search: 'TELEFÓN' })).toEqual(['Telefónica S.A.']);
    expect(await names({ search: 'antand' })).toEqual(['Banco Santander']);
  });

  it('finds by email and by client code typed in lower case', async () => {
    expect(await names({ search: 'rrhh@' })).toEqual(['Banco Santander']);
    const code = (await list({ search: 'santander' })).rows[0]!.code;
    expect(await names({ search: code.toLowerCase() })).toEqual(['Banco Santander']);
  });

  it('finds a client through a contact and says which contact matched', async () => {
    const { rows } = await list({ search: 'lucia fernan' });
    expect(rows.map((r) => r.companyName)).toEqual(['Acme (Iberia) "Quoted"']);
    expect(rows[0]!.matchedContact).toEqual({ name: 'Lucía Fernández', email: 'lucia.fernandez@acme-iberia.com' });
    // A match on the client itself does not claim a contact.
    expect((await list({ search: 'acme' })).rows[0]!.matchedContact).toBeNull();
  });

  it('handles one- and two-character queries', async () => {
    expect(await names({ search: 'Lé', sort: 'company_name', direction: 'asc' })).toEqual(['Telefónica S.A.']);
    // Accent-insensitive both ways: "ó" finds every name with an o.
    expect((await names({ search: 'ó' })).length).toBe(3);
    expect(await names({ search: 'Ba' })).toEqual(['Banco Santander']);
  });

  it('treats FTS5 syntax as plain text and never fails', async () => {
    for (const search of ['"', '*', '-', '(', ')', 'OR', 'AND', 'NEAR', 'a OR b', '"Quoted"', 'NEAR(acme', '^acme', 'acme*', ':', "O'Brien"]) {
      const result = await rt.dispatch('clients.list', { search });
      expect(result.ok, search).toBe(true);
    }
    expect(await names({ search: '"Quoted"' })).toEqual(['Acme (Iberia) "Quoted"']);
    expect(await names({ search: '(Iberia)' })).toEqual(['Acme (Iberia) "Quoted"']);
  });

  it('requires every word of a multi-word query', async () => {
    expect(await names({ search: 'banco santander' })).toEqual(['Banco Santander']);
    expect(await names({ search: 'banco telefonica' })).toEqual([]);
  });
});

describe('filters, sort and metrics', () => {
  let ids: Record<string, Client>;
  beforeEach(async () => {
    ids = {
      alpha: await createAt('2026-09-15T09:00:00.000Z', { companyName: 'Alpha', email: 'a@alpha.com', status: 'active' }),
      beta: await createAt('2026-10-15T09:00:00.000Z', { companyName: 'Beta', email: 'b@beta.com', status: 'paused', areaId: area('finance') }),
      gamma: await createAt('2026-11-02T09:00:00.000Z', { companyName: 'Gamma', email: 'g@gamma.com', status: 'inactive', areaId: area('finance') }),
      delta: await createAt('2026-11-18T09:00:00.000Z', { companyName: 'Delta', email: 'd@delta.com', status: 'active', areaId: area('retail') }),
    };
    clock = new Date('2026-11-20T10:00:00.000Z');
  });

  it('filters by status, area, creation dates, and combines them', async () => {
    expect(await names({ statuses: ['active'], sort: 'company_name', direction: 'asc' })).toEqual(['Alpha', 'Delta']);
    expect(await names({ areaIds: [area('finance')], sort: 'company_name', direction: 'asc' })).toEqual(['Beta', 'Gamma']);
    expect(await names({ createdFrom: '2026-10-15', createdTo: '2026-11-02', sort: 'company_name', direction: 'asc' })).toEqual(['Beta', 'Gamma']);
    expect(await names({ statuses: ['paused', 'inactive'], areaIds: [area('finance')], createdFrom: '2026-11-01', search: 'gam' })).toEqual(['Gamma']);
    expect(await names({ statuses: ['active'], areaIds: [area('finance')] })).toEqual([]);
  });

  it('filters by owner', async () => {
    const owner = ids.alpha!.ownerId!;
    expect((await names({ ownerIds: [owner] })).length).toBe(4);
    expect(await names({ ownerIds: ['someone-else'] })).toEqual([]);
  });

  it('sorts by name, code, creation and last activity in both directions', async () => {
    expect(await names({ sort: 'company_name', direction: 'asc' })).toEqual(['Alpha', 'Beta', 'Delta', 'Gamma']);
    expect(await names({ sort: 'company_name', direction: 'desc' })).toEqual(['Gamma', 'Delta', 'Beta', 'Alpha']);
    expect(await names({ sort: 'created_at', direction: 'desc' })).toEqual(['Delta', 'Gamma', 'Beta', 'Alpha']);
    expect(await names({ sort: 'code', direction: 'asc' })).toEqual(['Alpha', 'Beta', 'Gamma', 'Delta']);
    await rt.db
      .insertInto('events')
      .values({ id: 'e1', client_id: ids.beta!.id, lead_id: null, type: 'meeting', title: 'Kick-off', notes: null, occurred_at: '2026-11-19T09:00:00.000Z', score: null, amount_minor: null, amount_currency: null, proposal_state: null, created_by: null, created_at: '2026-11-19T09:00:00.000Z', updated_at: '2026-11-19T09:00:00.000Z', deleted_at: null })
      .execute();
    expect((await names({ sort: 'last_activity_at', direction: 'desc' }))[0]).toBe('Beta');
  });

  it('computes the summary metrics for the current filter by hand-checked figures', async () => {
    const insertEvent = (id: string, clientId: string, at: string) =>
      rt.db
        .insertInto('events')
        .values({ id, client_id: clientId, lead_id: null, type: 'call', title: 'Call', notes: null, occurred_at: at, score: null, amount_minor: null, amount_currency: null, proposal_state: null, created_by: null, created_at: at, updated_at: at, deleted_at: null })
        .execute();
    await insertEvent('e1', ids.alpha!.id, '2026-11-01T09:00:00.000Z'); // within 30 days
    await insertEvent('e2', ids.beta!.id, '2026-10-25T09:00:00.000Z'); // within 30 days
    await insertEvent('e3', ids.beta!.id, '2026-10-01T09:00:00.000Z'); // older
    const job = (id: string, clientId: string, status: string, extra: Record<string, unknown>) =>
      rt.db
        .insertInto('jobs')
        .values({
          id, client_id: clientId, code: `JB-${id}`, title: 'Engineer', status: status as 'open', openings: 1, location: null, work_mode: null, employment_type: null,
          salary_min_minor: null, salary_max_minor: null, salary_currency: null, salary_period: null, fee_type: null, fee_percent: null, fee_fixed_minor: null,
          retainer_instalments: null, payment_terms_days: null, guarantee_days: null, guarantee_policy: null, pro_rata_days: null, cancellation_fee_minor: null,
          clause_notes: null, probability: null, expected_close_date: null, owner_id: null, close_reason: null, created_at: '2026-11-01T00:00:00.000Z',
          updated_at: '2026-11-01T00:00:00.000Z', deleted_at: null, ...extra,
        })
        .execute();
    // 40 000–60 000 EUR/year, 20 %, 2 openings, 50 % → 20 000 € expected, 10 000 € weighted.
    await job('j1', ids.alpha!.id, 'open', { salary_min_minor: 4_000_000, salary_max_minor: 6_000_000, salary_currency: 'EUR', salary_period: 'year', fee_type: 'percentage', fee_percent: 20, openings: 2, probability: 50 });
    // Fixed 5 000 GBP at 30 % → 1 500 £ weighted, on hold counts as open.
    await job('j2', ids.beta!.id, 'on_hold', { salary_currency: 'GBP', fee_type: 'fixed', fee_fixed_minor: 500_000, probability: 30 });
    // Filled postings leave the open forecast.
    await job('j3', ids.alpha!.id, 'filled', { salary_currency: 'EUR', fee_type: 'fixed', fee_fixed_minor: 999_900, probability: 100 });

    const all = await rt.call<ClientMetrics>('clients.metrics', {});
    expect(all).toEqual({
      total: 4,
      byStatus: { active: 2, paused: 1, inactive: 1 },
      newThisMonth: 2,
      eventsLast30Days: 2,
      openJobs: 2,
      forecast: [
        { currency: 'EUR', amountMinor: 1_000_000 },
        { currency: 'GBP', amountMinor: 150_000 },
      ],
    });
    const finance = await rt.call<ClientMetrics>('clients.metrics', { areaIds: [area('finance')] });
    expect(finance).toMatchObject({ total: 2, byStatus: { active: 0, paused: 1, inactive: 1 }, newThisMonth: 1, eventsLast30Days: 1, openJobs: 1, forecast: [{ currency: 'GBP', amountMinor: 150_000 }] });
    // The three query plans (no filter, per-client seeks, scans of events and jobs) agree.
    const at = { monthStart: '2026-11-01T00:00:00.000Z', thirtyDaysAgo: '2026-10-21T10:00:00.000Z' };
    const base = { search: '', statuses: [], areaIds: [], ownerIds: [], createdFrom: null, createdTo: null, includeArchived: false };
    const unfiltered = await clientMetrics(rt.db, base, at);
    const everyone = { ...base, statuses: ['active', 'paused', 'inactive'] };
    expect(await clientMetrics(rt.db, everyone, at, 1_000)).toEqual(unfiltered);
    expect(await clientMetrics(rt.db, everyone, at, 0)).toEqual(unfiltered);
    // Most clients match: everything minus the one that does not, against seeks and against a scan.
    const mostly = { ...base, statuses: ['active', 'paused'] };
    const bySeeks = await clientMetrics(rt.db, mostly, at, 1_000);
    expect(await clientMetrics(rt.db, mostly, at, 1)).toEqual(bySeeks);
    expect(await clientMetrics(rt.db, mostly, at, 0)).toEqual(bySeeks);
    expect(bySeeks.forecast).toEqual(unfiltered.forecast);
    const financeFilter = { ...base, areaIds: [area('finance')] };
    expect(await clientMetrics(rt.db, financeFilter, at, 0)).toEqual(await clientMetrics(rt.db, financeFilter, at, 1_000));
    const rows = (await list({ sort: 'company_name', direction: 'asc' })).rows;
    expect(rows.map((r) => r.openJobs)).toEqual([1, 1, 0, 0]);
  });
});

describe('saved views', () => {
  it('saves, renames, lists and deletes a view; names are unique', async () => {
    const query = { search: 'acme', statuses: ['active'], sort: 'company_name', direction: 'asc' };
    const view = await rt.call<SavedView>('views.create', { name: 'Active Acme', query });
    expect(view.query).toMatchObject(query);
    const dup = await rt.dispatch('views.create', { name: ' active acme ', query });
    expect(dup.ok ? null : dup.error.code).toBe('VALIDATION');
    await rt.call('views.update', { id: view.id, name: 'Acme, active' });
    expect((await rt.call<SavedView[]>('views.list')).map((v) => v.name)).toEqual(['Acme, active']);
    await rt.call('views.delete', { id: view.id });
    expect(await rt.call<SavedView[]>('views.list')).toEqual([]);
  });
});
