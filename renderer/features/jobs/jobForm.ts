import type { Job, JobStatus } from '../../../contract/jobs';
import type { ConflictFields, ShowContext } from '../../lib/editConflict';
import type { MessageKey } from '../../i18n';
import { formatMoney, toMajor, toMinor } from '../../lib/money';

type Num = number | string;
/** What the posting modal holds while the user types: money in major units, numbers '' while empty. */
export interface JobFormValues {
  title: string; status: JobStatus; closeReason: string; openings: Num; location: string; workMode: string | null; employmentType: string | null;
  salaryMin: Num; salaryMax: Num; salaryCurrency: string | null; salaryPeriod: string | null; feeType: string | null; feePercent: Num; feeFixed: Num;
  retainerInstalments: Num; paymentTermsDays: Num; guaranteeDays: Num; guaranteePolicy: string | null; proRataDays: Num; cancellationFee: Num;
  clauseNotes: string; probability: Num; expectedCloseDate: string | null; ownerId: string | null;
}

export interface ClientDefaults {
  feePercent: number | null;
  guaranteeDays: number | null;
  paymentTermsDays: number | null;
}

const num = (v: Num) => (v === '' ? null : Number(v));

export function jobFormValues(job: Job | null, defaults: ClientDefaults, ownerId: string | null): JobFormValues {
  return {
    title: job?.title ?? '', status: job?.status ?? 'open', closeReason: job?.closeReason ?? '', openings: job?.openings ?? 1, location: job?.location ?? '',
    workMode: job?.workMode ?? null, employmentType: job?.employmentType ?? 'full_time',
    salaryMin: toMajor(job?.salaryMinMinor ?? null), salaryMax: toMajor(job?.salaryMaxMinor ?? null), salaryCurrency: job?.salaryCurrency ?? 'EUR', salaryPeriod: job?.salaryPeriod ?? 'year',
    // A new posting starts from the client's default commercial terms.
    feeType: job ? job.feeType : 'percentage', feePercent: job ? (job.feePercent ?? '') : (defaults.feePercent ?? ''), feeFixed: toMajor(job?.feeFixedMinor ?? null),
    retainerInstalments: job?.retainerInstalments ?? 3, paymentTermsDays: job ? (job.paymentTermsDays ?? '') : (defaults.paymentTermsDays ?? ''),
    guaranteeDays: job ? (job.guaranteeDays ?? '') : (defaults.guaranteeDays ?? ''), guaranteePolicy: job?.guaranteePolicy ?? 'replacement', proRataDays: job?.proRataDays ?? '',
    cancellationFee: toMajor(job?.cancellationFeeMinor ?? null), clauseNotes: job?.clauseNotes ?? '', probability: job?.probability ?? 50,
    expectedCloseDate: job?.expectedCloseDate ?? null, ownerId: job ? job.ownerId : ownerId,
  };
}

export function jobInput(v: JobFormValues) {
  return {
    title: v.title, status: v.status, closeReason: v.closeReason, openings: Number(v.openings || 0), location: v.location, workMode: v.workMode, employmentType: v.employmentType,
    salaryMinMinor: toMinor(v.salaryMin), salaryMaxMinor: toMinor(v.salaryMax), salaryCurrency: v.salaryCurrency, salaryPeriod: v.salaryPeriod, feeType: v.feeType,
    feePercent: v.feeType === 'percentage' ? num(v.feePercent) : null, feeFixedMinor: v.feeType === 'fixed' || v.feeType === 'retainer' ? toMinor(v.feeFixed) : null,
    retainerInstalments: v.feeType === 'retainer' ? num(v.retainerInstalments) : null, paymentTermsDays: num(v.paymentTermsDays), guaranteeDays: num(v.guaranteeDays),
    guaranteePolicy: v.guaranteePolicy, proRataDays: num(v.proRataDays), cancellationFeeMinor: toMinor(v.cancellationFee), clauseNotes: v.clauseNotes,
    probability: num(v.probability), expectedCloseDate: v.expectedCloseDate, ownerId: v.ownerId,
  } as const;
}

