import { Alert, Anchor, Checkbox, Divider, Loader, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCopy } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import type { DuplicateMatch } from '../../../contract';
import { clientFieldsSchema, clientSchema, clientStatuses, type Client, type ClientStatus, type DuplicateCheck } from '../../../contract/clients';
import { issuesFromZod } from '../../../contract/errors';
import { normalizePhone } from '../../../contract/phone';
import { useAppStore, useAreaLabel } from '../../app/store';
import { ConflictNotice } from '../../lib/ConflictNotice';
import { FormModal } from '../../lib/FormModal';
import { FormActions } from '../../lib/FormActions';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { ApiFailure, api, fieldErrors, must, notifyError, validationText } from '../../lib/api';
import { numberSeparators } from '../../lib/intl';
import { useEditConflict } from '../../lib/useEditConflict';
import { clientConflictFields, clientFormValues, clientInput, type ClientFormValues } from './clientForm';

type FormValues = ClientFormValues;
type Field = keyof FormValues;

const reasonKeys: Record<string, MessageKey> = {
  email: 'duplicates.reason.email',
  name: 'duplicates.reason.name',
  domain: 'duplicates.reason.domain',
  email_domain: 'duplicates.reason.email_domain',
  similar_name: 'duplicates.reason.similar_name',
  brand: 'duplicates.reason.brand',
  acronym: 'duplicates.reason.acronym',
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
  const settings = useAppStore((s) => s.settings);

  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<string, string>>>({});
  const [check, setCheck] = useState<DuplicateCheck>({ blocking: [], warnings: [] });
  const [checking, setChecking] = useState(false);
  // The warnings the user chose to save past, by client id: a new candidate must be looked at again.
  const [acknowledgedIds, setAcknowledgedIds] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const currentUserId = settings?.currentUserId ?? null;
  const form = useEditConflict({
    opened,
    record: client,
    toForm: (record) => clientFormValues(record, currentUserId),
    fields: clientConflictFields,
    schema: clientSchema,
    onOpen: () => {
      setTouched({});
      setServerErrors({});
      setCheck({ blocking: [], warnings: [] });
      setAcknowledgedIds([]);
    },
  });
  const { values, setValues, base } = form;

  // The same schema main enforces, run on every keystroke; the phone with the country from Settings.
  const problemsOf = (v: FormValues) => {
    const parsed = clientFieldsSchema.safeParse(clientInput(v));
    const errors: Record<string, string> = parsed.success ? {} : fieldErrors(t, issuesFromZod(parsed.error));
    const phone = normalizePhone(v.phone, settings?.defaultCountry ?? 'ES');
    if (!phone.ok) errors.phone = validationText(t, phone.message);
    return errors;
  };
  const liveErrors = problemsOf(values);
  const valid = Object.keys(liveErrors).length === 0;
  const errorFor = (field: Field) => serverErrors[field] ?? (touched[field] ? liveErrors[field] : undefined);
  const dirty = (Object.keys(values) as Field[]).some((k) => String(values[k]) !== String(form.start[k]));

  // Duplicate check while typing, debounced so it runs once the user pauses.
  // A memoised object: a new one on every render would restart the debounce and re-run the check after any
  // re-render (its own result included), endlessly, resetting the user's "save anyway" each time.
  const checked = useMemo(
    () => ({ companyName: values.companyName, email: values.email, website: values.website }),
    [values.companyName, values.email, values.website],
  );
  const [debounced] = useDebouncedValue(checked, 300);
  useEffect(() => {
    if (!opened) return;
    if (debounced.companyName.trim().length < 2 && debounced.email.trim().length < 3) {
      setCheck({ blocking: [], warnings: [] });
      return;
    }
    let cancelled = false;
    setChecking(true);
    void api()
      .clients.checkDuplicates({ ...debounced, excludeId: client?.id ?? null })
      .then((result) => {
        if (cancelled) return;
        setChecking(false);
        if (result.ok) setCheck(result.data);
      });
    return () => {
      cancelled = true;
    };
  }, [debounced, opened, client?.id]);


  const set = <K extends Field>(name: K, value: FormValues[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setServerErrors((e) => ({ ...e, [name]: undefined }));
  };
  const textField = (name: Field) => ({
    value: String(values[name]),
    error: errorFor(name),
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(name, event.currentTarget.value),
    onBlur: () => setTouched((tch) => ({ ...tch, [name]: true })),
  });
  const numberField = (name: 'defaultFeePercent' | 'defaultGuaranteeDays' | 'defaultPaymentTermsDays') => ({
    value: values[name],
    error: errorFor(name),
    onChange: (value: number | string) => set(name, value),
    onBlur: () => setTouched((tch) => ({ ...tch, [name]: true })),
  });

  const acknowledged = check.warnings.length > 0 && check.warnings.every((w) => acknowledgedIds.includes(w.id));
  const needsAcknowledge = check.warnings.length > 0 && !acknowledged;
  // Values and base are arguments: "Keep mine" saves what it merged before the next render shows it.
  // `mergeWith`: the user chose "Save, then merge with …" on a warning (which acknowledges it).
  const save = async (v: FormValues, edited: Client | null, mergeWith: string | null = null) => {
    setTouched(Object.fromEntries(Object.keys(v).map((k) => [k, true])));
    if (Object.keys(problemsOf(v)).length || check.blocking.length || (needsAcknowledge && !mergeWith)) return;
    setSaving(true);
    const input = { ...clientInput(v), acknowledgedDuplicateIds: acknowledged || mergeWith ? check.warnings.map((w) => w.id) : [] };
    try {
      const saved = edited ? await must(api().clients.update({ ...input, id: edited.id, version: edited.version })) : await must(api().clients.create(input));
      notifications.show({
        color: 'teal',
        message: client ? t('clientForm.updated', { name: saved.companyName }) : t('clients.created', { name: saved.companyName, code: saved.code }),
      });
      onSaved(saved);
      onClose();
      if (mergeWith) onMerge?.([mergeWith, saved.id]);
    } catch (error) {
      if (form.catchConflict(error)) return;
      if (error instanceof ApiFailure && error.error.code === 'VALIDATION') setServerErrors(fieldErrors(t, error.error.fields));
      else if (error instanceof ApiFailure && error.error.code === 'DUPLICATE') {
        const matches = error.error.matches ?? [];
        // The engine decided which block and which only warn: shown as it said.
        setCheck({ blocking: matches.filter((m) => m.decision === 'block'), warnings: matches.filter((m) => m.decision !== 'block') });
      } else notifyError(t, error);
    } finally {
      setSaving(false);
    }
  };
  // While the conflict notice is up, its Reload and Keep mine are the ways on (Enter included): Save would only be refused again.
  const submit = () => (form.conflict ? undefined : save(values, base));
  const keepMine = () => {
    const merged = form.keepMine();
    if (merged) void save(merged.values, merged.base);
  };

  const reasonsText = (m: DuplicateMatch) => m.reasons.map((r) => t(reasonKeys[r] ?? 'duplicates.reason.similar_name')).join(', ');
  const matchLink = (m: DuplicateMatch) => (
    <Text size="sm" key={m.id}>
      <Anchor
        component="button"
        type="button"
        onClick={() => {
          onClose();
          onOpenClient(m.id);
        }}
      >
        {t('clientForm.openExisting', { name: m.companyName })}
      </Anchor>{' '}
      <Text span c="dimmed" size="sm">
        {m.code} · {m.email} · {reasonsText(m)}
      </Text>
      {onMerge && m.decision === 'warn' && (
        <>
          {' · '}
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => {
              // Editing: merge the two existing clients now. Creating: save the new one, then merge it into the existing one.
              if (client) {
                onClose();
                onMerge([m.id, client.id]);
              } else void save(values, base, m.id);
            }}
          >
            {t(client ? 'merge.withExisting' : 'merge.saveAndMerge', { name: m.companyName })}
          </Anchor>
        </>
      )}
    </Text>
  );

  return (
    <FormModal opened={opened} title={client ? t('clientForm.title.edit', { name: client.companyName }) : t('clientForm.title.new')} size="xl" dirty={dirty && !saving} onClose={onClose} onSubmit={submit}>
      <Stack gap="sm">
        <ConflictNotice entity="client" form={form} saving={saving} onKeepMine={keepMine} />
        <TextInput
          label={t('clientForm.companyName')}
          required
          data-autofocus
          autoComplete="off"
          rightSection={checking ? <Loader size="xs" /> : null}
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
              setTouched((tch) => ({ ...tch, areaId: true }));
            }}
            onBlur={() => setTouched((tch) => ({ ...tch, areaId: true }))}
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

        {check.blocking.length > 0 && (
          <Alert color="red" icon={<IconCopy size={18} />} title={t('duplicates.blocked.title')} role="alert">
            <Text size="sm" mb={4}>
              {t('duplicates.blocked.body')}
            </Text>
            {check.blocking.map(matchLink)}
          </Alert>
        )}
        {check.blocking.length === 0 && check.warnings.length > 0 && (
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title={t('duplicates.warning.title')} role="alert">
            <Text size="sm" mb={4}>
              {t('duplicates.warning.body')}
            </Text>
            {check.warnings.map(matchLink)}
            <Checkbox
              mt="sm"
              label={t('duplicates.warning.acknowledge')}
              checked={acknowledged}
              onChange={(event) => {
                const { checked } = event.currentTarget;
                const ids = check.warnings.map((w) => w.id);
                setAcknowledgedIds((prev) => (checked ? [...new Set([...prev, ...ids])] : prev.filter((id) => !ids.includes(id))));
              }}
            />
          </Alert>
        )}

        <FormActions
          canSave={valid && check.blocking.length === 0 && !needsAcknowledge && !form.conflict}
          saving={saving}
          saveLabel={client ? t('common.save') : t('clientForm.create')}
        />
      </Stack>
    </FormModal>
  );
}
