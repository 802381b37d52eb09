import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forecast, type ForecastInput } from '../../contract/forecast';
import { expectedFeeSql, weightedFeeSql } from '../../db/repositories/forecast';
import { testRuntime } from '../support/runtime';

const base: ForecastInput = { feeType: 'percentage', feePercent: 20, feeFixedMinor: null, salaryMinMinor: 4_000_000, salaryMaxMinor: 6_000_000, salaryPeriod: 'year', openings: 2, probability: 50 };

describe('forecast', () => {
  it('computes the worked example: 40 000–60 000 EUR/year, 20 %, 2 openings, 50 %', () => {
    expect(forecast(base)).toEqual({ annualSalaryMinor: 5_000_000, feePerOpeningMinor: 1_000_000, expectedMinor: 2_000_000, weightedMinor: 1_000_000 });
  });

  it('annualises monthly (×12) and hourly (×2 080) salaries', () => {
    expect(forecast({ ...base, salaryMinMinor: 300_000, salaryMaxMinor: 500_000, salaryPeriod: 'month', openings: 1, probability: 100 }).expectedMinor).toBe(960_000);
    expect(forecast({ ...base, salaryMinMinor: 2_000, salaryMaxMinor: 3_000, salaryPeriod: 'hour', openings: 1, probability: 100 }).annualSalaryMinor).toBe(5_200_000);
  });

  it('uses the one bound given, fixed and retainer fees, and rounds to whole minor units', () => {
    expect(forecast({ ...base, salaryMaxMinor: null, openings: 1 }).expectedMinor).toBe(800_000);
    expect(forecast({ ...base, feeType: 'fixed', feeFixedMinor: 750_050, openings: 3, probability: 33 })).toMatchObject({ expectedMinor: 2_250_150, weightedMinor: 742_550 });
    expect(forecast({ ...base, feeType: 'retainer', feeFixedMinor: 1_200_000, openings: 1, probability: 25 }).weightedMinor).toBe(300_000);
    expect(forecast({ ...base, feePercent: 17.5, salaryMinMinor: 3_333_333, salaryMaxMinor: 3_333_334, openings: 1, probability: 33 }).weightedMinor).toBe(192_500);
  });

  it('leaves unknown what cannot be computed', () => {
    expect(forecast({ ...base, salaryMinMinor: null, salaryMaxMinor: null }).expectedMinor).toBeNull();
    expect(forecast({ ...base, feePercent: null }).expectedMinor).toBeNull();
    expect(forecast({ ...base, probability: null })).toMatchObject({ expectedMinor: 2_000_000, weightedMinor: null });
    expect(forecast({ ...base, feeType: null }).expectedMinor).toBeNull();
  });
});

describe('forecast SQL', () => {
  let rt: Awaited<ReturnType<typeof testRuntime>>;
  beforeEach(async () => {
    rt = await testRuntime();
  });
  afterEach(() => rt.dispose());

  it('computes exactly what the TypeScript formula computes', async () => {
    const cases: ForecastInput[] = [
      base,
      { ...base, salaryPeriod: 'month', salaryMinMinor: 250_010, salaryMaxMinor: 310_999, probability: 37 },
      { ...base, salaryPeriod: 'hour', salaryMinMinor: 1_875, salaryMaxMinor: null, feePercent: 12.5, openings: 3, probability: 61 },
      { ...base, feeType: 'fixed', feeFixedMinor: 123_457, openings: 7, probability: 13 },
      { ...base, feeType: 'retainer', feeFixedMinor: 999_999, openings: 1, probability: 99 },
      { ...base, feePercent: 17.5, salaryMinMinor: 3_333_333, salaryMaxMinor: 3_333_334, openings: 1, probability: 33 },
      { ...base, probability: null },
      { ...base, salaryMinMinor: null, salaryMaxMinor: null },
    ];
    for (const c of cases) {
      const row = await sql<{ expected: number | null; weighted: number | null }>`
        SELECT ${expectedFeeSql} AS expected, ${weightedFeeSql} AS weighted FROM (SELECT
          ${c.feeType} AS fee_type, ${c.feePercent} AS fee_percent, ${c.feeFixedMinor} AS fee_fixed_minor,
          ${c.salaryMinMinor} AS salary_min_minor, ${c.salaryMaxMinor} AS salary_max_minor, ${c.salaryPeriod} AS salary_period,
          ${c.openings} AS openings, ${c.probability} AS probability) j`.execute(rt.db);
      const f = forecast(c);
      expect([row.rows[0]!.expected, row.rows[0]!.weighted], JSON.stringify(c)).toEqual([f.expectedMinor, f.weightedMinor]);
    }
  });

  it("stores the same weighted forecast in the jobs table's generated column", async () => {
    const areaId = (await rt.db.selectFrom('areas').select('id').executeTakeFirstOrThrow()).id;
    const client = await rt.call<{ id: string }>('clients.create', { companyName: 'Acme', email: 'info@acme.com', areaId });
    const cases: ForecastInput[] = [
      base,
      { ...base, salaryPeriod: 'hour', salaryMinMinor: 1_875, salaryMaxMinor: null, feePercent: 12.5, openings: 3, probability: 61 },
      { ...base, feeType: 'retainer', feeFixedMinor: 999_999, openings: 1, probability: 99 },
      { ...base, probability: null },
    ];
    for (const [i, c] of cases.entries()) {
      await rt.db
        .insertInto('jobs')
        .values({
          id: `j${i}`, client_id: client.id, code: `JB-${i}`, title: 'Role', status: 'open', openings: c.openings, location: null, work_mode: null, employment_type: null,
          salary_min_minor: c.salaryMinMinor, salary_max_minor: c.salaryMaxMinor, salary_currency: 'EUR', salary_period: c.salaryPeriod, fee_type: c.feeType,
          fee_percent: c.feePercent, fee_fixed_minor: c.feeFixedMinor, retainer_instalments: null, payment_terms_days: null, guarantee_days: null, guarantee_policy: null,
          pro_rata_days: null, cancellation_fee_minor: null, clause_notes: null, probability: c.probability, expected_close_date: null, owner_id: null, close_reason: null,
          created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', deleted_at: null, version: 1,
        })
        .execute();
      const stored = await rt.db.selectFrom('jobs').select('weighted_fee_minor').where('id', '=', `j${i}`).executeTakeFirstOrThrow();
      expect(stored.weighted_fee_minor, JSON.stringify(c)).toBe(forecast(c).weightedMinor);
    }
  });
});
