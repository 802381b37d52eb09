import { Badge, Box, Button, Center, CloseButton, Group, Loader, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useDebouncedCallback, useHotkeys } from '@mantine/hooks';
import { IconAddressBook, IconAlertTriangle, IconPlus, IconSearch, IconSearchOff } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useT } from '../../i18n';
import { ClientList } from './ClientList';
import { ClientFormModal } from './ClientFormModal';
import { useClientList } from './store';

export function ClientsPage() {
  const t = useT();
  const { status, rows, query, setQuery, reload, nextCursor } = useClientList();
  const [search, setSearch] = useState(query.search ?? '');
  const [creating, setCreating] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const navigate = useNavigate();
  const openClient = (id: string) => void navigate(`/clients/${id}`);

  useEffect(() => {
    void reload();
  }, [reload]);

  const applySearch = useDebouncedCallback((value: string) => setQuery({ search: value }), 120);
  useHotkeys([
    ['mod+K', () => searchRef.current?.focus()],
    ['mod+N', () => setCreating(true)],
  ], []);

  const searching = (query.search ?? '').trim().length > 0;

  return (
    <Stack gap={0} h="100vh">
      <Box px="xl" pt="lg" pb="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group justify="space-between" align="flex-end" mb="md">
          <div>
            <Title order={1} size="h2">
              {t('clients.title')}
            </Title>
            <Text c="dimmed" size="sm">
              {t('clients.subtitle')}
            </Text>
          </div>
          <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
            {t('clients.new')}
          </Button>
        </Group>
        <Group gap="sm">
          <TextInput
            ref={searchRef}
            aria-label={t('clients.search')}
            placeholder={t('clients.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            rightSection={
              search ? (
                <CloseButton
                  aria-label={t('clients.clearSearch')}
                  onClick={() => {
                    setSearch('');
                    setQuery({ search: '' });
                  }}
                />
              ) : (
                <Text size="xs" c="dimmed" pr={6}>
                  ⌘K
                </Text>
              )
            }
            rightSectionWidth={search ? undefined : 40}
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              applySearch(event.currentTarget.value);
            }}
            w={420}
          />
          {status === 'ready' && rows.length > 0 && (
            <Badge variant="light" color="gray" size="lg" fw={500}>
              {t(nextCursor ? 'clients.countMore' : 'clients.count', { count: rows.length })}
            </Badge>
          )}
        </Group>
      </Box>

      <Box style={{ flex: 1, minHeight: 0 }}>
        {status === 'loading' || status === 'idle' ? (
          <Center h="100%">
            <Loader />
          </Center>
        ) : status === 'failed' ? (
          <Center h="100%">
            <Stack align="center" gap="sm">
              <ThemeIcon size={48} radius="xl" color="red" variant="light">
                <IconAlertTriangle />
              </ThemeIcon>
              <Text>{t('error.loadFailed')}</Text>
              <Button variant="light" onClick={() => void reload()}>
                {t('common.retry')}
              </Button>
            </Stack>
          </Center>
        ) : rows.length === 0 ? (
          searching ? (
            <EmptyState icon={<IconSearchOff />} title={t('clients.noResults.title')} body={t('clients.noResults.body')}>
              <Button
                variant="light"
                onClick={() => {
                  setSearch('');
                  setQuery({ search: '' });
                }}
              >
                {t('clients.clearSearch')}
              </Button>
            </EmptyState>
          ) : (
            <EmptyState icon={<IconAddressBook />} title={t('clients.empty.title')} body={t('clients.empty.body')}>
              <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
                {t('clients.new')}
              </Button>
            </EmptyState>
          )
        ) : (
          <ClientList onOpen={openClient} />
        )}
      </Box>

      <ClientFormModal opened={creating} client={null} onClose={() => setCreating(false)} onSaved={() => void reload()} onOpenClient={openClient} />
    </Stack>
  );
}

function EmptyState({ icon, title, body, children }: { icon: React.ReactNode; title: string; body: string; children?: React.ReactNode }) {
  return (
    <Center h="100%" p="xl">
      <Stack align="center" gap="sm" maw={420} ta="center">
        <ThemeIcon size={64} radius="xl" variant="light">
          {icon}
        </ThemeIcon>
        <Title order={2} size="h3">
          {title}
        </Title>
        <Text c="dimmed">{body}</Text>
        {children}
      </Stack>
    </Center>
  );
}
