import { sql } from 'kysely';

/**
 * The forecast formula of contract/forecast.ts as SQL over `jobs as j`, so totals over thousands of
 * postings are one aggregate query. Rounded per posting, like the TypeScript version.
 */
export const expectedFeeSql = sql<number | null>`round(
  CASE j.fee_type
    WHEN 'percentage' THEN j.fee_percent / 100.0
      * coalesce((j.salary_min_minor + j.salary_max_minor) / 2.0, j.salary_min_minor, j.salary_max_minor)
      * CASE j.salary_period WHEN 'year' THEN 1 WHEN 'month' THEN 12 WHEN 'hour' THEN 2080 END
    WHEN 'fixed' THEN j.fee_fixed_minor
    WHEN 'retainer' THEN j.fee_fixed_minor
  END * j.openings)`;

export const weightedFeeSql = sql<number | null>`round(${expectedFeeSql} * j.probability / 100.0)`;
