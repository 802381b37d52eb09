import type { Job } from '../../../contract/jobs';
import type { MessageKey, Translate } from '../../i18n';
import { formatMoney } from '../../lib/money';

export const jobStatusColors: Record<Job['status'], string> = { draft: 'gray', open: 'indigo', on_hold: 'yellow', filled: 'teal', cancelled: 'red' };

export function salaryText(job: Job, t: Translate, locale: string): string {
  if (!job.salaryCurrency || (job.salaryMinMinor === null && job.salaryMaxMinor === null)) return '—';
  const part = (minor: number | null) => (minor === null ? '…' : formatMoney(minor, job.salaryCurrency!, locale));
  const period = job.salaryPeriod ? ` / ${t(`jobs.period.${job.salaryPeriod}` as MessageKey)}` : '';
  return `${part(job.salaryMinMinor)} – ${part(job.salaryMaxMinor)}${period}`;
}

/** Filled and cancelled postings leave the open forecast: their amounts are shown struck through. */
export const closed = (job: Job) => job.status === 'filled' || job.status === 'cancelled';
