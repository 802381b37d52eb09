// Revenue forecast of job postings. Money is integer minor units; each posting has one currency.
//
// Conventions (documented for recruiters in the Jobs modal):
// - annual salary = midpoint of min and max (or whichever is given) × 1 per year, × 12 per month,
//   × 2 080 per hour (40 hours × 52 weeks);
// - expected fee per opening = fee % × annual salary (percentage), or the fixed fee (fixed),
//   or the whole retainer fee (retainer, however many instalments);
// - expected fee = fee per opening × openings; weighted forecast = expected fee × probability;
// - each posting's amounts are rounded to whole minor units, so totals are the sum of what each posting shows.
// The SQL in db/repositories/forecast.ts computes the same formula for totals; a unit test keeps them equal.

export const hoursPerYear = 2080;
export const periodFactor = { year: 1, month: 12, hour: hoursPerYear } as const;
export type SalaryPeriod = keyof typeof periodFactor;

/** Postings that still count towards the open forecast. */
export const openForecastStatuses = ['draft', 'open', 'on_hold'] as const;

export interface ForecastInput {
  feeType: 'percentage' | 'fixed' | 'retainer' | null;
  feePercent: number | null;
  feeFixedMinor: number | null;
  salaryMinMinor: number | null;
  salaryMaxMinor: number | null;
  salaryPeriod: SalaryPeriod | null;
  openings: number;
  probability: number | null;
}

export interface Forecast {
  annualSalaryMinor: number | null;
  feePerOpeningMinor: number | null;
  expectedMinor: number | null;
  weightedMinor: number | null;
}

function salaryMidpoint(min: number | null, max: number | null): number | null {
  if (min === null && max === null) return null;
  return min !== null && max !== null ? (min + max) / 2 : (min ?? max);
}

export function forecast(job: ForecastInput): Forecast {
  const mid = salaryMidpoint(job.salaryMinMinor, job.salaryMaxMinor);
  const factor = job.salaryPeriod ? periodFactor[job.salaryPeriod] : null;
  const annual = mid !== null && factor !== null ? mid * factor : null;
  let perOpening: number | null = null;
  let expected: number | null = null;
  if (job.feeType === 'percentage' && job.feePercent !== null && mid !== null && factor !== null) {
    // Multiplied in the same order as the SQL, so both round the same floating-point value.
    perOpening = (job.feePercent / 100) * mid * factor;
    expected = Math.round((job.feePercent / 100) * mid * factor * job.openings);
  } else if ((job.feeType === 'fixed' || job.feeType === 'retainer') && job.feeFixedMinor !== null) {
    perOpening = job.feeFixedMinor;
    expected = Math.round(job.feeFixedMinor * job.openings);
  }
  const weighted = expected === null || job.probability === null ? null : Math.round((expected * job.probability) / 100);
  return {
    annualSalaryMinor: annual === null ? null : Math.round(annual),
    feePerOpeningMinor: perOpening === null ? null : Math.round(perOpening),
    expectedMinor: expected,
    weightedMinor: weighted,
  };
}
