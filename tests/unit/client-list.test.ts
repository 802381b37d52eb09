import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import { channels } from '../../contract';
import { isClientListOutput, type Client, type ClientMetrics, type ClientRow } from '../../contract/clients';
import type { SavedView } from '../../contract/views';
import { countClients, listClientsQuery } from '../../db/repositories/clients';
import { clientSearchText } from '../../db/sync/derived';
import { clientMetrics, rebuildClientStatsSql } from '../../db/repositories/metrics';
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

  it('answers searches with control characters, lone surrogates, quotes and FTS5 syntax (list, metrics, duplicate check) and never INTERNAL', async () => {
    const hostile = [
      'tele\u0000fonica', '\u0000', '\u0000\u0000\u0000', 'acme\u0000', '\u0000acme', 'a\u0000b\u0000c', 'san\u0001tander', 'tel\u001f', 'acme\u007f', 'acme\u0085iberia', 'acme\u009f',
      '\ud800', '\ud800acme', 'acme\udfff', '\udc00\ud800', 'acme \ud83d', '😀acme', '""', '"""', '"\u0000"', 'acme"\u0000"', 'NEAR("acme" "iberia", 2)', 'acme NOT iberia', '{company_name}: acme',
      '-acme', '+acme', '\\', '%', '_', 'acme%', 'a_m', '\r\n\t\v\f',
    ];
    for (const search of hostile) {
      for (const channel of ['clients.list', 'clients.metrics']) {
        const result = await rt.dispatch(channel, { search });
        expect(result.ok ? 'ok' : result.error.code, `${channel} ${JSON.stringify(search)}`).toBe('ok');
      }
      const duplicates = await rt.dispatch('clients.checkDuplicates', { companyName: search, email: `${search}@x.com` });
      expect(duplicates.ok ? 'ok' : duplicates.error.code, `checkDuplicates ${JSON.stringify(search)}`).toBe('ok');
    }
    expect(rt.errors).toEqual([]);
    // A control character separates words like a space does: both halves must still be found.
    expect(await names({ search: 'tele\u0000fonica' })).toEqual(['Telefónica S.A.']);
    expect(await names({ search: 'san\u0001tander' })).toEqual(['Banco Santander']);
    expect(await names({ search: 'acme\u0085iberia' })).toEqual(['Acme (Iberia) "Quoted"']);
    expect(await names({ search: '\u0000' })).toHaveLength(3);
    // A lone surrogate is a character no stored name has.
    expect(await names({ search: '\ud800acme' })).toEqual([]);
    expect((await rt.call<ClientMetrics>('clients.metrics', { search: 'tele\u0000fonica' })).total).toBe(1);
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
      .values({ id: 'e1', client_id: ids.beta!.id, lead_id: null, type: 'meeting', title: 'Kick-off', notes: null, occurred_at: '2026-11-19T09:00:00.000Z', score: null, amount_minor: null, amount_currency: null, proposal_state: null, created_by: null, created_at: '2026-11-19T09:00:00.000Z', updated_at: '2026-11-19T09:00:00.000Z', deleted_at: null, version: 1 })
      .execute();
    expect((await names({ sort: 'last_activity_at', direction: 'desc' }))[0]).toBe('Beta');
  });

  it('computes the summary metrics for the current filter by hand-checked figures', async () => {
    const insertEvent = (id: string, clientId: string, at: string) =>
      rt.db
        .insertInto('events')
        .values({ id, client_id: clientId, lead_id: null, type: 'call', title: 'Call', notes: null, occurred_at: at, score: null, amount_minor: null, amount_currency: null, proposal_state: null, created_by: null, created_at: at, updated_at: at, deleted_at: null, version: 1 })
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
          updated_at: '2026-11-01T00:00:00.000Z', deleted_at: null, version: 1, ...extra,
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
    // The query plans (seeks into the facets index, one pass over the covering index) agree.
    const at = { monthStart: '2026-11-01T00:00:00.000Z', thirtyDaysAgo: '2026-10-21T10:00:00.000Z' };
    const base = { search: '', statuses: [], areaIds: [], ownerIds: [], createdFrom: null, createdTo: null, includeArchived: false };
    const unfiltered = await clientMetrics(rt.db, base, at);
    const everyone = { ...base, statuses: ['active', 'paused', 'inactive'] };
    expect(await clientMetrics(rt.db, everyone, at, 'seek')).toEqual(unfiltered);
    expect(await clientMetrics(rt.db, everyone, at, 'scan')).toEqual(unfiltered);
    const mostly = { ...base, statuses: ['active', 'paused'] };
    const bySeeks = await clientMetrics(rt.db, mostly, at, 'seek');
    expect(await clientMetrics(rt.db, mostly, at, 'scan')).toEqual(bySeeks);
    expect(bySeeks.forecast).toEqual(unfiltered.forecast);
    const financeFilter = { ...base, areaIds: [area('finance')] };
    expect(await clientMetrics(rt.db, financeFilter, at, 'scan')).toEqual(await clientMetrics(rt.db, financeFilter, at, 'seek'));
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

describe('per-client aggregates (client_stats) and search plans', () => {
  const stats = () => rt.database.sqlite.prepare('SELECT * FROM client_stats ORDER BY seq').all();
  /** What the bulk rebuild (the seed's and migration 0003's one-pass backfill) computes from the base tables. */
  const rebuilt = () => {
    const before = stats();
    for (const statement of rebuildClientStatsSql) rt.database.sqlite.exec(statement);
    return { before, after: stats() };
  };
  const metrics = (filter: Record<string, unknown> = {}) => rt.call<ClientMetrics>('clients.metrics', filter);
  const rowOf = async (id: string) => (await list({ includeArchived: true })).rows.find((r) => r.id === id)!;
  const posting = { title: 'Engineer', status: 'open', openings: 1, salaryMinMinor: 4_000_000, salaryMaxMinor: 4_000_000, salaryCurrency: 'EUR', salaryPeriod: 'year', feeType: 'percentage', feePercent: 10, probability: 50 };
  let a: Client;
  let b: Client;
  beforeEach(async () => {
    a = await createAt('2026-09-01T09:00:00.000Z', { companyName: 'Transportes Alfa', email: 'info@alfa.es' });
    b = await createAt('2026-09-02T09:00:00.000Z', { companyName: 'Beta Foods', email: 'info@beta.es', areaId: area('retail') });
    clock = new Date('2026-11-20T10:00:00.000Z');
  });

  it('keep open postings and the forecast right through job create, update, status change, duplicate and delete', async () => {
    const job = await rt.call<{ id: string; updatedAt: string; version: number }>('jobs.create', { clientId: a.id, ...posting });
    expect((await rowOf(a.id)).openJobs).toBe(1);
    expect(await metrics()).toMatchObject({ openJobs: 1, forecast: [{ currency: 'EUR', amountMinor: 200_000 }] });
    const gbp = await rt.call<{ id: string; updatedAt: string; version: number }>('jobs.create', { clientId: a.id, ...posting, salaryCurrency: 'GBP', status: 'on_hold' });
    const usd = await rt.call<{ id: string; updatedAt: string; version: number }>('jobs.create', { clientId: a.id, ...posting, salaryCurrency: 'USD', status: 'draft', probability: 100 });
    // Three currencies: summed from the client's jobs at query time.
    expect(await metrics()).toMatchObject({ openJobs: 2, forecast: [{ currency: 'USD', amountMinor: 400_000 }, { currency: 'EUR', amountMinor: 200_000 }, { currency: 'GBP', amountMinor: 200_000 }] });
    expect(await metrics({ search: 'alfa' })).toMatchObject({ total: 1, openJobs: 2, forecast: [{ currency: 'USD', amountMinor: 400_000 }, { currency: 'EUR', amountMinor: 200_000 }, { currency: 'GBP', amountMinor: 200_000 }] });
    expect(await metrics({ search: 'beta' })).toMatchObject({ total: 1, openJobs: 0, forecast: [] });
    await rt.call('jobs.update', { ...posting, id: job.id, version: job.version, status: 'filled', closeReason: 'Hired' });
    expect((await rowOf(a.id)).openJobs).toBe(1);
    expect(await metrics()).toMatchObject({ openJobs: 1, forecast: [{ currency: 'USD', amountMinor: 400_000 }, { currency: 'GBP', amountMinor: 200_000 }] });
    await rt.call('jobs.update', { ...posting, id: usd.id, version: usd.version, status: 'draft', probability: 25, salaryCurrency: 'USD' });
    await rt.call('jobs.duplicate', { id: gbp.id });
    expect(await metrics()).toMatchObject({ openJobs: 1, forecast: [{ currency: 'GBP', amountMinor: 400_000 }, { currency: 'USD', amountMinor: 100_000 }] });
    await rt.call('jobs.delete', { id: gbp.id });
    expect((await rowOf(a.id)).openJobs).toBe(0);
    expect(await metrics()).toMatchObject({ openJobs: 0, forecast: [{ currency: 'GBP', amountMinor: 200_000 }, { currency: 'USD', amountMinor: 100_000 }] });
    const { before, after } = rebuilt();
    expect(before).toEqual(after);
  });

  it('keep the events of the last 30 days right through create, move, delete, restore and the moving window', async () => {
    const event = (at: string, clientId = a.id) => rt.call<{ id: string; updatedAt: string; version: number }>('events.create', { clientId, type: 'call', title: 'Call', occurredAt: at });
    const recent = await event('2026-11-01T09:00:00.000Z');
    await event('2026-10-25T09:00:00.000Z', b.id);
    const old = await event('2026-10-01T09:00:00.000Z');
    expect((await metrics()).eventsLast30Days).toBe(2);
    expect((await metrics({ areaIds: [area('retail')] })).eventsLast30Days).toBe(1);
    await rt.call('events.update', { id: old.id, version: old.version, type: 'call', title: 'Call', occurredAt: '2026-11-15T09:00:00.000Z' });
    expect((await metrics()).eventsLast30Days).toBe(3);
    await rt.call('events.delete', { id: recent.id });
    expect((await metrics()).eventsLast30Days).toBe(2);
    await rt.call('events.restore', { id: recent.id });
    expect((await metrics()).eventsLast30Days).toBe(3);
    // An hour later the window barely moved: counted from the stored start, corrected for the hour.
    clock = new Date('2026-11-20T11:00:00.000Z');
    expect((await metrics()).eventsLast30Days).toBe(3);
    // Two days later the 10-25 event left the window; the start moves forward.
    clock = new Date('2026-11-25T10:00:00.000Z');
    expect(await metrics()).toMatchObject({ eventsLast30Days: 2 });
    expect(rt.database.sqlite.prepare('SELECT events_since FROM client_stats_window').get()).toEqual({ events_since: '2026-10-26T10:00:00.000Z' });
    // The clock went back: the start moves back and the event counts again, here and per filter.
    clock = new Date('2026-11-20T10:00:00.000Z');
    expect((await metrics()).eventsLast30Days).toBe(3);
    expect((await metrics({ search: 'beta' })).eventsLast30Days).toBe(1);
    const { before, after } = rebuilt();
    expect(before).toEqual(after);
  });

  it('follow status, area and archive changes of the client', async () => {
    await rt.call('jobs.create', { clientId: b.id, ...posting });
    expect((await metrics({ statuses: ['paused'] })).total).toBe(0);
    const paused = await rt.call<Client>('clients.update', { id: b.id, version: b.version, companyName: 'Beta Foods', email: 'info@beta.es', areaId: area('finance'), status: 'paused' });
    expect(await metrics({ statuses: ['paused'] })).toMatchObject({ total: 1, byStatus: { paused: 1 }, openJobs: 1 });
    expect(await metrics({ areaIds: [area('finance')] })).toMatchObject({ total: 1, openJobs: 1 });
    expect((await metrics({ areaIds: [area('retail')] })).total).toBe(0);
    const archived = await rt.call<Client>('clients.archive', { id: b.id, version: paused.version });
    expect(await metrics()).toMatchObject({ total: 1, openJobs: 0, forecast: [] });
    expect(await metrics({ includeArchived: true })).toMatchObject({ total: 2, openJobs: 1 });
    await rt.call('clients.restore', { id: b.id, version: archived.version });
    expect(await metrics()).toMatchObject({ total: 2, openJobs: 1 });
    const { before, after } = rebuilt();
    expect(before).toEqual(after);
  });

  it('give the same page whichever search plan runs, including a walk that runs out of budget', async () => {
    // Written directly (the duplicate rules would flag such alike names); the triggers index them as usual.
    for (let i = 0; i < 30; i++) {
      const at = `2026-10-${String(1 + (i % 28)).padStart(2, '0')}T0${i % 10}:00:00.000Z`;
      const record = {
        id: `client-${i}`, code: `CL-TEST-${String(100 - i).padStart(4, '0')}`, company_name: `${i % 3 ? 'Zeta' : 'Transportes'} Cliente ${i}`, email: `c${i}@cliente${i}.es`,
        area_id: area('technology'), phone: null, website: null, comments: null, status: (i % 4 ? 'active' : 'paused') as 'active' | 'paused', owner_id: null,
        name_key: `cliente ${i}`, email_key: `c${i}@cliente${i}.es`, domain_key: null, default_fee_percent: null, default_guarantee_days: null, default_payment_terms_days: null,
        lead_id: null, created_at: at, updated_at: at, archived_at: null, last_activity_at: i % 5 ? at : null, version: 1, search_text: '',
      };
      record.search_text = clientSearchText(record, i % 2 ? [{ name: 'Lucía Clientela', email: null }] : []);
      await rt.db.insertInto('clients').values(record).execute();
    }
    const base = { search: '', statuses: [], areaIds: [], ownerIds: [], createdFrom: null, createdTo: null, includeArchived: false, limit: 5, after: null };
    for (const search of ['transportes', 'trans cli', 'zeta 1', 'nada', 'cl', 'lucia zeta']) {
      for (const sort of ['company_name', 'created_at', 'code', 'last_activity_at'] as const) {
        for (const direction of ['asc', 'desc'] as const) {
          for (const statuses of [[], ['active']]) {
            const q = { ...base, search, sort, direction, statuses };
            const expected = (await (await listClientsQuery(rt.db, q, { plan: 'index' })).execute()).map((r) => r.id);
            for (const force of [{}, { plan: 'scan' as const }, { plan: 'scan' as const, budget: 2 }]) {
              const got = (await (await listClientsQuery(rt.db, q, force)).execute()).map((r) => r.id);
              expect(got, `${search} ${sort} ${direction} ${statuses} ${JSON.stringify(force)}`).toEqual(expected);
            }
            expect(await countClients(rt.db, q)).toBe((await (await listClientsQuery(rt.db, { ...q, limit: 500 })).execute()).length);
          }
        }
      }
    }
    // Paging by keyset gives the whole list once, in order, for every sort (ties on the sort key included).
    for (const sort of ['company_name', 'created_at', 'code', 'last_activity_at'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const search of ['', 'cliente']) {
          const all = (await list({ sort, direction, search, limit: 500 })).rows.map((r) => r.id);
          const paged: string[] = [];
          let cursor: string | null = null;
          do {
            const page: { rows: ClientRow[]; nextCursor: string | null } = await list({ sort, direction, search, limit: 4, cursor });
            paged.push(...page.rows.map((r) => r.id));
            cursor = page.nextCursor;
          } while (cursor);
          expect(paged, `${sort} ${direction} ${search}`).toEqual(all);
        }
      }
    }
  });

  it('are backfilled by migration 0003 on a database that already holds data', async () => {
    await rt.call('jobs.create', { clientId: a.id, ...posting });
    await rt.call('events.create', { clientId: b.id, type: 'call', title: 'Call', occurredAt: '2026-11-19T09:00:00.000Z' });
    await rt.call('contacts.create', { clientId: b.id, name: 'Lucía Fernández', email: 'lucia@beta.es' });
    const expected = stats();
    const file = rt.ctx.databaseFile;
    // Back to the schema before 0003, data kept: what an installed app has when it updates.
    const sqlite = rt.database.sqlite;
    for (const { type, name } of sqlite.prepare(`SELECT type, name FROM sqlite_master WHERE name LIKE 'client_stats%' OR name LIKE 'clients_search%' OR name = 'clients_created_search'`).all() as { type: string; name: string }[]) {
      if (type === 'trigger' || type === 'index') sqlite.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name}"`);
    }
    sqlite.exec(`DROP TABLE client_stats; DROP TABLE client_stats_window; DROP TABLE clients_search; DELETE FROM schema_migrations WHERE name = '0003-client-stats'`);
    await rt.close();
    const reopened = await testRuntime({ file, now: () => clock });
    try {
      expect(reopened.database.sqlite.prepare('SELECT * FROM client_stats ORDER BY seq').all()).toEqual(expected);
      expect((await reopened.call<{ rows: ClientRow[] }>('clients.list', { search: 'lucia' })).rows.map((r) => r.companyName)).toEqual(['Beta Foods']);
      expect(await reopened.call<ClientMetrics>('clients.metrics', {})).toMatchObject({ total: 2, openJobs: 1, eventsLast30Days: 1 });
    } finally {
      await reopened.dispose();
    }
  });
});

