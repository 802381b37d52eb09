import { Box, Button, Group, Menu, Stack } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconAddressBook, IconArchive, IconChevronDown, IconDownload, IconFileSpreadsheet, IconFileZip, IconPlus, IconUpload } from '@tabler/icons-react';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../../i18n';
import { EmptyList, ListBody } from '../../lib/ListBody';
import { PageHeader } from '../../lib/PageHeader';
import { ClientMergeModal } from '../duplicates/ClientMergeModal';
import { ClientFilters } from './ClientFilters';
import { ClientFormModal } from './ClientFormModal';
import { ClientList } from './ClientList';
import { ClientMetrics } from './ClientMetrics';
import { MergedCodeHint } from './MergedCodeHint';
import { activeFilterCount, defaultQuery, useClientList } from './store';

// Import, export and backup load when first asked for: the list opens without them.
const DossierModal = lazy(() => import('../transfer/DossierModal').then((m) => ({ default: m.DossierModal })));
const ExportModal = lazy(() => import('../transfer/ExportModal').then((m) => ({ default: m.ExportModal })));
const ImportModal = lazy(() => import('../transfer/ImportModal').then((m) => ({ default: m.ImportModal })));
const RestoreModal = lazy(() => import('../transfer/RestoreModal').then((m) => ({ default: m.RestoreModal })));

export function ClientsPage() {
  const t = useT();
  // Only what this frame shows: the rows and the summary re-render their own components, not the page.
  // Not the query itself: a new search must not re-render the page around the rows it waits for (the
  // subtitle says what the rows on screen were found with).
  const { status, hasRows, filtered, setQuery, reload, matching } = useClientList(
    useShallow((s) => ({
      status: s.status,
      hasRows: s.rows.length > 0,
      filtered: activeFilterCount(s.rowsQuery) > 0,
      setQuery: s.setQuery,
      reload: s.reload,
      matching: s.metrics?.total ?? null,
    })),
  );
  const [creating, setCreating] = useState(false);
  const [merging, setMerging] = useState<[string, string] | null>(null);
  const [transfer, setTransfer] = useState<'import' | 'restore' | 'export' | 'backup' | null>(null);
  const navigate = useNavigate();
  const openClient = useCallback((id: string) => void navigate(`/clients/${id}`), [navigate]);

  const openPage = useClientList((s) => s.openPage);
  useEffect(() => openPage(), [openPage]);
  useHotkeys([['mod+N', () => setCreating(true)]], []);

  const clearAll = () => {
    const { sort, direction } = useClientList.getState().query;
    setQuery({ ...defaultQuery, sort, direction });
  };

  return (
    <Stack gap={0} h="100vh">
      <Box px="xl" pt="lg" pb="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group justify="space-between" align="flex-end" mb="md">
          <PageHeader title={t('clients.title')} subtitle={matching !== null && filtered ? t('clients.matching', { count: matching }) : t('clients.subtitle')} />
          <Group gap="xs">
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" leftSection={<IconUpload size={16} />} rightSection={<IconChevronDown size={14} />} aria-label={t('transfer.importMenu')}>
                  {t('transfer.import')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconFileSpreadsheet size={16} />} onClick={() => setTransfer('import')}>
                  {t('transfer.menu.importTable')}
                </Menu.Item>
                <Menu.Item leftSection={<IconArchive size={16} />} onClick={() => setTransfer('restore')}>
                  {t('transfer.menu.restore')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" leftSection={<IconDownload size={16} />} rightSection={<IconChevronDown size={14} />} aria-label={t('transfer.exportMenu')}>
                  {t('transfer.export')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconFileSpreadsheet size={16} />} onClick={() => setTransfer('export')}>
                  {t('transfer.menu.exportList')}
                </Menu.Item>
                <Menu.Item leftSection={<IconFileZip size={16} />} onClick={() => setTransfer('backup')}>
                  {t('transfer.menu.backupAll')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
              {t('clients.new')}
            </Button>
          </Group>
        </Group>
        <ClientFilters />
        <Box mt="md">
          <ClientMetrics />
        </Box>
      </Box>

      <Box style={{ flex: 1, minHeight: 0 }}>
        <ListBody status={status} hasRows={hasRows} onRetry={() => void reload()}
          empty={
            <EmptyList filtered={filtered} onClearAll={clearAll} onNew={() => setCreating(true)}
              noResults={{ title: t('clients.noResults.title'), body: t('clients.noResults.body'), more: <MergedCodeHint onOpen={openClient} /> }}
              empty={{ icon: <IconAddressBook />, title: t('clients.empty.title'), body: t('clients.empty.body'), newLabel: t('clients.new') }}
            />
          }
        >
          <ClientList onOpen={openClient} />
        </ListBody>
      </Box>

      <Suspense fallback={null}>
        {transfer === 'import' && <ImportModal opened onClose={() => setTransfer(null)} onImported={() => void reload()} />}
        {transfer === 'restore' && <RestoreModal opened onClose={() => setTransfer(null)} onRestored={() => void reload()} />}
        {transfer === 'export' && <ExportModal opened query={useClientList.getState().query} matching={matching} onClose={() => setTransfer(null)} />}
        {transfer === 'backup' && <DossierModal opened client={null} onClose={() => setTransfer(null)} />}
      </Suspense>
      <ClientFormModal opened={creating} client={null} onClose={() => setCreating(false)} onSaved={() => void reload()} onOpenClient={openClient} onMerge={setMerging} />
      {merging && (
        <ClientMergeModal
          ids={merging}
          onClose={() => setMerging(null)}
          onDone={(outcome) => {
            setMerging(null);
            void reload();
            if (outcome) openClient(outcome.survivorId);
          }}
        />
      )}
    </Stack>
  );
}
