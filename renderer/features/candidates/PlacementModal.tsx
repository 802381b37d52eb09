import { Alert, Button, Center, Group, Loader, Modal, NumberInput, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconCalculator, IconShieldCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { SalaryPeriod } from '../../../contract/forecast';
import { currencies, salaryPeriods, type Job } from '../../../contract/jobs';
import { placedStageId, type Application, type Placement } from '../../../contract/pipeline';
import { departureSettlement, guaranteeEnd, placementFee } from '../../../contract/placements';
import { useFormat, useT, type Format, type MessageKey, type Translate } from '../../i18n';
import { ApiFailure, api, errorText, fieldErrors, must } from '../../lib/api';
import { formatMoney, toMinor } from '../../lib/money';

const today = () => new Date().toISOString().slice(0, 10);
const day = (format: Format, date: string | null) => (date ? format.date(`${date}T12:00:00Z`) : '—');

/** The fee's formula in words, as the placement dialog and the candidate's page show it. */
export function feeFormula(t: Translate, format: Format, p: Pick<Placement, 'feeType' | 'feePercent' | 'feeFixedMinor' | 'retainerInstalments' | 'salaryMinor' | 'salaryPeriod' | 'salaryCurrency' | 'annualSalaryMinor' | 'replacesId'> & { feeMinor: number | null }): string {
  const money = (minor: number) => formatMoney(minor, p.salaryCurrency, format.locale);
  if (p.replacesId) return t('placement.formula.replacement');
  if (p.feeMinor === null || p.feeType === null) return t('placement.formula.none');
  if (p.feeType === 'percentage') {
    const salary = p.salaryPeriod === 'year' ? money(p.salaryMinor) : t('placement.formula.annualised', { salary: money(p.salaryMinor), period: t(`jobs.period.${p.salaryPeriod}` as MessageKey), annual: money(p.annualSalaryMinor) });
    return t('placement.formula.percentage', { percent: `${format.number(p.feePercent ?? 0)} %`, salary, fee: money(p.feeMinor) });
  }
  if (p.feeType === 'retainer') {
    const fee = placementFee({ feeType: 'retainer', feePercent: null, feeFixedMinor: p.feeFixedMinor, retainerInstalments: p.retainerInstalments }, p.salaryMinor, p.salaryPeriod);
    return t('placement.formula.retainer', { fee: money(p.feeMinor), count: p.retainerInstalments ?? 1, parts: (fee.instalments ?? []).map(money).join(' + ') });
  }
  return t('placement.formula.fixed', { fee: money(p.feeMinor) });
}

/** The guarantee clause in words: until when, and what a departure inside it gives. */
export function guaranteeText(t: Translate, format: Format, p: { guaranteeDays: number | null; guaranteePolicy: 'refund' | 'replacement' | null; proRataDays: number | null; guaranteeEndDate: string | null }): string {
  if (!p.guaranteeDays || !p.guaranteeEndDate) return t('placement.guarantee.none');
  const policy = p.guaranteePolicy === 'replacement' ? t('placement.guarantee.replacement') : p.guaranteePolicy === 'refund' ? (p.proRataDays ? t('placement.guarantee.proRata', { days: p.proRataDays }) : t('placement.guarantee.refund')) : '';
  return `${t('placement.guarantee.until', { date: day(format, p.guaranteeEndDate), days: p.guaranteeDays })} ${policy}`.trim();
}

/**
 * Moving an application to Placed: the start date and the agreed salary; the fee, the guarantee's end and the
 * openings left are computed from the posting's terms as the user types, with the formula shown.
 */
export function PlacementModal({ application, onClose, onPlaced }: { application: Application | null; onClose: () => void; onPlaced: (app: Application) => void }) {
  const t = useT();
  const format = useFormat();
  const [job, setJob] = useState<Job | null>(null);
  const [owed, setOwed] = useState<{ placementId: string; candidateName: string; leftOn: string }[]>([]);
  const [startDate, setStartDate] = useState<string | null>(today());
  const [salary, setSalary] = useState<number | string>('');
  const [currency, setCurrency] = useState<string>('EUR');
  const [period, setPeriod] = useState<SalaryPeriod>('year');
  const [replacesId, setReplacesId] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!application) return;
    setJob(null);
    setErrors({});
    setFailure(null);
    setReplacesId(null);
    setStartDate(today());
    void must(api().applications.pipeline({ jobId: application.jobId }))
      .then((p) => {
        setJob(p.job);
        setOwed(p.replacementsOwed);
        setCurrency(p.job.salaryCurrency ?? 'EUR');
        setPeriod(p.job.salaryPeriod ?? 'year');
        const offer = p.job.salaryMaxMinor ?? p.job.salaryMinMinor;
        setSalary(offer === null ? '' : offer / 100);
      })
      .catch((error: unknown) => setFailure(errorText(t, error)));
  }, [application, t]);

  const salaryMinor = toMinor(salary);
  const fee = job && salaryMinor !== null ? placementFee({ feeType: job.feeType, feePercent: job.feePercent, feeFixedMinor: job.feeFixedMinor, retainerInstalments: job.retainerInstalments }, salaryMinor, period, replacesId !== null) : null;
  const end = job && startDate ? guaranteeEnd(startDate, job.guaranteeDays) : null;
  const canSave = !!job && !!startDate && salaryMinor !== null && salaryMinor >= 0 && !saving;

  const save = async () => {
    if (!application || !canSave) return;
    setSaving(true);
    try {
      const placed = await must(
        api().applications.move({ id: application.id, version: application.version, stageId: placedStageId, placement: { startDate: startDate!, salaryMinor: salaryMinor!, salaryCurrency: currency as (typeof currencies)[number], salaryPeriod: period, replacesId } }),
      );
      notifications.show({ color: 'teal', message: t('placement.done', { name: application.candidateName, fee: placed.placement ? formatMoney(placed.placement.feeMinor, placed.placement.salaryCurrency, format.locale) : '—' }) });
      onPlaced(placed);
      onClose();
    } catch (error) {
      if (error instanceof ApiFailure && error.error.code === 'VALIDATION' && error.error.fields?.length) {
        const fields = fieldErrors(t, error.error.fields);
        setErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^placement\./, ''), v])));
        if (!Object.keys(fields).some((k) => k.startsWith('placement.'))) setFailure(errorText(t, error));
      } else setFailure(errorText(t, error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened={application !== null} onClose={onClose} title={application ? t('placement.title', { name: application.candidateName }) : ''} size="lg" centered>
      {!job && !failure ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Stack gap="sm">
            {job && (
              <Text size="sm" c="dimmed">
                {job.code} · {job.title} · {job.clientName}
              </Text>
            )}
            <SimpleGrid cols={2}>
              <DateInput label={t('placement.startDate')} required value={startDate} onChange={(v) => setStartDate(v ? String(v).slice(0, 10) : null)} valueFormat="DD/MM/YYYY" error={errors.startDate} data-autofocus />
              <NumberInput label={t('placement.salary')} required value={salary} onChange={setSalary} min={0} thousandSeparator allowNegative={false} error={errors.salaryMinor} />
              <Select label={t('placement.currency')} data={[...currencies]} value={currency} onChange={(v) => v && setCurrency(v)} allowDeselect={false} searchable />
              <Select label={t('placement.period')} data={salaryPeriods.map((p) => ({ value: p, label: t(`jobs.period.${p}` as MessageKey) }))} value={period} onChange={(v) => v && setPeriod(v as SalaryPeriod)} allowDeselect={false} />
            </SimpleGrid>
            {owed.length > 0 && (
              <Select
                label={t('placement.replaces')}
                description={t('placement.replacesHelp')}
                data={owed.map((o) => ({ value: o.placementId, label: t('placement.replacesOption', { name: o.candidateName, date: day(format, o.leftOn) }) }))}
                value={replacesId}
                onChange={setReplacesId}
                clearable
                error={errors.replacesId}
              />
            )}
            {job && (
              <Alert variant="light" color="teal" icon={<IconCalculator size={18} />} role="status" aria-label={t('placement.feeTitle')} title={t('placement.feeTitle')}>
                <Text size="sm" data-testid="placement-fee">
                  {salaryMinor === null
                    ? t('placement.formula.needSalary')
                    : feeFormula(t, format, {
                        feeType: job.feeType, feePercent: job.feePercent, feeFixedMinor: job.feeFixedMinor, retainerInstalments: job.retainerInstalments, salaryMinor, salaryPeriod: period,
                        salaryCurrency: currency, annualSalaryMinor: fee?.annualSalaryMinor ?? 0, feeMinor: fee?.feeMinor ?? null, replacesId,
                      })}
                </Text>
                <Text size="xs" c="dimmed" mt={4}>
                  {job.openings > 1 ? t('placement.openingsLeft', { count: job.openings - 1 }) : t('placement.fillsPosting')}
                </Text>
              </Alert>
            )}
            {job && (
              <Group gap={6} wrap="nowrap" align="flex-start">
                <IconShieldCheck size={18} style={{ flex: 'none', marginTop: 2 }} aria-hidden />
                <Text size="sm">{guaranteeText(t, format, { guaranteeDays: job.guaranteeDays, guaranteePolicy: job.guaranteePolicy, proRataDays: job.proRataDays, guaranteeEndDate: end })}</Text>
              </Group>
            )}
            {failure && (
              <Alert color="red" role="alert">
                {failure}
              </Alert>
            )}
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={saving} disabled={!canSave}>
                {t('placement.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/**
 * The candidate left: their last day, and what the guarantee clause gives (refund with its amount, or a free
 * replacement), computed as the date is typed. A departure recorded by mistake can be cleared.
 */
export function DepartureModal({ placement, candidateName, onClose, onSaved }: { placement: Placement | null; candidateName: string; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const format = useFormat();
  const [leftOn, setLeftOn] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    setLeftOn(placement?.leftOn ?? today());
    setFailure(null);
  }, [placement]);
  if (!placement) return null;
  const outcome = leftOn
    ? departureSettlement({ feeMinor: placement.feeMinor, startDate: placement.startDate, guaranteeEndDate: placement.guaranteeEndDate, guaranteePolicy: placement.guaranteePolicy, proRataDays: placement.proRataDays, leftOn })
    : null;
  const money = (minor: number) => formatMoney(minor, placement.salaryCurrency, format.locale);
  const save = async (value: string | null) => {
    setSaving(true);
    try {
      await must(api().placements.recordDeparture({ id: placement.id, version: placement.version, leftOn: value }));
      onSaved();
      onClose();
    } catch (error) {
      setFailure(errorText(t, error));
      // A conflict: someone changed the placement; the page shows it as it is now.
      if (error instanceof ApiFailure && error.error.code === 'CONFLICT') onSaved();
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('departure.title', { name: candidateName })} centered>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {guaranteeText(t, format, placement)}
        </Text>
        <DateInput label={t('departure.leftOn')} value={leftOn} onChange={(v) => setLeftOn(v ? String(v).slice(0, 10) : null)} valueFormat="DD/MM/YYYY" minDate={placement.startDate} data-autofocus />
        {outcome && (
          <Alert variant="light" color={outcome.settlement === 'none' ? 'gray' : 'orange'} role="status" data-testid="departure-outcome">
            {outcome.settlement === 'refund'
              ? t('departure.refund', { days: outcome.daysWorked, refund: money(outcome.refundMinor), kept: money(placement.feeMinor - outcome.refundMinor) })
              : outcome.settlement === 'replacement'
                ? t('departure.replacement', { days: outcome.daysWorked })
                : t('departure.outside')}
          </Alert>
        )}
        {failure && (
          <Alert color="red" role="alert">
            {failure}
          </Alert>
        )}
        <Group justify="space-between" mt="sm">
          {placement.leftOn ? (
            <Button variant="subtle" color="gray" onClick={() => void save(null)} loading={saving}>
              {t('departure.clear')}
            </Button>
          ) : (
            <span />
          )}
          <Group gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button onClick={() => void save(leftOn)} disabled={!leftOn} loading={saving}>
              {t('departure.confirm')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
