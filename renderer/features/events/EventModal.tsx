import { ActionIcon, Group, MultiSelect, NumberInput, Progress, Select, SimpleGrid, Stack, Text, TextInput, Textarea, UnstyledButton } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconFile, IconPaperclip, IconX } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { eventFieldsSchema, eventSchema, eventTypes, proposalStates, type ClientEvent, type ClientEventType, type NewAttachment } from '../../../contract/events';
import { issuesFromZod } from '../../../contract/errors';
import { useAppStore } from '../../app/store';
import { FormActions } from '../../lib/FormActions';
import { ConflictNotice } from '../../lib/ConflictNotice';
import { FormModal } from '../../lib/FormModal';
import { conflictActions } from '../../lib/saveRecord';
import { useEditConflict } from '../../lib/useEditConflict';
import { useFileDrop } from '../../lib/useFileDrop';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { ApiFailure, api, fieldErrorText, fieldErrors, must, notifyError } from '../../lib/api';
import { formatSize, numberSeparators } from '../../lib/intl';
import { documentInputs, newDocument, type NewDocument } from './documents';
import { eventConflictFields, eventFormValues, fromLocalInput, type EventFormValues } from './eventForm';
import classes from './Events.module.css';

type Values = EventFormValues;

/** Create or edit an event: the same schema as main validates while typing; documents by picker or drop. */
export function EventModal({ opened, clientId, event, onClose, onSaved }: { opened: boolean; clientId: string; event: ClientEvent | null; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const format = useFormat();
  const users = useAppStore((s) => s.users);
  const settings = useAppStore((s) => s.settings);
  const limitMb = settings?.attachmentLimitMb ?? 25;
  const [files, setFiles] = useState<NewDocument[]>([]);
  /** Share of the new documents sent so far while a save uploads them; null otherwise. */
  const [uploading, setUploading] = useState<number | null>(null);
  const [removed, setRemoved] = useState<string[]>([]);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const currentUserId = settings?.currentUserId ?? null;
  const form = useEditConflict({
    opened,
    record: event,
    toForm: (record) => eventFormValues(record, currentUserId),
    fields: eventConflictFields,
    schema: eventSchema,
    onOpen: () => {
      setFiles([]);
      setRemoved([]);
      setTouched({});
      setServerErrors({});
    },
  });
  const { values, setValues, base } = form;

  const addFiles = async (list: FileList | File[] | null) => {
    if (!list) return;
    const accepted: File[] = [];
    for (const file of Array.from(list)) {
      // Refused here already so nothing large is read into memory; main enforces the same limit.
      if (file.size > limitMb * 1024 * 1024) notifications.show({ color: 'red', message: t('events.tooLarge', { name: file.name, mb: limitMb }) });
      else accepted.push(file);
    }
    // Read only when saved: small documents go inside the request, larger ones are uploaded in slices first.
    setFiles((f) => [...f, ...accepted.map(newDocument)]);
  };
  const dropProps = useFileDrop((files) => void addFiles(files));
  const picker = useRef<HTMLInputElement>(null);

  const dirty = files.length > 0 || removed.length > 0 || JSON.stringify(values) !== JSON.stringify(form.start);

  const inputOf = (v: Values, attachments: NewAttachment[] = files.map(({ fileName, mimeType }) => ({ fileName, mimeType, stagedFileId: 'pending' }))) => ({
    type: v.type,
    title: v.title,
    occurredAt: fromLocalInput(v.occurredAt),
    notes: v.notes,
    ownerIds: v.ownerIds,
    score: v.type === 'satisfaction_survey' && v.score !== '' ? Number(v.score) : null,
    amountMinor: v.type === 'proposal' && v.amount !== '' ? Math.round(Number(v.amount) * 100) : null,
    amountCurrency: v.type === 'proposal' && v.amount !== '' ? v.amountCurrency : null,
    proposalState: v.type === 'proposal' ? (v.proposalState as ClientEvent['proposalState']) : null,
    attachments,
  });
  const input = inputOf(values);
  const parsed = eventFieldsSchema.safeParse(input);
  const errors = parsed.success ? {} : fieldErrors(t, issuesFromZod(parsed.error));
  const errorFor = (field: string) => serverErrors[field] ?? (touched[field] ? errors[field] : undefined);
  // A new document's own problem (a name too long or with invisible characters): shown under it, at once.
  const documentError = (index: number) => {
    const prefix = `attachments.${index}`;
    const key = [...Object.keys(serverErrors), ...Object.keys(errors)].find((k) => k === prefix || k.startsWith(`${prefix}.`));
    return key ? serverErrors[key] || errors[key] : undefined;
  };
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => (v ? { ...v, [key]: value } : v));
    setServerErrors((e) => ({ ...e, [key]: '' }));
  };

  const save = async (v: Values, edited: ClientEvent | null) => {
    setTouched({ title: true, score: true, amountCurrency: true });
    const checked = eventFieldsSchema.safeParse(inputOf(v));
    if (!checked.success) return;
    setSaving(true);
    const staged: string[] = [];
    try {
      const attachments = await documentInputs(files, staged, setUploading);
      setUploading(null);
      // Documents are records of their own: the user's removals and additions apply over whatever was saved meanwhile.
      const removeAttachmentIds = removed.filter((id) => edited?.attachments.some((a) => a.id === id));
      if (edited) await must(api().events.update({ ...inputOf(v, attachments), id: edited.id, version: edited.version, removeAttachmentIds }));
      else await must(api().events.create({ ...inputOf(v, attachments), clientId }));
      notifications.show({ color: 'teal', message: t('events.saved') });
      onSaved();
      onClose();
    } catch (error) {
      // Not saved: the uploads made for it are of no use (a new Save uploads again).
      for (const fileId of staged) void api().files.discard({ fileId });
      setUploading(null);
      if (form.catchConflict(error)) return;
      if (error instanceof ApiFailure && error.error.code === 'VALIDATION') {
        // Refused while uploading (too many uploads in progress, a file past the largest upload): no field of the form.
        const uploadError = error.error.fields?.find((f) => f.path === 'sizeBytes' || f.path === 'chunkBase64');
        if (uploadError) {
          notifications.show({ color: 'red', message: fieldErrorText(t, uploadError) });
          return;
        }
        const fileError = error.error.fields?.find((f) => f.path.startsWith('attachments'));
        // A refused document has no input of its own: its name and the reason go to a notice.
        const name = fileError ? files[Number(fileError.path.split('.')[1])]?.fileName : undefined;
        if (fileError) notifications.show({ color: 'red', message: name ? `${name}: ${fieldErrorText(t, fileError)}` : fieldErrorText(t, fileError) });
        // The limit was changed meanwhile (in Settings of another window): the drop zone says the one main applies.
        const limit = fileError?.message === 'file_too_large' ? Number(fileError.params?.limitMb) : NaN;
        if (Number.isInteger(limit) && limit !== limitMb) useAppStore.setState((s) => (s.settings ? { settings: { ...s.settings, attachmentLimitMb: limit } } : s));
        setServerErrors(fieldErrors(t, error.error.fields));
      } else notifyError(t, error);
    } finally {
      setSaving(false);
    }
  };
  const { submit, keepMine } = conflictActions(form, save);

  const existing = base?.attachments.filter((a) => !removed.includes(a.id)) ?? [];
  const ownerOptions = users.filter((u) => u.active || values.ownerIds.includes(u.id)).map((u) => ({ value: u.id, label: u.active ? u.name : `${u.name} (${t('events.inactive')})`, disabled: !u.active && !base?.owners.some((o) => o.id === u.id) }));

  return (
    <FormModal opened={opened} title={event ? t('events.edit') : t('events.add')} size="lg" dirty={dirty && !saving} onClose={onClose} onSubmit={submit}>
      <Stack gap="sm">
        <ConflictNotice entity="event" form={form} saving={saving} onKeepMine={keepMine} />
        <SimpleGrid cols={2}>
          <Select
            label={t('events.type')}
            data={eventTypes.map((type) => ({ value: type, label: t(`eventType.${type}` as MessageKey) }))}
            value={values.type}
            onChange={(v) => v && set('type', v as ClientEventType)}
            allowDeselect={false}
          />
          <DateTimePicker
            label={t('events.when')}
            value={values.occurredAt}
            onChange={(v) => v && set('occurredAt', String(v))}
            valueFormat="DD/MM/YYYY HH:mm"
          />
        </SimpleGrid>
        <TextInput
          label={t('events.title')}
          required
          data-autofocus
          value={values.title}
          error={errorFor('title')}
          onChange={(e) => set('title', e.currentTarget.value)}
          onBlur={() => setTouched((x) => ({ ...x, title: true }))}
        />
        <MultiSelect label={t('events.owners')} data={ownerOptions} value={values.ownerIds} onChange={(v) => set('ownerIds', v)} searchable clearable error={errorFor('ownerIds')} />
        {values.type === 'satisfaction_survey' && (
          <NumberInput label={t('events.score')} required min={0} max={10} allowDecimal={false} value={values.score} onChange={(v) => set('score', v)} error={errorFor('score')} onBlur={() => setTouched((x) => ({ ...x, score: true }))} maw={200} />
        )}
        {values.type === 'proposal' && (
          <SimpleGrid cols={3}>
            <NumberInput label={t('events.amount')} min={0} decimalScale={2} {...numberSeparators(format.locale)} value={values.amount} onChange={(v) => set('amount', v)} />
            <Select label={t('events.currency')} data={['EUR', 'GBP', 'USD', 'CHF', 'MXN']} value={values.amountCurrency} onChange={(v) => v && set('amountCurrency', v)} allowDeselect={false} error={errorFor('amountCurrency')} />
            <Select
              label={t('events.proposalState')}
              data={proposalStates.map((s) => ({ value: s, label: t(`events.proposal.${s}` as MessageKey) }))}
              value={values.proposalState}
              onChange={(v) => v && set('proposalState', v)}
              allowDeselect={false}
            />
          </SimpleGrid>
        )}
        <Textarea label={values.type === 'satisfaction_survey' ? t('events.comment') : t('events.notes')} autosize minRows={3} maxRows={8} value={values.notes} onChange={(e) => set('notes', e.currentTarget.value)} error={errorFor('notes')} />

        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('events.documents')}
          </Text>
          <div className={classes.dropzone} {...dropProps}>
            <IconPaperclip size={18} />
            <Text size="sm">
              {t('events.dropHere')}{' '}
              <UnstyledButton className={classes.link} onClick={() => picker.current?.click()}>
                {t('events.chooseFiles')}
              </UnstyledButton>
            </Text>
            <Text size="xs" c="dimmed">
              {t('events.maxSize', { mb: limitMb })}
            </Text>
            <input
              ref={picker}
              type="file"
              multiple
              hidden
              aria-label={t('events.chooseFiles')}
              onChange={(e) => {
                void addFiles(e.currentTarget.files);
                e.currentTarget.value = '';
              }}
            />
          </div>
          {[
            ...existing.map((a) => ({ key: a.id, name: a.fileName, size: a.sizeBytes, error: undefined, remove: () => setRemoved((r) => [...r, a.id]) })),
            ...files.map((f, i) => ({ key: `new-${i}`, name: f.fileName, size: f.sizeBytes, error: documentError(i), remove: () => setFiles((list) => list.filter((_, j) => j !== i)) })),
          ].map((file) => (
            <div key={file.key}>
              <Group gap="xs" mt={6} wrap="nowrap">
                <IconFile size={16} />
                <Text size="sm" truncate style={{ flex: 1 }}>
                  {file.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatSize(file.size, format.locale)}
                </Text>
                <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('events.remove', { name: file.name })} onClick={file.remove} disabled={saving}>
                  <IconX size={14} />
                </ActionIcon>
              </Group>
              {file.error && (
                <Text size="xs" c="red" ml={24}>
                  {file.error}
                </Text>
              )}
            </div>
          ))}
          {uploading !== null && (
            <Stack gap={4} mt="xs">
              <Text size="xs" c="dimmed">
                {t('events.uploading', { percent: Math.round(uploading * 100) })}
              </Text>
              <Progress value={uploading * 100} size="sm" aria-label={t('events.uploadingLabel')} />
            </Stack>
          )}
        </div>

        <FormActions canSave={parsed.success && !form.conflict} saving={saving} />
      </Stack>
    </FormModal>
  );
}
