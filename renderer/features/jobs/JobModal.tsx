import { Alert, Divider, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconCalculator } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { forecast } from '../../../contract/forecast';
import { issuesFromZod } from '../../../contract/errors';
import { canMove, currencies, employmentTypes, feeTypes, guaranteePolicies, jobFieldsSchema, jobStatuses, salaryPeriods, workModes, type Job, type JobStatus } from '../../../contract/jobs';
import { useAppStore } from '../../app/store';
import { FormActions } from '../../lib/FormActions';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { ApiFailure, api, fieldErrors, must, notifyError } from '../../lib/api';
import { FormModal } from '../../lib/FormModal';
import { formatMoney, toMajor, toMinor } from '../../lib/money';

type Num = number | string;
interface Values {
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

function initial(job: Job | null, defaults: ClientDefaults, ownerId: string | null): Values {
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

function toInput(v: Values) {
  return {
    title: v.title, status: v.status, closeReason: v.closeReason, openings: Number(v.openings || 0), location: v.location, workMode: v.workMode, employmentType: v.employmentType,
    salaryMinMinor: toMinor(v.salaryMin), salaryMaxMinor: toMinor(v.salaryMax), salaryCurrency: v.salaryCurrency, salaryPeriod: v.salaryPeriod, feeType: v.feeType,
    feePercent: v.feeType === 'percentage' ? num(v.feePercent) : null, feeFixedMinor: v.feeType === 'fixed' || v.feeType === 'retainer' ? toMinor(v.feeFixed) : null,
    retainerInstalments: v.feeType === 'retainer' ? num(v.retainerInstalments) : null, paymentTermsDays: num(v.paymentTermsDays), guaranteeDays: num(v.guaranteeDays),
    guaranteePolicy: v.guaranteePolicy, proRataDays: num(v.proRataDays), cancellationFeeMinor: toMinor(v.cancellationFee), clauseNotes: v.clauseNotes,
    probability: num(v.probability), expectedCloseDate: v.expectedCloseDate, ownerId: v.ownerId,
  } as const;
}

/** Create or edit a posting; the forecast and its formula update while typing. */
// Fields of a row line up along their input boxes even where a long label (Spanish, mostly) wraps.
const alignInputs = { alignItems: 'end' } as const;

export function JobModal({ opened, clientId, job, defaults, onClose, onSaved }: { opened: boolean; clientId: string; job: Job | null; defaults: ClientDefaults; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const format = useFormat();
  const users = useAppStore((s) => s.users);
  const currentUserId = useAppStore((s) => s.settings?.currentUserId ?? null);
  const [values, setValues] = useState<Values>(() => initial(job, defaults, currentUserId));
  const [start, setStart] = useState<Values>(values);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!opened) return;
    const v = initial(job, defaults, currentUserId);
    setValues(v);
    setStart(v);
    setTouched({});
    setServerErrors({});
  }, [opened, job, defaults, currentUserId]);

