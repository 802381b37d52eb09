import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { ViewQuery } from '../../../contract/views';
import { useT } from '../../i18n';
import { ApiFailure, notifyError } from '../../lib/api';
import { useSavedViews } from './store';

/** Names the current search, filters and sort; also used to rename a view (when `renaming` is given). */
export function SaveViewModal({
  opened,
  query,
  renaming,
  onClose,
}: {
  opened: boolean;
  query: ViewQuery;
  renaming?: { id: string; name: string };
  onClose: () => void;
}) {
  const t = useT();
  const { create, rename } = useSavedViews();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (opened) {
      setName(renaming?.name ?? '');
      setError(null);
    }
  }, [opened, renaming?.name]);

  const submit = async () => {
    if (!name.trim()) {
      setError(t('validation.required'));
      return;
    }
    try {
      if (renaming) await rename(renaming.id, name);
      else await create(name, query);
      notifications.show({ color: 'teal', message: t(renaming ? 'views.renamed' : 'views.saved', { name: name.trim() }) });
      onClose();
    } catch (e) {
      if (e instanceof ApiFailure && e.error.code === 'VALIDATION') setError(t('views.nameTaken'));
      else notifyError(t, e);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={renaming ? t('views.renameTitle') : t('views.save')} centered size="sm">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          {!renaming && (
            <Text size="sm" c="dimmed">
              {t('views.saveHelp')}
            </Text>
          )}
          <TextInput
            label={t('views.name')}
            data-autofocus
            value={name}
            error={error}
            maxLength={80}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setError(null);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit">{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
