import { Alert, Anchor, Checkbox, Loader, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCopy } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import type { DuplicateMatch } from '../../../contract';
import { candidateFieldsSchema, candidateSchema, commonSources, type Candidate, type PeopleCheck } from '../../../contract/candidates';
import { issuesFromZod } from '../../../contract/errors';
import { normalizePhone } from '../../../contract/phone';
import { useAppStore } from '../../app/store';
import { useT, type MessageKey } from '../../i18n';
import { ApiFailure, api, fieldErrors, must, notifyError, validationText } from '../../lib/api';
import { ConflictNotice } from '../../lib/ConflictNotice';
import type { ConflictFields } from '../../lib/editConflict';
import { FormActions } from '../../lib/FormActions';
import { FormModal } from '../../lib/FormModal';
import { useEditConflict } from '../../lib/useEditConflict';

interface FormValues {
  fullName: string;
  email: string;
  phone: string;
  location: string;
  currentTitle: string;
  currentCompany: string;
  source: string;
  tags: string[];
  notes: string;
  ownerId: string;
}
type Field = keyof FormValues;

const toForm = (c: Candidate | null, currentUserId: string | null): FormValues => ({
  fullName: c?.fullName ?? '',
  email: c?.email ?? '',
  phone: c?.phone ?? '',
  location: c?.location ?? '',
  currentTitle: c?.currentTitle ?? '',
  currentCompany: c?.currentCompany ?? '',
  source: c?.source ?? '',
  tags: c?.tags ?? [],
  notes: c?.notes ?? '',
  ownerId: c ? (c.ownerId ?? '') : (currentUserId ?? ''),
});
const toInput = (v: FormValues) => ({ ...v, ownerId: v.ownerId || null });

const reasonKeys: Record<string, MessageKey> = {
  email: 'candidates.reason.email',
  name: 'candidates.reason.name',
  phone: 'candidates.reason.phone',
  name_company: 'candidates.reason.name_company',
};

export const sourceLabel = (t: (key: MessageKey) => string, value: string | null) =>
  value && (commonSources as readonly string[]).includes(value) ? t(`candidates.source.${value}` as MessageKey) : (value ?? '—');

const conflictFields: ConflictFields<FormValues> = [
  { key: 'fullName', label: 'candidates.field.fullName' },
  { key: 'email', label: 'candidates.field.email' },
  { key: 'phone', label: 'candidates.field.phone' },
  { key: 'location', label: 'candidates.field.location' },
  { key: 'currentTitle', label: 'candidates.field.currentTitle' },
  { key: 'currentCompany', label: 'candidates.field.currentCompany' },
  { key: 'source', label: 'candidates.field.source', show: (v, { t }) => sourceLabel(t, v.source || null) },
  { key: 'tags', label: 'candidates.field.tags', show: (v) => v.tags.join(', ') || '—' },
  { key: 'ownerId', label: 'candidates.field.owner', show: (v, { userName }) => (v.ownerId ? userName(v.ownerId) : '—') },
  { key: 'notes', label: 'candidates.field.notes' },
];

