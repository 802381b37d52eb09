import { Divider, Loader, NumberInput, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { clientFieldsSchema, clientSchema, clientStatuses, type Client, type ClientStatus } from '../../../contract/clients';
import { useAppStore, useAreaLabel } from '../../app/store';
import { ConflictNotice } from '../../lib/ConflictNotice';
import { DuplicateAlerts, type DuplicateTexts } from '../../lib/DuplicateAlerts';
import { FormModal } from '../../lib/FormModal';
import { FormActions } from '../../lib/FormActions';
import { useFormat, useT } from '../../i18n';
import { api, must } from '../../lib/api';
import { numberSeparators } from '../../lib/intl';
import { useRecordForm } from '../../lib/useRecordForm';
import { clientConflictFields, clientFormValues, clientInput } from './clientForm';

const duplicateTexts: DuplicateTexts = {
  blockedTitle: 'duplicates.blocked.title',
  blockedBody: 'duplicates.blocked.body',
  warningTitle: 'duplicates.warning.title',
  warningBody: 'duplicates.warning.body',
  acknowledge: 'duplicates.warning.acknowledge',
  open: 'clientForm.openExisting',
  reasons: {
    email: 'duplicates.reason.email',
    name: 'duplicates.reason.name',
    domain: 'duplicates.reason.domain',
    email_domain: 'duplicates.reason.email_domain',
    similar_name: 'duplicates.reason.similar_name',
    brand: 'duplicates.reason.brand',
    acronym: 'duplicates.reason.acronym',
  },
  fallback: 'duplicates.reason.similar_name',
};

/** Create or edit a client: live validation with the contract's schema, live duplicate check, both enforced again in main. */
export function ClientFormModal({
  opened,
  client,
  onClose,
  onSaved,
  onOpenClient,
  onMerge,
}: {
  opened: boolean;
  /** null creates a new client. */
  client: Client | null;
  onClose: () => void;
  onSaved: (client: Client) => void;
  onOpenClient: (id: string) => void;
  /** Offers "Merge with …" on a possible duplicate: opens the merge of these two clients (the new one saved first). */
  onMerge?: (ids: [string, string]) => void;
}) {
  const t = useT();
  const format = useFormat();
  const areaLabel = useAreaLabel();
  const areas = useAppStore((s) => s.areas);
  const users = useAppStore((s) => s.users);
  const currentUserId = useAppStore((s) => s.settings?.currentUserId ?? null);
  const r = useRecordForm({
    opened,
    record: client,
    toForm: (record) => clientFormValues(record, currentUserId),
    conflictFields: clientConflictFields,
    schema: clientSchema,
    fieldsSchema: clientFieldsSchema,
    toInput: clientInput,
    duplicateQuery: (v) => (v.companyName.trim().length < 2 && v.email.trim().length < 3 ? null : { companyName: v.companyName, email: v.email, website: v.website }),
    checkDuplicates: (query) => api().clients.checkDuplicates(query),
    create: (input) => must(api().clients.create(input)),
    update: (input) => must(api().clients.update(input)),
    onSaved: (saved, edited) => {
      notifications.show({
        color: 'teal',
        message: edited ? t('clientForm.updated', { name: saved.companyName }) : t('clients.created', { name: saved.companyName, code: saved.code }),
      });
      onSaved(saved);
    },
    onClose,
    onMerge,
  });
  const { form, values, base, set, touch, textField, errorFor } = r;
  const numberField = (name: 'defaultFeePercent' | 'defaultGuaranteeDays' | 'defaultPaymentTermsDays') => ({
    value: values[name],
    error: errorFor(name),
    onChange: (value: number | string) => set(name, value),
    onBlur: () => touch(name),
  });

  return (
    <FormModal opened={opened} title={client ? t('clientForm.title.edit', { name: client.companyName }) : t('clientForm.title.new')} size="xl" dirty={r.dirty && !r.saving} onClose={onClose} onSubmit={r.submit}>
      <Stack gap="sm">
        <ConflictNotice entity="client" form={form} saving={r.saving} onKeepMine={r.keepMine} />
        <TextInput
          label={t('clientForm.companyName')}
          required
          data-autofocus
          autoComplete="off"
          rightSection={r.checking ? <Loader size="xs" /> : null}
          {...textField('companyName')}
        />
        <SimpleGrid cols={2}>
          <TextInput label={t('clientForm.email')} required type="email" autoComplete="off" {...textField('email')} />
          <Select
            label={t('clientForm.area')}
            required
            placeholder={t('clientForm.areaPlaceholder')}
            data={areas.filter((a) => a.active || a.id === base?.areaId).map((a) => ({ value: a.id, label: areaLabel(a) }))}
            value={values.areaId || null}
            onChange={(value) => {
              set('areaId', value ?? '');
              touch('areaId');
            }}
            onBlur={() => touch('areaId')}
            error={errorFor('areaId')}
            searchable
            allowDeselect={false}
          />
          <TextInput label={t('clientForm.phone')} type="tel" autoComplete="off" placeholder="+34 912 345 678" {...textField('phone')} />
          <TextInput label={t('clientForm.website')} autoComplete="off" placeholder="empresa.com" {...textField('website')} />
          <Select
            label={t('clientForm.status')}
            data={clientStatuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            value={values.status}
            onChange={(value) => set('status', (value ?? 'active') as ClientStatus)}
            allowDeselect={false}
          />
          <Select
            label={t('clientForm.owner')}
            placeholder={t('clientForm.ownerPlaceholder')}
            data={users.filter((u) => u.active || u.id === base?.ownerId).map((u) => ({ value: u.id, label: u.name }))}
            value={values.ownerId || null}
            onChange={(value) => set('ownerId', value ?? '')}
            error={errorFor('ownerId')}
            clearable
            searchable
          />
        </SimpleGrid>
        <Textarea label={t('clientForm.comments')} autosize minRows={2} maxRows={6} {...textField('comments')} />

        <Divider label={t('clientForm.terms')} labelPosition="left" mt="xs" />
        <SimpleGrid cols={3} style={{ alignItems: 'end' }}>
          <NumberInput label={t('clientForm.feePercent')} min={0} max={100} decimalScale={2} decimalSeparator={numberSeparators(format.locale).decimalSeparator} suffix=" %" allowNegative={false} {...numberField('defaultFeePercent')} />
          <NumberInput label={t('clientForm.guaranteeDays')} min={0} max={3650} allowDecimal={false} allowNegative={false} {...numberField('defaultGuaranteeDays')} />
          <NumberInput label={t('clientForm.paymentTermsDays')} min={0} max={365} allowDecimal={false} allowNegative={false} {...numberField('defaultPaymentTermsDays')} />
        </SimpleGrid>

        <DuplicateAlerts
          form={r}
          texts={duplicateTexts}
          onOpen={(id) => {
            onClose();
            onOpenClient(id);
          }}
          name={(m) => m.companyName}
          details={(m) => `${m.code} · ${m.email}`}
          merge={r.mergeWith ? { label: (m) => t(client ? 'merge.withExisting' : 'merge.saveAndMerge', { name: m.companyName }), run: (m) => r.mergeWith?.(m.id) } : undefined}
        />

        <FormActions canSave={r.canSave} saving={r.saving} saveLabel={client ? t('common.save') : t('clientForm.create')} />
      </Stack>
    </FormModal>
  );
}
