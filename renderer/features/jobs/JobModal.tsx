import { Alert, Divider, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconCalculator } from '@tabler/icons-react';
import { useState } from 'react';
import { forecast } from '../../../contract/forecast';
import { issuesFromZod } from '../../../contract/errors';
import { canMove, currencies, employmentTypes, feeTypes, guaranteePolicies, jobFieldsSchema, jobSchema, jobStatuses, salaryPeriods, workModes, type Job, type JobStatus } from '../../../contract/jobs';
import { useAppStore } from '../../app/store';
import { FormActions } from '../../lib/FormActions';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, fieldErrors, must } from '../../lib/api';
import { ConflictNotice } from '../../lib/ConflictNotice';
import { FormModal } from '../../lib/FormModal';
import { conflictActions, saveRecord } from '../../lib/saveRecord';
import { useEditConflict } from '../../lib/useEditConflict';
import { jobConflictFields, jobFormValues, jobInput, type ClientDefaults, type JobFormValues } from './jobForm';
import { numberSeparators } from '../../lib/intl';
import { formatMoney } from '../../lib/money';

type Num = number | string;
type Values = JobFormValues;
export type { ClientDefaults };

/** Create or edit a posting; the forecast and its formula update while typing. */
// Fields of a row line up along their input boxes even where a long label (Spanish, mostly) wraps.
const alignInputs = { alignItems: 'end' } as const;

