import { Badge, Button, Card, Group, Modal, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { User } from '../../../contract/users';
import { useAppStore } from '../../app/store';
import { useT } from '../../i18n';
import { ApiFailure, api, fieldErrors, must, notifyError } from '../../lib/api';

/** Add, rename and deactivate team members; deactivated ones stay on past events. */
export function TeamSection() {
  const t = useT();
  const users = useAppStore((s) => s.users);
  const currentUserId = useAppStore((s) => s.settings?.currentUserId);
  const load = useAppStore((s) => s.load);
  const [editing, setEditing] = useState<User | 'new' | null>(null);

  const toggle = async (user: User) => {
    try {
      await must(api().users.update({ id: user.id, name: user.name, email: user.email, active: !user.active }));
      notifications.show({ color: 'teal', message: t('team.saved') });
      await load();
    } catch (error) {
      notifyError(t, error);
    }
  };

  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('team.title')}
        </Title>
        <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setEditing('new')}>
          {t('team.add')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {t('team.help')}
      </Text>
      <Table verticalSpacing="xs" aria-label={t('team.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('team.name')}</Table.Th>
            <Table.Th>{t('team.email')}</Table.Th>
            <Table.Th>{t('team.active')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => (
            <Table.Tr key={user.id}>
              <Table.Td>
                <Group gap="xs">
                  <Text size="sm" fw={500} c={user.active ? undefined : 'dimmed'}>
                    {user.name}
                  </Text>
                  {user.id === currentUserId && (
                    <Badge size="xs" variant="light">
                      {t('team.you')}
                    </Badge>
                  )}
                  {!user.active && (
                    <Badge size="xs" variant="light" color="gray">
                      {t('team.inactive')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {user.email ?? t('common.none')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Switch
                  checked={user.active}
                  onChange={() => void toggle(user)}
                  aria-label={`${user.active ? t('team.deactivate') : t('team.activate')} ${user.name}`}
                  disabled={user.id === currentUserId}
                />
              </Table.Td>
              <Table.Td>
                <Button size="compact-xs" variant="subtle" leftSection={<IconPencil size={12} />} onClick={() => setEditing(user)} aria-label={`${t('team.rename')} ${user.name}`}>
                  {t('team.rename')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <MemberModal user={editing === 'new' ? null : editing} opened={editing !== null} onClose={() => setEditing(null)} onSaved={() => void load()} />
    </Card>
  );
}

function MemberModal({ user, opened, onClose, onSaved }: { user: User | null; opened: boolean; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [lastOpened, setLastOpened] = useState(false);
  if (opened !== lastOpened) {
    setLastOpened(opened);
    if (opened) {
      setName(user?.name ?? '');
      setEmail(user?.email ?? '');
      setErrors({});
    }
  }

  const submit = async () => {
    try {
      if (user) await must(api().users.update({ id: user.id, name, email, active: user.active }));
      else await must(api().users.create({ name, email }));
      notifications.show({ color: 'teal', message: t('team.saved') });
      onSaved();
      onClose();
    } catch (error) {
      if (error instanceof ApiFailure && error.error.code === 'VALIDATION') setErrors(fieldErrors(t, error.error.fields));
      else notifyError(t, error);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={user ? t('team.editTitle') : t('team.add')} centered size="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <TextInput label={t('team.name')} required data-autofocus value={name} error={errors.name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput label={t('team.email')} type="email" value={email} error={errors.email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={!name.trim()}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
