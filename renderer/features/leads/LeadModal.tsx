import { Alert, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { issuesFromZod } from '../../../contract/errors';
import { leadFieldsSchema, leadSchema, openStages, type Lead } from '../../../contract/leads';
import { useAppStore, useAreaLabel } from '../../app/store';
import { FormActions } from '../../lib/FormActions';
import { ConflictNotice } from '../../lib/ConflictNotice';
import { FormModal } from '../../lib/FormModal';
import { conflictActions, saveRecord } from '../../lib/saveRecord';
import { useEditConflict } from '../../lib/useEditConflict';
import { leadConflictFields, leadFormValues, leadInput, type LeadFormValues } from './leadForm';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, fieldErrors, must } from '../../lib/api';
import { numberSeparators } from '../../lib/intl';

type Values = LeadFormValues;

export function LeadModal({ opened, lead, onClose, onSaved }: { opened: boolean; lead: Lead | null; onClose: () => void; onSaved: (lead: Lead) => void }) {
  const t = useT();
  const format = useFormat();
  const areaLabel = useAreaLabel();
  const areas = useAppStore((s) => s.areas);
  const users = useAppStore((s) => s.users);
  const currentUserId = useAppStore((s) => s.settings?.currentUserId ?? null);
  const [saving, setSaving] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const form = useEditConflict({
    opened,
    record: lead,
    toForm: (record) => leadFormValues(record, currentUserId),
    fields: leadConflictFields,
    schema: leadSchema,
    onOpen: () => {
      setServerErrors({});
      setTouched({});
    },
  });
  const { values, setValues, base } = form;

  const readonly = !!base?.clientId;
  const parsed = leadFieldsSchema.safeParse(leadInput(values));
  const errors = parsed.success ? {} : fieldErrors(t, issuesFromZod(parsed.error));
  const errorFor = (k: string) => serverErrors[k] ?? (touched[k] ? errors[k] : undefined);
  const set = <K extends keyof Values>(k: K, v: Values[K]) => {
    setValues((x) => ({ ...x, [k]: v }));
    setTouched((x) => ({ ...x, [k]: true }));
  };

  const save = async (v: Values, edited: Lead | null) => {
    setTouched({ companyName: true, email: true });
    const checked = leadFieldsSchema.safeParse(leadInput(v));
    if (!checked.success || saving) return;
    await saveRecord(form, { t, setSaving, setServerErrors }, async () => {
      const saved = edited ? await must(api().leads.update({ ...checked.data, id: edited.id, version: edited.version })) : await must(api().leads.create(checked.data));
      notifications.show({ color: 'teal', message: t('leads.saved') });
      onSaved(saved);
      onClose();
    });
  };
  const { submit, keepMine } = conflictActions(form, save);

  return (
    <FormModal opened={opened} title={lead ? t('leads.edit') : t('leads.new')} size="lg" dirty={!saving && JSON.stringify(values) !== JSON.stringify(form.start)} onClose={onClose} onSubmit={submit}>
      <Stack gap="sm">
        <ConflictNotice entity="lead" form={form} saving={saving} onKeepMine={keepMine} />
        {readonly && <Alert color="gray">{t('leads.readonly')}</Alert>}
        <TextInput label={t('leads.company')} required data-autofocus disabled={readonly} value={values.companyName} error={errorFor('companyName')} onChange={(e) => set('companyName', e.currentTarget.value)} />
        <SimpleGrid cols={2}>
          <TextInput label={t('leads.contact')} disabled={readonly} value={values.contactName} onChange={(e) => set('contactName', e.currentTarget.value)} />
          <TextInput label={t('leads.email')} type="email" disabled={readonly} value={values.email} error={errorFor('email')} onChange={(e) => set('email', e.currentTarget.value)} />
          <TextInput label={t('leads.phone')} disabled={readonly} value={values.phone} onChange={(e) => set('phone', e.currentTarget.value)} />
          <Select label={t('leads.area')} disabled={readonly} data={areas.map((a) => ({ value: a.id, label: areaLabel(a) }))} value={values.areaId} onChange={(v) => set('areaId', v)} clearable searchable />
          <TextInput label={t('leads.source')} value={values.source} onChange={(e) => set('source', e.currentTarget.value)} />
          <Select label={t('leads.stage')} disabled={base?.stage === 'won' || base?.stage === 'lost'} data={openStages.map((s) => ({ value: s, label: t(`leads.stage.${s}` as MessageKey) }))} value={values.stage} onChange={(v) => v && set('stage', v)} allowDeselect={false} />
          <Select label={t('leads.owner')} disabled={readonly} data={users.filter((u) => u.active || u.id === base?.ownerId).map((u) => ({ value: u.id, label: u.name }))} value={values.ownerId} onChange={(v) => set('ownerId', v)} clearable searchable />
          <Group gap="xs" grow>
            <NumberInput label={t('leads.value')} min={0} {...numberSeparators(format.locale)} value={values.value} onChange={(v) => set('value', v)} />
            <Select label={t('leads.currency')} data={['EUR', 'GBP', 'USD']} value={values.currency} onChange={(v) => v && set('currency', v)} allowDeselect={false} />
          </Group>
        </SimpleGrid>
        <FormActions canSave={parsed.success && !form.conflict} saving={saving} />
      </Stack>
    </FormModal>
  );
}