describe('the hand-written check of the list answer', () => {
  it('passes only what the output schema accepts and returns unchanged', async () => {
    await createAt('2026-09-01T09:00:00.000Z', { companyName: 'Acme', email: 'a@acme.com' });
    const good = await list();
    const row = good.rows[0]!;
    const candidates: unknown[] = [
      good,
      { ...good, nextCursor: 'abc' },
      { ...good, rows: [{ ...row, matchedContact: { name: 'Ana', email: null } }] },
      { ...good, rows: [{ ...row, lastActivityAt: '2024-02-29T23:59:59.999Z' }] },
      { ...good, rows: [{ ...row, lastActivityAt: '2023-02-29T10:00:00.000Z' }] },
      { ...good, rows: [{ ...row, createdAt: '2026-13-01T10:00:00.000Z' }] },
      { ...good, rows: [{ ...row, createdAt: '2026-11-20T10:00:00Z' }] },
      { ...good, rows: [{ ...row, createdAt: '2026-11-20T10:00:00.000+01:00' }] },
      { ...good, rows: [{ ...row, createdAt: '2026-11-20' }] },
      { ...good, rows: [{ ...row, status: 'archived' }] },
      { ...good, rows: [{ ...row, id: '' }] },
      { ...good, rows: [{ ...row, id: 'x'.repeat(65) }] },
      { ...good, rows: [{ ...row, ownerId: 7 }] },
      { ...good, rows: [{ ...row, openJobs: 1.5 }] },
      { ...good, rows: [{ ...row, openJobs: Number.NaN }] },
      { ...good, rows: [{ ...row, areaKey: undefined }] },
      { ...good, rows: [{ ...row, extra: 1 }] },
      { ...good, rows: [{ ...row, matchedContact: { name: 'Ana', email: null, phone: '1' } }] },
      { ...good, rows: [{ ...row, matchedContact: undefined }] },
      { ...good, rows: [Object.assign(Object.create(null) as object, row)] },
      { ...good, rows: [null] },
      { ...good, extra: true },
      { rows: good.rows },
    ];
    const { id: _id, ...withoutId } = row;
    candidates.push({ ...good, rows: [withoutId] });
    const spec = channels['clients.list'];
    let accepted = 0;
    for (const candidate of candidates) {
      if (!isClientListOutput(candidate)) continue;
      accepted++;
      const parsed = spec.output.safeParse(candidate);
      expect(parsed.success, JSON.stringify(candidate)).toBe(true);
      expect(parsed.data).toEqual(candidate);
    }
    expect(accepted).toBe(5);
    expect(isClientListOutput(good)).toBe(true);
  });
});

describe('the list inside a transaction', () => {
  it('reads through Kysely there, and the app instance never sees uncommitted rows', async () => {
    await createAt('2026-09-01T09:00:00.000Z', { companyName: 'Acme', email: 'a@acme.com' });
    const q = { search: '', statuses: [], areaIds: [], ownerIds: [], createdFrom: null, createdTo: null, includeArchived: false, sort: 'created_at' as const, direction: 'desc' as const, limit: 10, after: null };
    let inside: string[] = [];
    let waiting: Promise<string[]> | null = null;
    await expect(
      rt.db.transaction().execute(async (trx) => {
        await trx.updateTable('clients').set({ company_name: 'Acme Renamed' }).execute();
        // Started while the transaction is open: it must wait for it, not read its rows.
        waiting = (async () => (await (await listClientsQuery(rt.db, q)).execute()).map((r) => r.company_name))();
        inside = (await (await listClientsQuery(trx, q)).execute()).map((r) => r.company_name);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(inside).toEqual(['Acme Renamed']);
    expect(await waiting!).toEqual(['Acme']);
  });
});