  const input = toInput(values);
  const parsed = jobFieldsSchema.safeParse(input);
  const errors = parsed.success ? {} : fieldErrors(t, issuesFromZod(parsed.error));
  const errorFor = (field: string) => serverErrors[field] ?? (touched[field] ? errors[field] : undefined);
  const dirty = JSON.stringify(values) !== JSON.stringify(start);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setTouched((x) => ({ ...x, [key]: true }));
    setServerErrors((e) => ({ ...e, [key]: '' }));
  };

  const currency = values.salaryCurrency ?? 'EUR';
  const money = (minor: number | null) => (minor === null ? '—' : formatMoney(minor, currency, format.locale));
  const f = forecast({ feeType: input.feeType as Job['feeType'], feePercent: input.feePercent, feeFixedMinor: input.feeFixedMinor, salaryMinMinor: input.salaryMinMinor, salaryMaxMinor: input.salaryMaxMinor, salaryPeriod: input.salaryPeriod as Job['salaryPeriod'], openings: input.openings || 1, probability: input.probability });

  const submit = async () => {
    setTouched(Object.fromEntries(Object.keys(values).map((k) => [k, true])));
    if (!parsed.success) return;
    setSaving(true);
    try {
      const data = parsed.data;
      const saved = job ? await must(api().jobs.update({ ...data, id: job.id, version: job.version })) : await must(api().jobs.create({ ...data, clientId }));
      notifications.show({ color: 'teal', message: t('jobs.saved', { code: saved.code }) });
      onSaved();
      onClose();
    } catch (error) {
      if (error instanceof ApiFailure && error.error.code === 'VALIDATION') setServerErrors(fieldErrors(t, error.error.fields));
      else notifyError(t, error);
    } finally {
      setSaving(false);
    }
  };

  const options = <T extends string>(list: readonly T[], prefix: string) => list.map((value) => ({ value, label: t(`${prefix}.${value}` as MessageKey) }));
  const statusOptions = jobStatuses.map((s) => ({ value: s, label: t(`jobStatus.${s}` as MessageKey), disabled: job ? !canMove(job.status, s) : false }));
  const numberProps = (key: keyof Values) => ({ value: values[key] as Num, onChange: (v: Num) => set(key, v as never), error: errorFor(key === 'salaryMax' ? 'salaryMaxMinor' : key === 'salaryMin' ? 'salaryMinMinor' : key === 'feeFixed' ? 'feeFixedMinor' : key === 'cancellationFee' ? 'cancellationFeeMinor' : key) });

  return (
    <FormModal opened={opened} title={job ? t('jobs.edit', { code: job.code }) : t('jobs.new')} size="xl" dirty={dirty && !saving} onClose={onClose} onSubmit={submit}>
      <Stack gap="sm">
        <Divider label={t('jobs.section.posting')} labelPosition="left" />
        <SimpleGrid cols={3}>
          <TextInput label={t('jobs.field.title')} required data-autofocus value={values.title} error={errorFor('title')} onChange={(e) => set('title', e.currentTarget.value)} style={{ gridColumn: 'span 2' }} />
          <Select label={t('jobs.field.status')} data={statusOptions} value={values.status} onChange={(v) => v && set('status', v as JobStatus)} allowDeselect={false} error={errorFor('status')} />
          {(values.status === 'filled' || values.status === 'cancelled') && (
            <TextInput label={t('jobs.field.closeReason')} required value={values.closeReason} error={errorFor('closeReason')} onChange={(e) => set('closeReason', e.currentTarget.value)} style={{ gridColumn: 'span 3' }} />
          )}
          <NumberInput label={t('jobs.field.openings')} min={1} max={999} allowDecimal={false} {...numberProps('openings')} />
          <TextInput label={t('jobs.field.location')} value={values.location} onChange={(e) => set('location', e.currentTarget.value)} />
          <Select label={t('jobs.field.owner')} data={users.filter((u) => u.active || u.id === job?.ownerId).map((u) => ({ value: u.id, label: u.name }))} value={values.ownerId} onChange={(v) => set('ownerId', v)} clearable searchable error={errorFor('ownerId')} />
          <Select label={t('jobs.field.workMode')} data={options(workModes, 'jobs.workMode')} value={values.workMode} onChange={(v) => set('workMode', v)} clearable />
          <Select label={t('jobs.field.employmentType')} data={options(employmentTypes, 'jobs.employment')} value={values.employmentType} onChange={(v) => set('employmentType', v)} clearable />
        </SimpleGrid>

        <Divider label={t('jobs.section.salary')} labelPosition="left" mt="xs" />
        <SimpleGrid cols={4} style={alignInputs}>
          <NumberInput label={t('jobs.field.salaryMin')} min={0} thousandSeparator decimalScale={2} {...numberProps('salaryMin')} />
          <NumberInput label={t('jobs.field.salaryMax')} min={0} thousandSeparator decimalScale={2} {...numberProps('salaryMax')} />
          <Select label={t('jobs.field.currency')} data={[...currencies]} value={values.salaryCurrency} onChange={(v) => set('salaryCurrency', v)} searchable error={errorFor('salaryCurrency')} />
          <Select label={t('jobs.field.period')} data={options(salaryPeriods, 'jobs.period')} value={values.salaryPeriod} onChange={(v) => set('salaryPeriod', v)} error={errorFor('salaryPeriod')} />
        </SimpleGrid>

        <Divider label={t('jobs.section.terms')} labelPosition="left" mt="xs" />
        <SimpleGrid cols={4} style={alignInputs}>
          <Select label={t('jobs.field.feeType')} data={options(feeTypes, 'jobs.feeType')} value={values.feeType} onChange={(v) => set('feeType', v)} clearable style={{ gridColumn: 'span 2' }} />
          {values.feeType === 'percentage' && <NumberInput label={t('jobs.field.feePercent')} min={0} max={100} decimalScale={2} suffix=" %" {...numberProps('feePercent')} />}
          {(values.feeType === 'fixed' || values.feeType === 'retainer') && (
            <NumberInput label={values.feeType === 'retainer' ? t('jobs.field.retainerTotal') : t('jobs.field.feeFixed')} min={0} thousandSeparator decimalScale={2} {...numberProps('feeFixed')} />
          )}
          {values.feeType === 'retainer' && <NumberInput label={t('jobs.field.instalments')} min={1} max={24} allowDecimal={false} {...numberProps('retainerInstalments')} />}
          <NumberInput label={t('jobs.field.paymentTerms')} min={0} max={365} allowDecimal={false} {...numberProps('paymentTermsDays')} />
        </SimpleGrid>

        <Divider label={t('jobs.section.clauses')} labelPosition="left" mt="xs" />
        <SimpleGrid cols={3} style={alignInputs}>
          <NumberInput label={t('jobs.field.guaranteeDays')} min={0} allowDecimal={false} {...numberProps('guaranteeDays')} />
          <Select label={t('jobs.field.guaranteePolicy')} data={options(guaranteePolicies, 'jobs.policy')} value={values.guaranteePolicy} onChange={(v) => set('guaranteePolicy', v)} clearable />
          <NumberInput label={t('jobs.field.proRataDays')} min={0} allowDecimal={false} {...numberProps('proRataDays')} />
          <NumberInput label={t('jobs.field.cancellationFee')} min={0} thousandSeparator decimalScale={2} {...numberProps('cancellationFee')} />
        </SimpleGrid>
        <Textarea label={t('jobs.field.clauseNotes')} autosize minRows={2} maxRows={5} value={values.clauseNotes} onChange={(e) => set('clauseNotes', e.currentTarget.value)} />

        <Divider label={t('jobs.section.forecast')} labelPosition="left" mt="xs" />
        <SimpleGrid cols={3}>
          <NumberInput label={t('jobs.field.probability')} min={0} max={100} allowDecimal={false} suffix=" %" {...numberProps('probability')} />
          <DateInput label={t('jobs.field.expectedClose')} value={values.expectedCloseDate} onChange={(v) => set('expectedCloseDate', v ? String(v).slice(0, 10) : null)} clearable valueFormat="DD/MM/YYYY" />
        </SimpleGrid>
        <Alert variant="light" color="indigo" icon={<IconCalculator size={18} />} aria-label={t('jobs.section.forecast')} role="status">
          {f.expectedMinor === null ? (
            <Text size="sm">{t('jobs.formula.missing')}</Text>
          ) : (
            <Stack gap={2}>
              <Text size="sm">
                {input.feeType === 'percentage'
                  ? t('jobs.formula.percentage', { percent: `${format.number(input.feePercent ?? 0)} %`, annual: money(f.annualSalaryMinor), perOpening: money(f.feePerOpeningMinor) })
                  : t('jobs.formula.fixed', { perOpening: money(f.feePerOpeningMinor) })}
              </Text>
              <Text size="sm">{t('jobs.formula.expected', { openings: input.openings, expected: money(f.expectedMinor) })}</Text>
              {f.weightedMinor !== null && (
                <Text size="sm" fw={700}>
                  {t('jobs.formula.weighted', { probability: input.probability ?? 0, weighted: money(f.weightedMinor) })}
                </Text>
              )}
              {input.salaryPeriod && input.salaryPeriod !== 'year' && (
                <Text size="xs" c="dimmed">
                  {t('jobs.formula.hourly')}
                </Text>
              )}
            </Stack>
          )}
        </Alert>

        <FormActions canSave={parsed.success} saving={saving} />
      </Stack>
    </FormModal>
  );
}