const money = (key: 'salaryMin' | 'salaryMax' | 'feeFixed' | 'cancellationFee') => (v: JobFormValues, { format }: ShowContext) =>
  v[key] === '' ? '—' : formatMoney(toMinor(v[key]) ?? 0, v.salaryCurrency ?? 'EUR', format.locale);
const option = (key: 'status' | 'workMode' | 'employmentType' | 'salaryPeriod' | 'feeType' | 'guaranteePolicy', prefix: string) => (v: JobFormValues, { t }: ShowContext) =>
  v[key] ? t(`${prefix}.${v[key]}` as MessageKey) : '—';
const count = (key: 'openings' | 'retainerInstalments' | 'paymentTermsDays' | 'guaranteeDays' | 'proRataDays') => (v: JobFormValues, { format }: ShowContext) =>
  v[key] === '' ? '—' : format.number(Number(v[key]));
const percent = (key: 'feePercent' | 'probability') => (v: JobFormValues, { format }: ShowContext) => (v[key] === '' ? '—' : `${format.number(Number(v[key]))} %`);
/** "Salary range: Minimum": the form's label under its section, where the label alone is ambiguous. */
const inSection = (section: MessageKey, field: MessageKey) => (t: (key: MessageKey) => string) => `${t(section)}: ${t(field)}`;

export const jobConflictFields: ConflictFields<JobFormValues> = [
  { key: 'title', label: 'jobs.field.title' },
  { key: 'status', label: 'jobs.field.status', show: option('status', 'jobStatus') },
  { key: 'closeReason', label: 'jobs.field.closeReason' },
  { key: 'openings', label: 'jobs.field.openings', show: count('openings') },
  { key: 'location', label: 'jobs.field.location' },
  { key: 'ownerId', label: 'jobs.field.owner', show: (v, { userName }) => (v.ownerId ? userName(v.ownerId) : '—') },
  { key: 'workMode', label: 'jobs.field.workMode', show: option('workMode', 'jobs.workMode') },
  { key: 'employmentType', label: 'jobs.field.employmentType', show: option('employmentType', 'jobs.employment') },
  { key: 'salaryMin', label: inSection('jobs.section.salary', 'jobs.field.salaryMin'), show: money('salaryMin') },
  { key: 'salaryMax', label: inSection('jobs.section.salary', 'jobs.field.salaryMax'), show: money('salaryMax') },
  { key: 'salaryCurrency', label: 'jobs.field.currency' },
  { key: 'salaryPeriod', label: inSection('jobs.section.salary', 'jobs.field.period'), show: option('salaryPeriod', 'jobs.period') },
  { key: 'feeType', label: 'jobs.field.feeType', show: option('feeType', 'jobs.feeType') },
  { key: 'feePercent', label: 'jobs.field.feePercent', show: percent('feePercent') },
  { key: 'feeFixed', label: 'jobs.field.feeFixed', show: money('feeFixed') },
  { key: 'retainerInstalments', label: 'jobs.field.instalments', show: count('retainerInstalments') },
  { key: 'paymentTermsDays', label: 'jobs.field.paymentTerms', show: count('paymentTermsDays') },
  { key: 'guaranteeDays', label: 'jobs.field.guaranteeDays', show: count('guaranteeDays') },
  { key: 'guaranteePolicy', label: 'jobs.field.guaranteePolicy', show: option('guaranteePolicy', 'jobs.policy') },
  { key: 'proRataDays', label: 'jobs.field.proRataDays', show: count('proRataDays') },
  { key: 'cancellationFee', label: 'jobs.field.cancellationFee', show: money('cancellationFee') },
  { key: 'clauseNotes', label: 'jobs.field.clauseNotes' },
  { key: 'probability', label: 'jobs.field.probability', show: percent('probability') },
  { key: 'expectedCloseDate', label: 'jobs.field.expectedClose', show: (v, { format }) => (v.expectedCloseDate ? format.date(`${v.expectedCloseDate}T12:00:00Z`) : '—') },
];
