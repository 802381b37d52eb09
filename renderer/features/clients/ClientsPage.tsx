import { Box, Button, Center, Group, Loader, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconAddressBook, IconAlertTriangle, IconFilterOff, IconPlus, IconSearchOff } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useFormat, useT } from '../../i18n';
import { ClientFilters } from './ClientFilters';
import { ClientFormModal } from './ClientFormModal';
import { ClientList } from './ClientList';
import { ClientMetrics } from './ClientMetrics';
import { activeFilterCount, defaultQuery, useClientList } from './store';

export function ClientsPage() {
  const t = useT();
  const format = useFormat();
  const { status, rows, query, setQuery, reload, metrics } = useClientList();
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const openClient = (id: string) => void navigate(`/clients/${id}`);

  useEffect(() => {
    void reload();
  }, [reload]);
  useHotkeys([['mod+N', () => setCreating(true)]], []);

  const filtered = activeFilterCount(query) > 0;
  const clearAll = () => setQuery({ ...defaultQuery, sort: query.sort, direction: query.direction });

  return (
    <Stack gap={0} h="100vh">
      <Box px="xl" pt="lg" pb="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group justify="space-between" align="flex-end" mb="md">
          <div>
            <Title order={1} size="h2">
              {t('clients.title')}
            </Title>
            <Text c="dimmed" size="sm">
              {metrics && filtered
                ? t('clients.matching', { count: format.number(metrics.total) })
                : t('clients.subtitle')}
            </Text>
          </div>
          <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
            {t('clients.new')}
          </Button>
        </Group>
        <ClientFilters />
        <Box mt="md">
          <ClientMetrics />
        </Box>
      </Box>

      <Box style={{ flex: 1, minHeight: 0 }}>
        {status === 'loading' || status === 'idle' ? (
          <Center h="100%">
            <Stack align="center" gap="xs">
              <Loader />
              <Text c="dimmed" size="sm">
                {t('common.loading')}
              </Text>
            </Stack>
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
          filtered ? (
            <EmptyState icon={<IconSearchOff />} title={t('clients.noResults.title')} body={t('clients.noResults.body')}>
              <Button variant="light" leftSection={<IconFilterOff size={16} />} onClick={clearAll}>
                {t('filters.clearAll')}
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
