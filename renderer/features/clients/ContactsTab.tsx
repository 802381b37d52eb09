import { ActionIcon, Anchor, Badge, Button, Card, Center, Checkbox, Group, Loader, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAddressBook, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { contactFieldsSchema, contactSchema, type Contact } from '../../../contract/contacts';
import { issuesFromZod } from '../../../contract/errors';
import { normalizePhone } from '../../../contract/phone';
import { useAppStore } from '../../app/store';
import { FormActions } from '../../lib/FormActions';
import { useT } from '../../i18n';
import { api, fieldErrors, must, notifyError, validationText } from '../../lib/api';
import { EmptyCard } from '../../lib/EmptyCard';
import { ConfirmModal } from '../../lib/ConfirmModal';
import { ConflictNotice } from '../../lib/ConflictNotice';
import { FormModal } from '../../lib/FormModal';
import { conflictActions, saveRecord } from '../../lib/saveRecord';
import { useEditConflict } from '../../lib/useEditConflict';
import { ContactDuplicates } from '../duplicates/ContactDuplicates';
import { contactConflictFields, contactFormValues, type ContactFormValues } from './contactForm';

export function ContactsTab({ clientId, readOnly, onChanged }: { clientId: string; readOnly: boolean; onChanged: () => void }) {
  const t = useT();
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  const [listVersion, setListVersion] = useState(0);

  const load = useCallback(async () => {
    try {
      setContacts(await must(api().contacts.list({ clientId })));
    } catch (error) {
      notifyError(t, error);
      setContacts([]);
    }
  }, [clientId, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const changed = () => {
    void load();
    setListVersion((v) => v + 1);
    onChanged();
  };

  const remove = async (contact: Contact) => {
    try {
      await must(api().contacts.delete({ id: contact.id, version: contact.version }));
      notifications.show({ color: 'teal', message: t('contacts.deleted', { name: contact.name }) });
      setDeleting(null);
      changed();
    } catch (error) {
      // Changed or removed meanwhile: say so, and show the list as it is now before the user decides again.
      setDeleting(null);
      notifyError(t, error);
      changed();
    }
  };

  if (contacts === null) {
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('detail.tab.contacts')}
        </Title>
        {!readOnly && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t('contacts.add')}
          </Button>
        )}
      </Group>
      {!readOnly && <ContactDuplicates clientId={clientId} version={listVersion} onChanged={() => { void load(); onChanged(); }} />}
      {contacts.length === 0 ? (
        <EmptyCard icon={<IconAddressBook />} title={t('contacts.empty.title')} body={t('contacts.empty.body')} />
      ) : (
        <Card withBorder padding={0}>
          <Table verticalSpacing="sm" horizontalSpacing="lg" highlightOnHover aria-label={t('detail.tab.contacts')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('contacts.name')}</Table.Th>
                <Table.Th>{t('contacts.role')}</Table.Th>
                <Table.Th>{t('contacts.email')}</Table.Th>
                <Table.Th>{t('contacts.phone')}</Table.Th>
                <Table.Th w={100} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {contacts.map((contact) => (
                <Table.Tr key={contact.id}>
                  <Table.Td>
                    <Group gap="xs">
                      <Text fw={600} size="sm">
                        {contact.name}
                      </Text>
                      {contact.isPrimary && (
                        <Badge size="xs" variant="light">
                          {t('contacts.primary')}
                        </Badge>
                      )}
                    </Group>
                    {contact.notes && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {contact.notes}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{contact.role ?? t('common.none')}</Text>
                  </Table.Td>
                  <Table.Td>{contact.email ? <Anchor size="sm" href={`mailto:${contact.email}`}>{contact.email}</Anchor> : <Text size="sm" c="dimmed">{t('common.none')}</Text>}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{contact.phone ?? t('common.none')}</Text>
                  </Table.Td>
                  <Table.Td>
                    {!readOnly && (
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Tooltip label={t('contacts.edit')}>
                          <ActionIcon variant="subtle" color="gray" aria-label={`${t('contacts.edit')} ${contact.name}`} onClick={() => setEditing(contact)}>
                            <IconPencil size={16} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label={t('contacts.delete')}>
                          <ActionIcon variant="subtle" color="red" aria-label={`${t('contacts.delete')} ${contact.name}`} onClick={() => setDeleting(contact)}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}

      <ContactModal clientId={clientId} contact={editing === 'new' ? null : editing} opened={editing !== null} onClose={() => setEditing(null)} onSaved={changed} />
      <ConfirmModal
        opened={deleting !== null}
        title={t('contacts.deleteConfirm', { name: deleting?.name ?? '' })}
        body={t('contacts.deleteBody')}
        confirmLabel={t('contacts.delete')}
        onConfirm={() => deleting && void remove(deleting)}
        onClose={() => setDeleting(null)}
      />
    </Stack>
  );
}

type ContactValues = ContactFormValues;

function ContactModal({ clientId, contact, opened, onClose, onSaved }: { clientId: string; contact: Contact | null; opened: boolean; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const country = useAppStore((s) => s.settings?.defaultCountry ?? 'ES');
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string | undefined>>({});
  const [saving, setSaving] = useState(false);
  const form = useEditConflict({
    opened,
    record: contact,
    toForm: contactFormValues,
    fields: contactConflictFields,
    schema: contactSchema,
    onOpen: () => {
      setTouched({});
      setServerErrors({});
    },
  });
  const { values, setValues, base } = form;

  const problemsOf = (v: ContactValues) => {
    const parsed = contactFieldsSchema.safeParse(v);
    const errors: Record<string, string> = parsed.success ? {} : fieldErrors(t, issuesFromZod(parsed.error));
    const phone = normalizePhone(v.phone, country);
    if (!phone.ok) errors.phone = validationText(t, phone.message);
    return errors;
  };
  const errors = problemsOf(values);
  const valid = Object.keys(errors).length === 0;
  const errorFor = (name: keyof ContactValues) => serverErrors[name] ?? (touched[name] ? errors[name] : undefined);
  const text = (name: 'name' | 'role' | 'email' | 'phone' | 'notes') => ({
    value: values[name],
    error: errorFor(name),
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      const value = event.currentTarget.value;
      setValues((v) => ({ ...v, [name]: value }));
      setServerErrors((e) => ({ ...e, [name]: undefined }));
    },
    onBlur: () => setTouched((tch) => ({ ...tch, [name]: true })),
  });

  const save = async (v: ContactValues, edited: Contact | null) => {
    setTouched({ name: true, email: true, phone: true, role: true, notes: true });
    if (Object.keys(problemsOf(v)).length) return;
    await saveRecord(form, { t, setSaving, setServerErrors }, async () => {
      const saved = edited ? await must(api().contacts.update({ ...v, id: edited.id, version: edited.version })) : await must(api().contacts.create({ ...v, clientId }));
      notifications.show({ color: 'teal', message: t(edited ? 'contacts.updated' : 'contacts.added', { name: saved.name }) });
      onSaved();
      onClose();
    });
  };
  const { submit, keepMine } = conflictActions(form, save);

  return (
    <FormModal opened={opened} title={contact ? t('contacts.editTitle', { name: contact.name }) : t('contacts.add')} size="lg" dirty={!saving && JSON.stringify(values) !== JSON.stringify(form.start)} onClose={onClose} onSubmit={submit}>
      <Stack gap="sm">
        <ConflictNotice entity="contact" form={form} saving={saving} onKeepMine={keepMine} />
        <SimpleGrid cols={2}>
          <TextInput label={t('contacts.name')} required data-autofocus autoComplete="off" {...text('name')} />
          <TextInput label={t('contacts.role')} autoComplete="off" {...text('role')} />
          <TextInput label={t('contacts.email')} type="email" autoComplete="off" {...text('email')} />
          <TextInput label={t('contacts.phone')} type="tel" autoComplete="off" {...text('phone')} />
        </SimpleGrid>
        <Textarea label={t('contacts.notes')} autosize minRows={2} maxRows={5} {...text('notes')} />
        <Checkbox
          label={t('contacts.makePrimary')}
          checked={values.isPrimary}
          disabled={base?.isPrimary === true}
          onChange={(event) => {
            const checked = event.currentTarget.checked;
            setValues((v) => ({ ...v, isPrimary: checked }));
          }}
        />
        <FormActions canSave={valid && !form.conflict} saving={saving} />
      </Stack>
    </FormModal>
  );
}