export function JobModal({ opened, clientId, job, defaults, onClose, onSaved }: { opened: boolean; clientId: string; job: Job | null; defaults: ClientDefaults; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const format = useFormat();
  const users = useAppStore((s) => s.users);
  const currentUserId = useAppStore((s) => s.settings?.currentUserId ?? null);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const form = useEditConflict({
    opened,
    record: job,
    toForm: (record) => jobFormValues(record, defaults, currentUserId),
    fields: jobConflictFields,
    schema: jobSchema,
    onOpen: () => {
      setTouched({});
      setServerErrors({});
    },
  });
  const { values, setValues, base } = form;

  const input = jobInput(values);
  const parsed = jobFieldsSchema.safeParse(input);
  const errors = parsed.success ? {} : fieldErrors(t, issuesFromZod(parsed.error));
  const errorFor = (field: string) => serverErrors[field] ?? (touched[field] ? errors[field] : undefined);
  const dirty = JSON.stringify(values) !== JSON.stringify(form.start);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setTouched((x) => ({ ...x, [key]: true }));
    setServerErrors((e) => ({ ...e, [key]: '' }));
  };

  const separators = numberSeparators(format.locale);
  const currency = values.salaryCurrency ?? 'EUR';
  const money = (minor: number | null) => (minor === null ? '—' : formatMoney(minor, currency, format.locale));
  const f = forecast({ feeType: input.feeType as Job['feeType'], feePercent: input.feePercent, feeFixedMinor: input.feeFixedMinor, salaryMinMinor: input.salaryMinMinor, salaryMaxMinor: input.salaryMaxMinor, salaryPeriod: input.salaryPeriod as Job['salaryPeriod'], openings: input.openings || 1, probability: input.probability });

  const save = async (v: Values, edited: Job | null) => {
    setTouched(Object.fromEntries(Object.keys(v).map((k) => [k, true])));
    const checked = jobFieldsSchema.safeParse(jobInput(v));
    if (!checked.success) return;
    await saveRecord(form, { t, setSaving, setServerErrors }, async () => {
      const data = checked.data;
      const saved = edited ? await must(api().jobs.update({ ...data, id: edited.id, version: edited.version })) : await must(api().jobs.create({ ...data, clientId }));
      notifications.show({ color: 'teal', message: t('jobs.saved', { code: saved.code }) });
      onSaved();
      onClose();
    });
  };
  const { submit, keepMine } = conflictActions(form, save);

  const options = <T extends string>(list: readonly T[], prefix: string) => list.map((value) => ({ value, label: t(`${prefix}.${value}` as MessageKey) }));
  const statusOptions = jobStatuses.map((s) => ({ value: s, label: t(`jobStatus.${s}` as MessageKey), disabled: base ? !canMove(base.status, s) : false }));
  const numberProps = (key: keyof Values) => ({ value: values[key] as Num, onChange: (v: Num) => set(key, v as never), error: errorFor(key === 'salaryMax' ? 'salaryMaxMinor' : key === 'salaryMin' ? 'salaryMinMinor' : key === 'feeFixed' ? 'feeFixedMinor' : key === 'cancellationFee' ? 'cancellationFeeMinor' : key) });

  return (
    <FormModal opened={opened} title={job ? t('jobs.edit', { code: job.code }) : t('jobs.new')} size="xl" dirty={dirty && !saving} onClose={onClose} onSubmit={submit}>
      <Stack gap="sm">
        <ConflictNotice entity="job" form={form} saving={saving} onKeepMine={keepMine} />
        <Divider label={t('jobs.section.posting')} labelPosition="left" />
        <SimpleGrid cols={3}>
          <TextInput label={t('jobs.field.title')} required data-autofocus value={values.title} error={errorFor('title')} onChange={(e) => set('title', e.currentTarget.value)} style={{ gridColumn: 'span 2' }} />
          <Select label={t('jobs.field.status')} data={statusOptions} value={values.status} onChange={(v) => v && set('status', v as JobStatus)} allowDeselect={false} error={errorFor('status')} />
          {(values.status === 'filled' || values.status === 'cancelled') && (
            <TextInput label={t('jobs.field.closeReason')} required value={values.closeReason} error={errorFor('closeReason')} onChange={(e) => set('closeReason', e.currentTarget.value)} style={{ gridColumn: 'span 3' }} />
          )}
          <NumberInput label={t('jobs.field.openings')} min={1} max={999} allowDecimal={false} {...numberProps('openings')} />
          <TextInput label={t('jobs.field.location')} value={values.location} onChange={(e) => set('location', e.currentTarget.value)} />
          <Select label={t('jobs.field.owner')} data={users.filter((u) => u.active || u.id === base?.ownerId).map((u) => ({ value: u.id, label: u.name }))} value={values.ownerId} onChange={(v) => set('ownerId', v)} clearable searchable error={errorFor('ownerId')} />
          <Select label={t('jobs.field.workMode')} data={options(workModes, 'jobs.workMode')} value={values.workMode} onChange={(v) => set('workMode', v)} clearable />
          <Select label={t('jobs.field.employmentType')} data={options(employmentTypes, 'jobs.employment')} value={values.employmentType} onChange={(v) => set('employmentType', v)} clearable />
        </SimpleGrid>

        <Divider label={t('jobs.section.salary')} labelPosition="left" mt="xs" />
        <SimpleGrid cols={4} style={alignInputs}>
          <NumberInput label={t('jobs.field.salaryMin')} min={0} {...separators} decimalScale={2} {...numberProps('salaryMin')} />
          <NumberInput label={t('jobs.field.salaryMax')} min={0} {...separators} decimalScale={2} {...numberProps('salaryMax')} />
          <Select label={t('jobs.field.currency')} data={[...currencies]} value={values.salaryCurrency} onChange={(v) => set('salaryCurrency', v)} searchable error={errorFor('salaryCurrency')} />
          <Select label={t('jobs.field.period')} data={options(salaryPeriods, 'jobs.period')} value={values.salaryPeriod} onChange={(v) => set('salaryPeriod', v)} error={errorFor('salaryPeriod')} />
        </SimpleGrid>

        <Divider label={t('jobs.section.terms')} labelPosition="left" mt="xs" />
        <SimpleGrid cols={4} style={alignInputs}>
          <Select label={t('jobs.field.feeType')} data={options(feeTypes, 'jobs.feeType')} value={values.feeType} onChange={(v) => set('feeType', v)} clearable style={{ gridColumn: 'span 2' }} />
          {values.feeType === 'percentage' && <NumberInput label={t('jobs.field.feePercent')} min={0} max={100} decimalScale={2} decimalSeparator={separators.decimalSeparator} suffix=" %" {...numberProps('feePercent')} />}
          {(values.feeType === 'fixed' || values.feeType === 'retainer') && (
            <NumberInput label={values.feeType === 'retainer' ? t('jobs.field.retainerTotal') : t('jobs.field.feeFixed')} min={0} {...separators} decimalScale={2} {...numberProps('feeFixed')} />
          )}
          {values.feeType === 'retainer' && <NumberInput label={t('jobs.field.instalments')} min={1} max={24} allowDecimal={false} {...numberProps('retainerInstalments')} />}
          <NumberInput label={t('jobs.field.paymentTerms')} min={0} max={365} allowDecimal={false} {...numberProps('paymentTermsDays')} />
        </SimpleGrid>

        <Divider label={t('jobs.section.clauses')} labelPosition="left" mt="xs" />
        <SimpleGrid cols={3} style={alignInputs}>
          <NumberInput label={t('jobs.field.guaranteeDays')} min={0} allowDecimal={false} {...numberProps('guaranteeDays')} />
          <Select label={t('jobs.field.guaranteePolicy')} data={options(guaranteePolicies, 'jobs.policy')} value={values.guaranteePolicy} onChange={(v) => set('guaranteePolicy', v)} clearable />
          <NumberInput label={t('jobs.field.proRataDays')} min={0} allowDecimal={false} {...numberProps('proRataDays')} />
          <NumberInput label={t('jobs.field.cancellationFee')} min={0} {...separators} decimalScale={2} {...numberProps('cancellationFee')} />
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

        <FormActions canSave={parsed.success && !form.conflict} saving={saving} />
      </Stack>
    </FormModal>
  );
}
