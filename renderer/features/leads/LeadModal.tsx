import { Alert, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { issuesFromZod } from '../../../contract/errors';
import { leadFieldsSchema, openStages, type Lead } from '../../../contract/leads';
import { useAppStore, useAreaLabel } from '../../app/store';
import { FormActions } from '../../lib/FormActions';
import { FormModal } from '../../lib/FormModal';
import { useT, type MessageKey } from '../../i18n';
import { ApiFailure, api, fieldErrors, must, notifyError } from '../../lib/api';
import { toMajor, toMinor } from '../../lib/money';

interface Values {
  companyName: string; contactName: string; email: string; phone: string; areaId: string | null; source: string; stage: string; ownerId: string | null; value: number | string; currency: string;
}

export function LeadModal({ opened, lead, onClose, onSaved }: { opened: boolean; lead: Lead | null; onClose: () => void; onSaved: (lead: Lead) => void }) {
  const t = useT();
  const areaLabel = useAreaLabel();
  const areas = useAppStore((s) => s.areas);
  const users = useAppStore((s) => s.users);
  const currentUserId = useAppStore((s) => s.settings?.currentUserId ?? null);
  const [values, setValues] = useState<Values | null>(null);
  const [start, setStart] = useState<Values | null>(null);
  const [saving, setSaving] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<Record<string, boolean>>({});

  useEffect(() => {
    if (!opened) return;
    const opening: Values = {
      companyName: lead?.companyName ?? '', contactName: lead?.contactName ?? '', email: lead?.email ?? '', phone: lead?.phone ?? '', areaId: lead?.areaId ?? null, source: lead?.source ?? '',
      stage: lead && (openStages as readonly string[]).includes(lead.stage) ? lead.stage : 'new', ownerId: lead ? lead.ownerId : currentUserId, value: toMajor(lead?.expectedValueMinor ?? null), currency: lead?.expectedValueCurrency ?? 'EUR',
    };
    setValues(opening);
    setStart(opening);
    setServerErrors({});
    setTouched({});
  }, [opened, lead, currentUserId]);


  if (!values) return null;
  const readonly = !!lead?.clientId;
  const input = { companyName: values.companyName, contactName: values.contactName, email: values.email, phone: values.phone, areaId: values.areaId, source: values.source, stage: values.stage, ownerId: values.ownerId, expectedValueMinor: toMinor(values.value), expectedValueCurrency: values.value === '' ? null : values.currency };
  const parsed = leadFieldsSchema.safeParse(input);
  const errors = parsed.success ? {} : fieldErrors(t, issuesFromZod(parsed.error));
  const errorFor = (k: string) => serverErrors[k] ?? (touched[k] ? errors[k] : undefined);
  const set = <K extends keyof Values>(k: K, v: Values[K]) => {
    setValues((x) => (x ? { ...x, [k]: v } : x));
    setTouched((x) => ({ ...x, [k]: true }));
  };

  const submit = async () => {
    setTouched({ companyName: true, email: true });
    if (!parsed.success || saving) return;
    setSaving(true);
    try {
      const saved = lead ? await must(api().leads.update({ ...parsed.data, id: lead.id, version: lead.version })) : await must(api().leads.create(parsed.data));
      notifications.show({ color: 'teal', message: t('leads.saved') });
      onSaved(saved);
      onClose();
    } catch (error) {
      if (error instanceof ApiFailure && error.error.code === 'VALIDATION') setServerErrors(fieldErrors(t, error.error.fields));
      else notifyError(t, error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormModal opened={opened} title={lead ? t('leads.edit') : t('leads.new')} size="lg" dirty={!saving && JSON.stringify(values) !== JSON.stringify(start)} onClose={onClose} onSubmit={submit}>
      <Stack gap="sm">
        {readonly && <Alert color="gray">{t('leads.readonly')}</Alert>}
        <TextInput label={t('leads.company')} required data-autofocus disabled={readonly} value={values.companyName} error={errorFor('companyName')} onChange={(e) => set('companyName', e.currentTarget.value)} />
        <SimpleGrid cols={2}>
          <TextInput label={t('leads.contact')} disabled={readonly} value={values.contactName} onChange={(e) => set('contactName', e.currentTarget.value)} />
          <TextInput label={t('leads.email')} type="email" disabled={readonly} value={values.email} error={errorFor('email')} onChange={(e) => set('email', e.currentTarget.value)} />
          <TextInput label={t('leads.phone')} disabled={readonly} value={values.phone} onChange={(e) => set('phone', e.currentTarget.value)} />
          <Select label={t('leads.area')} disabled={readonly} data={areas.map((a) => ({ value: a.id, label: areaLabel(a) }))} value={values.areaId} onChange={(v) => set('areaId', v)} clearable searchable />
          <TextInput label={t('leads.source')} value={values.source} onChange={(e) => set('source', e.currentTarget.value)} />
          <Select label={t('leads.stage')} disabled={lead?.stage === 'won' || lead?.stage === 'lost'} data={openStages.map((s) => ({ value: s, label: t(`leads.stage.${s}` as MessageKey) }))} value={values.stage} onChange={(v) => v && set('stage', v)} allowDeselect={false} />
          <Select label={t('leads.owner')} disabled={readonly} data={users.filter((u) => u.active || u.id === lead?.ownerId).map((u) => ({ value: u.id, label: u.name }))} value={values.ownerId} onChange={(v) => set('ownerId', v)} clearable searchable />
          <Group gap="xs" grow>
            <NumberInput label={t('leads.value')} min={0} thousandSeparator value={values.value} onChange={(v) => set('value', v)} />
            <Select label={t('leads.currency')} data={['EUR', 'GBP', 'USD']} value={values.currency} onChange={(v) => v && set('currency', v)} allowDeselect={false} />
          </Group>
        </SimpleGrid>
        <FormActions canSave={parsed.success} saving={saving} />
      </Stack>
    </FormModal>
  );
}