/** Create or edit a candidate: live validation and the same-person check, both enforced again in main; edit conflicts shown field by field. */
export function CandidateFormModal({
  opened,
  candidate,
  onClose,
  onSaved,
  onOpenCandidate,
}: {
  opened: boolean;
  candidate: Candidate | null;
  onClose: () => void;
  onSaved: (candidate: Candidate) => void;
  onOpenCandidate: (id: string) => void;
}) {
  const t = useT();
  const users = useAppStore((s) => s.users);
  const settings = useAppStore((s) => s.settings);
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<string, string>>>({});
  const [check, setCheck] = useState<PeopleCheck>({ blocking: [], warnings: [] });
  const [checking, setChecking] = useState(false);
  const [acknowledgedIds, setAcknowledgedIds] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const currentUserId = settings?.currentUserId ?? null;
  const form = useEditConflict({
    opened,
    record: candidate,
    toForm: (record) => toForm(record, currentUserId),
    fields: conflictFields,
    schema: candidateSchema,
    onOpen: () => {
      setTouched({});
      setServerErrors({});
      setCheck({ blocking: [], warnings: [] });
      setAcknowledgedIds([]);
    },
  });
  const { values, setValues, base } = form;

  const problemsOf = (v: FormValues) => {
    const parsed = candidateFieldsSchema.safeParse(toInput(v));
    const errors: Record<string, string> = parsed.success ? {} : fieldErrors(t, issuesFromZod(parsed.error));
    const phone = normalizePhone(v.phone, settings?.defaultCountry ?? 'ES');
    if (!phone.ok) errors.phone = validationText(t, phone.message);
    return errors;
  };
  const liveErrors = problemsOf(values);
  const valid = Object.keys(liveErrors).length === 0;
  const errorFor = (field: Field) => serverErrors[field] ?? (touched[field] ? liveErrors[field] : undefined);
  const dirty = (Object.keys(values) as Field[]).some((k) => String(values[k]) !== String(form.start[k]));

  // The same-person check while typing, debounced; memoised so a re-render does not restart it.
  const checked = useMemo(
    () => ({ fullName: values.fullName, email: values.email, phone: values.phone, currentCompany: values.currentCompany }),
    [values.fullName, values.email, values.phone, values.currentCompany],
  );
  const [debounced] = useDebouncedValue(checked, 300);
  useEffect(() => {
    if (!opened) return;
    if (debounced.fullName.trim().length < 2 && debounced.email.trim().length < 3 && debounced.phone.trim().length < 6) {
      setCheck({ blocking: [], warnings: [] });
      return;
    }
    let cancelled = false;
    setChecking(true);
    void api()
      .candidates.checkDuplicates({ ...debounced, excludeId: candidate?.id ?? null })
      .then((result) => {
        if (cancelled) return;
        setChecking(false);
        if (result.ok) setCheck(result.data);
      });
    return () => {
      cancelled = true;
    };
  }, [debounced, opened, candidate?.id]);

  const set = <K extends Field>(name: K, value: FormValues[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setServerErrors((e) => ({ ...e, [name]: undefined }));
  };
  const textField = (name: Exclude<Field, 'tags'>) => ({
    value: values[name],
    error: errorFor(name),
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(name, event.currentTarget.value),
    onBlur: () => setTouched((tch) => ({ ...tch, [name]: true })),
  });

  const acknowledged = check.warnings.length > 0 && check.warnings.every((w) => acknowledgedIds.includes(w.id));
  const needsAcknowledge = check.warnings.length > 0 && !acknowledged;
  const save = async (v: FormValues, edited: Candidate | null) => {
    setTouched(Object.fromEntries(Object.keys(v).map((k) => [k, true])));
    if (Object.keys(problemsOf(v)).length || check.blocking.length || needsAcknowledge) return;
    setSaving(true);
    const input = { ...toInput(v), acknowledgedDuplicateIds: acknowledged ? check.warnings.map((w) => w.id) : [] };
    try {
      const saved = edited ? await must(api().candidates.update({ ...input, id: edited.id, version: edited.version })) : await must(api().candidates.create(input));
      notifications.show({ color: 'teal', message: edited ? t('candidates.updated', { name: saved.fullName }) : t('candidates.created', { name: saved.fullName, code: saved.code }) });
      onSaved(saved);
      onClose();
    } catch (error) {
      if (form.catchConflict(error)) return;
      if (error instanceof ApiFailure && error.error.code === 'VALIDATION') setServerErrors(fieldErrors(t, error.error.fields));
      else if (error instanceof ApiFailure && error.error.code === 'DUPLICATE') {
        const matches = error.error.matches ?? [];
        const blocking = matches.filter((m) => m.reasons.includes('email') || m.reasons.includes('name'));
        setCheck({ blocking, warnings: matches.filter((m) => !blocking.includes(m)) });
      } else notifyError(t, error);
    } finally {
      setSaving(false);
    }
  };
  const submit = () => (form.conflict ? undefined : save(values, base));
  const keepMine = () => {
    const merged = form.keepMine();
    if (merged) void save(merged.values, merged.base);
  };

  const reasonsText = (m: DuplicateMatch) => m.reasons.map((r) => t(reasonKeys[r] ?? 'candidates.reason.name_company')).join(', ');
  const matchLink = (m: DuplicateMatch) => (
    <Text size="sm" key={m.id}>
      <Anchor
        component="button"
        type="button"
        onClick={() => {
          onClose();
          onOpenCandidate(m.id);
        }}
      >
        {t('candidates.openExisting', { name: m.name ?? m.code })}
      </Anchor>{' '}
      <Text span c="dimmed" size="sm">
        {[m.code, m.email, m.phone, m.companyName].filter(Boolean).join(' · ')} · {reasonsText(m)}
      </Text>
    </Text>
  );
  const sources = [...new Set([...commonSources, ...(values.source ? [values.source] : [])])];

  return (
    <FormModal opened={opened} title={candidate ? t('candidates.form.edit', { name: candidate.fullName }) : t('candidates.form.new')} size="xl" dirty={dirty && !saving} onClose={onClose} onSubmit={submit}>
      <Stack gap="sm">
        <ConflictNotice entity="candidate" form={form} saving={saving} onKeepMine={keepMine} />
        <TextInput label={t('candidates.field.fullName')} required data-autofocus autoComplete="off" rightSection={checking ? <Loader size="xs" /> : null} {...textField('fullName')} />
        <SimpleGrid cols={2}>
          <TextInput label={t('candidates.field.email')} type="email" autoComplete="off" {...textField('email')} />
          <TextInput label={t('candidates.field.phone')} type="tel" autoComplete="off" placeholder="+34 612 345 678" {...textField('phone')} />
          <TextInput label={t('candidates.field.currentTitle')} autoComplete="off" {...textField('currentTitle')} />
          <TextInput label={t('candidates.field.currentCompany')} autoComplete="off" {...textField('currentCompany')} />
          <TextInput label={t('candidates.field.location')} autoComplete="off" {...textField('location')} />
          <Select
            label={t('candidates.field.source')}
            data={sources.map((s) => ({ value: s, label: sourceLabel(t, s) }))}
            value={values.source || null}
            onChange={(value) => set('source', value ?? '')}
            clearable
            searchable
          />
          <TagsInput
            label={t('candidates.field.tags')}
            description={t('candidates.field.tagsHelp')}
            value={values.tags}
            onChange={(tags) => set('tags', tags)}
            error={errorFor('tags')}
            maxTags={20}
            clearable
          />
          <Select
            label={t('candidates.field.owner')}
            data={users.filter((u) => u.active || u.id === base?.ownerId).map((u) => ({ value: u.id, label: u.name }))}
            value={values.ownerId || null}
            onChange={(value) => set('ownerId', value ?? '')}
            error={errorFor('ownerId')}
            clearable
            searchable
          />
        </SimpleGrid>
        <Textarea label={t('candidates.field.notes')} autosize minRows={2} maxRows={6} {...textField('notes')} />

        {check.blocking.length > 0 && (
          <Alert color="red" icon={<IconCopy size={18} />} title={t('candidates.duplicate.blocked.title')} role="alert">
            <Text size="sm" mb={4}>
              {t('candidates.duplicate.blocked.body')}
            </Text>
            {check.blocking.map(matchLink)}
          </Alert>
        )}
        {check.blocking.length === 0 && check.warnings.length > 0 && (
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title={t('candidates.duplicate.warning.title')} role="alert">
            <Text size="sm" mb={4}>
              {t('candidates.duplicate.warning.body')}
            </Text>
            {check.warnings.map(matchLink)}
            <Checkbox
              mt="sm"
              label={t('candidates.duplicate.warning.acknowledge')}
              checked={acknowledged}
              onChange={(event) => {
                const { checked: on } = event.currentTarget;
                const ids = check.warnings.map((w) => w.id);
                setAcknowledgedIds((prev) => (on ? [...new Set([...prev, ...ids])] : prev.filter((id) => !ids.includes(id))));
              }}
            />
          </Alert>
        )}
        <FormActions canSave={valid && check.blocking.length === 0 && !needsAcknowledge && !form.conflict} saving={saving} saveLabel={candidate ? t('common.save') : t('candidates.form.create')} />
      </Stack>
    </FormModal>
  );
}
