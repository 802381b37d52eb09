import { periodFactor, type SalaryPeriod } from './forecast';

// What a placement earns and what its guarantee may take back. Money is integer minor units in the agreed
// salary's currency. The rules, as the placement dialog and the departure dialog state them:
//
// Fee (the posting's commercial terms, as the forecast reads them — contract/forecast.ts):
// - percentage: fee % × annual salary, where the agreed salary is annualised like the forecast does
//   (× 1 per year, × 12 per month, × 2 080 per hour), rounded to whole minor units;
// - fixed: the fixed fee;
// - retainer: the whole retainer (as the forecast counts it per opening), paid in N instalments: each
//   instalment is the fee divided by N rounded down, the last one takes the remainder, so they add up exactly;
// - a placement that replaces one that ended inside its guarantee earns nothing (the replacement is owed).
//
// Guarantee: it ends `guarantee days` after the start date (start 2026-03-02 + 90 days → 2026-05-31). A
// candidate who leaves on or before that date leaves inside the guarantee, and the clause decides:
// - replacement: no money moves; a free replacement is owed (the posting gets its opening back);
// - refund without a pro-rata period (or with 0 days): the whole fee is refunded;
// - refund pro rata over P days: days worked = leaving date − start date (leaving on the start date: 0 days);
//   refund = fee × (P − days worked) / P, rounded to whole minor units, and nothing once days worked ≥ P.
// Leaving after the guarantee, or from a posting without guarantee days, owes nothing.

export interface FeeTerms {
  feeType: 'percentage' | 'fixed' | 'retainer' | null;
  feePercent: number | null;
  feeFixedMinor: number | null;
  retainerInstalments: number | null;
}

export interface PlacementFee {
  /** The agreed salary per year. */
  annualSalaryMinor: number;
  /** Null when the posting has no usable fee terms (nothing is earned). */
  feeMinor: number | null;
  /** Retainer instalments, adding up to the fee; null for other fee types. */
  instalments: number[] | null;
}

export function annualSalary(salaryMinor: number, period: SalaryPeriod): number {
  return Math.round(salaryMinor * periodFactor[period]);
}

/** The fee of a placement from the posting's terms and the agreed salary; a replacement earns nothing. */
export function placementFee(terms: FeeTerms, salaryMinor: number, period: SalaryPeriod, replacement = false): PlacementFee {
  const annualSalaryMinor = annualSalary(salaryMinor, period);
  if (replacement) return { annualSalaryMinor, feeMinor: 0, instalments: null };
  if (terms.feeType === 'percentage' && terms.feePercent !== null) {
    // Multiplied in the forecast's order (percent / 100 × salary × factor), so both round the same value.
    return { annualSalaryMinor, feeMinor: Math.round((terms.feePercent / 100) * salaryMinor * periodFactor[period]), instalments: null };
  }
  if ((terms.feeType === 'fixed' || terms.feeType === 'retainer') && terms.feeFixedMinor !== null) {
    const fee = terms.feeFixedMinor;
    return { annualSalaryMinor, feeMinor: fee, instalments: terms.feeType === 'retainer' ? instalmentsOf(fee, terms.retainerInstalments ?? 1) : null };
  }
  return { annualSalaryMinor, feeMinor: null, instalments: null };
}

/** N instalments of a fee: equal parts rounded down, the last one with the remainder. */
export function instalmentsOf(feeMinor: number, count: number): number[] {
  const n = Math.max(1, Math.floor(count));
  const part = Math.floor(feeMinor / n);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? feeMinor - part * (n - 1) : part));
}

const dayMs = 86_400_000;
const utc = (date: string) => Date.parse(`${date}T00:00:00.000Z`);

/** `YYYY-MM-DD` + days, in calendar days (no time zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(utc(date) + days * dayMs).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utc(to) - utc(from)) / dayMs);
}

/** The last day of the guarantee, or null when the posting gives none. */
export function guaranteeEnd(startDate: string, guaranteeDays: number | null): string | null {
  return guaranteeDays ? addDays(startDate, guaranteeDays) : null;
}

export type Settlement = 'none' | 'refund' | 'replacement';

export interface DepartureInput {
  feeMinor: number;
  startDate: string;
  guaranteeEndDate: string | null;
  guaranteePolicy: 'refund' | 'replacement' | null;
  proRataDays: number | null;
  /** The candidate's last day. */
  leftOn: string;
}

export interface DepartureOutcome {
  daysWorked: number;
  insideGuarantee: boolean;
  settlement: Settlement;
  refundMinor: number;
}

/** What the guarantee clause gives when the candidate leaves on `leftOn` (see the rules above). */
export function departureSettlement(d: DepartureInput): DepartureOutcome {
  const daysWorked = Math.max(0, daysBetween(d.startDate, d.leftOn));
  const insideGuarantee = d.guaranteeEndDate !== null && d.leftOn <= d.guaranteeEndDate;
  if (!insideGuarantee || !d.guaranteePolicy) return { daysWorked, insideGuarantee, settlement: 'none', refundMinor: 0 };
  if (d.guaranteePolicy === 'replacement') return { daysWorked, insideGuarantee, settlement: 'replacement', refundMinor: 0 };
  const period = d.proRataDays ?? 0;
  const refundMinor = period > 0 ? Math.round((d.feeMinor * Math.max(0, period - daysWorked)) / period) : d.feeMinor;
  return { daysWorked, insideGuarantee, settlement: 'refund', refundMinor };
}

/**
 * Whether a placement holds one of its posting's openings: a live placement does, until its candidate leaves
 * inside the guarantee (the role is vacant again, to refill or to replace). The posting's openings count what
 * is still to fill, so every change of this answer moves one opening.
 */
export function holdsOpening(p: { deleted_at: string | null; settlement: string | null }): boolean {
  return p.deleted_at === null && p.settlement !== 'refund' && p.settlement !== 'replacement';
}
