import { ActionIcon, Group, Menu, NavLink, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDots, IconPencil, IconStar, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { SavedView } from '../../../contract/views';
import { useT } from '../../i18n';
import { notifyError } from '../../lib/api';
import { ConfirmModal } from '../../lib/ConfirmModal';
import { useClientList } from '../clients/store';
import { SaveViewModal } from './SaveViewModal';
import { useSavedViews } from './store';

/** Saved views under "Clients" in the navigation: open, rename, delete. */
export function SavedViewsNav() {
  const t = useT();
  const navigate = useNavigate();
  const views = useSavedViews((s) => s.views);
  const remove = useSavedViews((s) => s.remove);
  const setQuery = useClientList((s) => s.setQuery);
  const [renaming, setRenaming] = useState<SavedView | null>(null);
  const [deleting, setDeleting] = useState<SavedView | null>(null);

  if (!views.length) return null;

  return (
    <>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" lts={0.4} px="sm" mt="md" mb={4}>
        {t('views.title')}
      </Text>
      {views.map((view) => (
        <Group key={view.id} gap={0} wrap="nowrap">
          <NavLink
            href="#/clients"
            label={view.name}
            leftSection={<IconStar size={16} stroke={1.6} />}
            onClick={(event) => {
              event.preventDefault();
              setQuery(view.query);
              void navigate('/clients');
            }}
            style={{ borderRadius: 'var(--mantine-radius-md)', flex: 1, minWidth: 0 }}
          />
          <Menu position="right-start">
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={t('views.actions', { name: view.name })}>
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setRenaming(view)}>
                {t('views.rename')}
              </Menu.Item>
              <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(view)}>
                {t('views.delete')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      ))}
      <SaveViewModal
        opened={renaming !== null}
        query={renaming?.query ?? useClientList.getState().query}
        renaming={renaming ? { id: renaming.id, name: renaming.name } : undefined}
        onClose={() => setRenaming(null)}
      />
      <ConfirmModal
        opened={deleting !== null}
        title={t('views.deleteConfirm', { name: deleting?.name ?? '' })}
        body={t('views.deleteBody')}
        confirmLabel={t('views.delete')}
        onConfirm={() => {
          if (!deleting) return;
          const name = deleting.name;
          remove(deleting.id)
            .then(() => notifications.show({ color: 'teal', message: t('views.deleted', { name }) }))
            .catch((error: unknown) => notifyError(t, error))
            .finally(() => setDeleting(null));
        }}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
