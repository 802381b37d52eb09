import { Badge, Box, Button, Center, Group, Loader, MultiSelect, SegmentedControl, Stack, Table, Text, TextInput, ThemeIcon } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch, IconTargetArrow } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { leadStages, type Lead, type LeadStage } from '../../../contract/leads';
import { useAppStore } from '../../app/store';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, must, notifyError } from '../../lib/api';
import { formatMoney } from '../../lib/money';
import { PageHeader } from '../../lib/PageHeader';
import { LeadDrawer } from './LeadDrawer';
import { LeadModal } from './LeadModal';

const stageColors: Record<LeadStage, string> = { new: 'gray', contacted: 'blue', qualified: 'cyan', proposal: 'grape', negotiation: 'orange', won: 'teal', lost: 'red' };

export function LeadsPage() {
  const t = useT();
  const format = useFormat();
  const users = useAppStore((s) => s.users);
  const [search, setSearch] = useState('');
  const [stages, setStages] = useState<LeadStage[]>([]);
  const [ownerIds, setOwnerIds] = useState<string[]>([]);
  const [view, setView] = useState<'all' | 'review'>('all');
  const [debounced] = useDebouncedValue(search, 150);
  const [rows, setRows] = useState<Lead[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  const input = { search: debounced, stages, ownerIds, toReview: view === 'review', limit: 50 };
  const key = JSON.stringify(input);
  const load = useCallback(async () => {
    try {
      const page = await must(api().leads.list(JSON.parse(key) as typeof input));
      setRows(page.rows);
      setCursor(page.nextCursor);
    } catch (error) {
      notifyError(t, error);
      setRows([]);
    }
  }, [key, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const more = async () => {
    try {
      const page = await must(api().leads.list({ ...input, cursor }));
      setRows((r) => [...(r ?? []), ...page.rows]);
      setCursor(page.nextCursor);
    } catch (error) {
      notifyError(t, error);
    }
  };

  return (
    <Stack gap="md" p="xl">
      <Group justify="space-between" align="flex-end">
        <PageHeader title={t('leads.title')} subtitle={t('leads.subtitle')} />
        <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
          {t('leads.new')}
        </Button>
      </Group>
      <Group gap="sm">
        <SegmentedControl value={view} onChange={(v) => setView(v as 'all' | 'review')} data={[{ value: 'all', label: t('leads.all') }, { value: 'review', label: t('leads.toReview') }]} />
        <TextInput aria-label={t('leads.search')} placeholder={t('leads.searchPlaceholder')} leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={280} />
        <MultiSelect aria-label={t('leads.stage')} placeholder={stages.length ? undefined : t('leads.stage')} data={leadStages.map((s) => ({ value: s, label: t(`leads.stage.${s}` as MessageKey) }))} value={stages} onChange={(v) => setStages(v as LeadStage[])} clearable w={220} />
        <MultiSelect aria-label={t('leads.owner')} placeholder={ownerIds.length ? undefined : t('leads.owner')} data={users.map((u) => ({ value: u.id, label: u.name }))} value={ownerIds} onChange={setOwnerIds} clearable searchable w={200} />
      </Group>
      {rows === null ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Center py={64}>
          <Stack align="center" gap="xs" maw={420} ta="center">
            <ThemeIcon size={56} radius="xl" variant="light">
              <IconTargetArrow />
            </ThemeIcon>
            <Text fw={600}>{view === 'review' ? t('leads.noReview') : search || stages.length || ownerIds.length ? t('leads.noResults') : t('leads.empty.title')}</Text>
            {view === 'all' && !search && !stages.length && !ownerIds.length && (
              <Text c="dimmed" size="sm">
                {t('leads.empty.body')}
              </Text>
            )}
          </Stack>
        </Center>
      ) : (
        <Box>
          <Table highlightOnHover verticalSpacing="sm" aria-label={t('leads.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('leads.company')}</Table.Th>
                <Table.Th>{t('leads.contact')}</Table.Th>
                <Table.Th>{t('leads.stage')}</Table.Th>
                <Table.Th>{t('leads.owner')}</Table.Th>
                <Table.Th ta="right">{t('leads.value')}</Table.Th>
                <Table.Th>{t('leads.client')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((lead) => (
                <Table.Tr key={lead.id} style={{ cursor: 'pointer' }} onClick={() => setOpen(lead.id)}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {lead.companyName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{lead.contactName ?? '—'}</Text>
                    <Text size="xs" c="dimmed">
                      {lead.email ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={stageColors[lead.stage]} size="sm">
                      {t(`leads.stage.${lead.stage}` as MessageKey)}
                    </Badge>
                    {lead.reviewCandidates && !lead.clientId && (
                      <Badge variant="filled" color="yellow" size="sm" ml={4}>
                        {t('leads.toReview')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{lead.ownerName ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{lead.expectedValueMinor !== null && lead.expectedValueCurrency ? formatMoney(lead.expectedValueMinor, lead.expectedValueCurrency, format.locale) : '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{lead.clientName ?? '—'}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {cursor && (
            <Group justify="center" mt="md">
              <Button variant="subtle" onClick={() => void more()}>
                {t('leads.more')}
              </Button>
            </Group>
          )}
        </Box>
      )}
      <LeadModal opened={creating} lead={null} onClose={() => setCreating(false)} onSaved={(l) => { void load(); setOpen(l.id); }} />
      <LeadDrawer leadId={open} onClose={() => setOpen(null)} onChanged={() => void load()} />
    </Stack>
  );
}
