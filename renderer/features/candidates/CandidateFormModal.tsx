import { Loader, Select, SimpleGrid, Stack, TagsInput, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { candidateFieldsSchema, candidateSchema, commonSources, type Candidate } from '../../../contract/candidates';
import { useAppStore } from '../../app/store';
import { useT, type MessageKey } from '../../i18n';
import { api, must } from '../../lib/api';
import { ConflictNotice } from '../../lib/ConflictNotice';
import { DuplicateAlerts, type DuplicateTexts } from '../../lib/DuplicateAlerts';
import type { ConflictFields } from '../../lib/editConflict';
import { FormActions } from '../../lib/FormActions';
import { FormModal } from '../../lib/FormModal';
import { useRecordForm } from '../../lib/useRecordForm';

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

const duplicateTexts: DuplicateTexts = {
  blockedTitle: 'candidates.duplicate.blocked.title',
  blockedBody: 'candidates.duplicate.blocked.body',
  warningTitle: 'candidates.duplicate.warning.title',
  warningBody: 'candidates.duplicate.warning.body',
  acknowledge: 'candidates.duplicate.warning.acknowledge',
  open: 'candidates.openExisting',
  reasons: {
    email: 'candidates.reason.email',
    name: 'candidates.reason.name',
    phone: 'candidates.reason.phone',
    name_company: 'candidates.reason.name_company',
  },
  fallback: 'candidates.reason.name_company',
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
  const currentUserId = useAppStore((s) => s.settings?.currentUserId ?? null);
  const r = useRecordForm({
    opened,
    record: candidate,
    toForm: (record) => toForm(record, currentUserId),
    conflictFields,
    schema: candidateSchema,
    fieldsSchema: candidateFieldsSchema,
    toInput,
    duplicateQuery: (v) =>
      v.fullName.trim().length < 2 && v.email.trim().length < 3 && v.phone.trim().length < 6 ? null : { fullName: v.fullName, email: v.email, phone: v.phone, currentCompany: v.currentCompany },
    checkDuplicates: (query) => api().candidates.checkDuplicates(query),
    create: (input) => must(api().candidates.create(input)),
    update: (input) => must(api().candidates.update(input)),
    onSaved: (saved, edited) => {
      notifications.show({ color: 'teal', message: edited ? t('candidates.updated', { name: saved.fullName }) : t('candidates.created', { name: saved.fullName, code: saved.code }) });
      onSaved(saved);
    },
    onClose,
  });
  const { form, values, base, set, textField, errorFor } = r;
  const sources = [...new Set([...commonSources, ...(values.source ? [values.source] : [])])];

  return (
    <FormModal opened={opened} title={candidate ? t('candidates.form.edit', { name: candidate.fullName }) : t('candidates.form.new')} size="xl" dirty={r.dirty && !r.saving} onClose={onClose} onSubmit={r.submit}>
      <Stack gap="sm">
        <ConflictNotice entity="candidate" form={form} saving={r.saving} onKeepMine={r.keepMine} />
        <TextInput label={t('candidates.field.fullName')} required data-autofocus autoComplete="off" rightSection={r.checking ? <Loader size="xs" /> : null} {...textField('fullName')} />
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

        <DuplicateAlerts
          form={r}
          texts={duplicateTexts}
          onOpen={(id) => {
            onClose();
            onOpenCandidate(id);
          }}
          name={(m) => m.name ?? m.code}
          details={(m) => [m.code, m.email, m.phone, m.companyName].filter(Boolean).join(' · ')}
        />
        <FormActions canSave={r.canSave} saving={r.saving} saveLabel={candidate ? t('common.save') : t('candidates.form.create')} />
      </Stack>
    </FormModal>
  );
}
