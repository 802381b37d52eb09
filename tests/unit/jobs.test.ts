import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client, HistoryEntry } from '../../contract/clients';
import type { Job, JobTotals } from '../../contract/jobs';
import { canMove } from '../../contract/jobs';
import { testRuntime } from '../support/runtime';

let rt: Awaited<ReturnType<typeof testRuntime>>;
let client: Client;

const posting = { title: 'Backend Engineer', status: 'open', openings: 2, salaryMinMinor: 4_000_000, salaryMaxMinor: 6_000_000, salaryCurrency: 'EUR', salaryPeriod: 'year', feeType: 'percentage', feePercent: 20, probability: 50 };

beforeEach(async () => {
  rt = await testRuntime();
  const areaId = (await rt.call<Area[]>('areas.list'))[0]!.id;
  client = await rt.call<Client>('clients.create', { companyName: 'Acme', email: 'info@acme.es', areaId });
});
afterEach(() => rt.dispose());

const create = (fields: Record<string, unknown> = {}) => rt.call<Job>('jobs.create', { clientId: client.id, ...posting, ...fields });
const totals = (filter: Record<string, unknown> = {}) => rt.call<JobTotals>('jobs.totals', { clientId: client.id, ...filter });

describe('job postings', () => {
  it('computes the forecast of the worked example and totals it per client', async () => {
    const job = await create();
    expect(job.code).toMatch(/^JB-[0-9A-Z]{4}-0001$/);
    expect(job.forecast).toEqual({ annualSalaryMinor: 5_000_000, feePerOpeningMinor: 1_000_000, expectedMinor: 2_000_000, weightedMinor: 1_000_000 });
    expect(await totals()).toEqual({ count: 1, openCount: 1, byCurrency: [{ currency: 'EUR', expectedMinor: 2_000_000, weightedMinor: 1_000_000 }] });
  });

  it('sums currencies separately and drops filled and cancelled postings from the open forecast', async () => {
    await create();
    await create({ title: 'London PM', salaryCurrency: 'GBP', feeType: 'fixed', feePercent: null, feeFixedMinor: 1_000_000, openings: 1, probability: 30 });
    const job = await create({ title: 'Will be filled' });
    let t = await totals();
    expect(t.byCurrency).toEqual([
      { currency: 'EUR', expectedMinor: 4_000_000, weightedMinor: 2_000_000 },
      { currency: 'GBP', expectedMinor: 1_000_000, weightedMinor: 300_000 },
    ]);
    await rt.call('jobs.update', { ...posting, id: job.id, version: job.version, status: 'filled', closeReason: 'Candidate started on Monday' });
    t = await totals();
    expect(t.openCount).toBe(2);
    expect(t.byCurrency[0]).toEqual({ currency: 'EUR', expectedMinor: 2_000_000, weightedMinor: 1_000_000 });
  });

  it('validates ranges, percentages, probability and reasons, and writes nothing when refused', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ salaryMinMinor: 7_000_000 }, 'salaryMaxMinor'],
      [{ feePercent: -1 }, 'feePercent'],
      [{ feePercent: 120 }, 'feePercent'],
      [{ probability: 101 }, 'probability'],
      [{ probability: -5 }, 'probability'],
      [{ openings: 0 }, 'openings'],
      [{ status: 'cancelled' }, 'closeReason'],
      [{ salaryCurrency: 'EURO' }, 'salaryCurrency'],
    ];
    for (const [patch, field] of cases) {
      const answer = await rt.dispatch('jobs.create', { clientId: client.id, ...posting, ...patch });
      expect(answer.ok ? null : answer.error.fields?.map((f) => f.path), JSON.stringify(patch)).toContain(field);
    }
    expect((await totals()).count).toBe(0);
  });

  it('enforces status transitions', async () => {
    expect(canMove('draft', 'filled')).toBe(false);
    expect(canMove('filled', 'open')).toBe(true);
    expect(canMove('cancelled', 'on_hold')).toBe(false);
    const draft = await create({ status: 'draft' });
    const refused = await rt.dispatch('jobs.update', { ...posting, id: draft.id, version: draft.version, status: 'filled', closeReason: 'Hired' });
    expect(refused.ok ? null : refused.error.fields).toEqual([{ path: 'status', message: 'invalid_transition', params: { from: 'draft', to: 'filled' } }]);
  });

  it('refuses a stale edit with CONFLICT', async () => {
    const job = await create();
    await rt.call('jobs.update', { ...posting, id: job.id, version: job.version, title: 'Senior Backend Engineer' });
    const stale = await rt.dispatch('jobs.update', { ...posting, id: job.id, version: job.version, title: 'Lost edit' });
    expect(stale.ok ? null : stale.error.code).toBe('CONFLICT');
  });

  it('duplicates as a new draft with its own code, and soft-deletes out of lists and totals', async () => {
    const job = await create();
    const copy = await rt.call<Job>('jobs.duplicate', { id: job.id });
    expect(copy.code).not.toBe(job.code);
    expect(copy.status).toBe('draft');
    expect(copy.feePercent).toBe(20);
    await rt.call('jobs.delete', { id: job.id });
    const list = await rt.call<{ rows: Job[] }>('jobs.list', { clientId: client.id });
    expect(list.rows.map((r) => r.id)).toEqual([copy.id]);
    expect((await totals()).count).toBe(1);
  });

  it('puts status changes in the client history under the posting', async () => {
    const job = await create();
    await rt.call('jobs.update', { ...posting, id: job.id, version: job.version, status: 'on_hold' });
    const { entries } = await rt.call<{ entries: HistoryEntry[] }>('clients.history', { clientId: client.id });
    expect(entries[0]).toMatchObject({ entity: 'job', operation: 'update', entityLabel: `${job.code} Backend Engineer`, changes: [{ field: 'status', old: 'open', new: 'on_hold' }] });
  });

  it('searches by title or code and filters by status and salary', async () => {
    const a = await create();
    await create({ title: 'Nurse', salaryMinMinor: 2_500_000, salaryMaxMinor: 3_000_000, status: 'draft' });
    const find = async (filter: Record<string, unknown>) => (await rt.call<{ rows: Job[] }>('jobs.list', filter)).rows.map((r) => r.title);
    expect(await find({ search: 'backend' })).toEqual(['Backend Engineer']);
    expect(await find({ search: a.code.toLowerCase() })).toEqual(['Backend Engineer']);
    expect(await find({ statuses: ['draft'] })).toEqual(['Nurse']);
    expect(await find({ salaryFromMinor: 3_500_000 })).toEqual(['Backend Engineer']);
  });
});
