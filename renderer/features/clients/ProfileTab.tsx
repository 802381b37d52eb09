import { Anchor, Button, Card, Grid, Group, Loader, SimpleGrid, Stack, Text, Timeline, Title } from '@mantine/core';
import { IconArchive, IconArrowBackUp, IconGitMerge, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import type { Output } from '../../../contract';
import type { Client, HistoryEntry } from '../../../contract/clients';
import { useAreaLabel } from '../../app/store';
import { useFormat, useT, type MessageKey, type Translate } from '../../i18n';
import { api, must, notifyError } from '../../lib/api';
import { ActivityCard, SatisfactionCard } from '../events/ActivityCard';
import { ClientForecastCard } from '../jobs/ClientForecastCard';
import { ClientPipelineCard } from '../candidates/ClientPipelineCard';
import { undoMerge } from '../duplicates/undo';

type Counts = Output<'clients.get'>['counts'];
type Satisfaction = Output<'clients.get'>['satisfaction'];

export function ProfileTab({ client, counts, satisfaction, historyVersion }: { client: Client; counts: Counts; satisfaction: Satisfaction; historyVersion: number }) {
  const t = useT();
  const format = useFormat();
  const areaLabel = useAreaLabel();
  const none = <Text c="dimmed">{t('common.none')}</Text>;

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Stack gap="lg">
          <Card withBorder padding="lg" component="section" aria-label={t('profile.details')}>
            <Title order={2} size="h4" mb="md">
              {t('profile.details')}
            </Title>
            <SimpleGrid cols={2} spacing="lg" verticalSpacing="md">
              <Item label={t('clientForm.email')}>
                <Anchor href={`mailto:${client.email}`}>{client.email}</Anchor>
              </Item>
              <Item label={t('clientForm.phone')}>{client.phone ? <Anchor href={`tel:${client.phone.replace(/\s/g, '')}`}>{client.phone}</Anchor> : none}</Item>
              <Item label={t('clientForm.website')}>
                {client.website ? (
                  <Anchor href={client.website} target="_blank" rel="noopener noreferrer">
                    {client.website.replace(/^https?:\/\//, '')}
                  </Anchor>
                ) : (
                  none
                )}
              </Item>
              <Item label={t('clientForm.area')}>{areaLabel({ key: client.areaKey, name: client.areaName })}</Item>
              <Item label={t('clientForm.owner')}>{client.ownerName ?? none}</Item>
              <Item label={t('clientForm.status')}>{t(`status.${client.status}`)}</Item>
              <Item label={t('profile.created')}>{format.dateTime(client.createdAt)}</Item>
              <Item label={t('profile.lastActivity')}>{client.lastActivityAt ? format.dateTime(client.lastActivityAt) : none}</Item>
              <Item label={t('profile.originLead')}>{client.leadId ? t('profile.fromLead') : t('profile.manual')}</Item>
              <Item label={t('profile.openJobs')}>{format.number(counts.openJobs)}</Item>
            </SimpleGrid>
            <Item label={t('clientForm.comments')} mt="md">
              {client.comments ? <Text style={{ whiteSpace: 'pre-wrap' }}>{client.comments}</Text> : none}
            </Item>
          </Card>

          <Card withBorder padding="lg" component="section" aria-label={t('clientForm.terms')}>
            <Title order={2} size="h4" mb="md">
              {t('clientForm.terms')}
            </Title>
            <SimpleGrid cols={3}>
              <Item label={t('clientForm.feePercent')}>{client.defaultFeePercent !== null ? `${format.number(client.defaultFeePercent)} %` : none}</Item>
              <Item label={t('clientForm.guaranteeDays')}>{client.defaultGuaranteeDays !== null ? t('profile.days', { count: client.defaultGuaranteeDays }) : none}</Item>
              <Item label={t('clientForm.paymentTermsDays')}>
                {client.defaultPaymentTermsDays !== null ? t('profile.days', { count: client.defaultPaymentTermsDays }) : none}
              </Item>
            </SimpleGrid>
          </Card>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Stack gap="lg">
          <ClientForecastCard clientId={client.id} version={historyVersion} />
          <ClientPipelineCard clientId={client.id} version={historyVersion} />
          <SatisfactionCard satisfaction={satisfaction} />
          <ActivityCard clientId={client.id} version={historyVersion} />
          <HistoryCard clientId={client.id} version={historyVersion} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function Item({ label, children, mt }: { label: string; children: React.ReactNode; mt?: string }) {
  return (
    <div style={{ minWidth: 0, marginTop: mt ? `var(--mantine-spacing-${mt})` : undefined }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4} mb={2}>
        {label}
      </Text>
      <div style={{ overflowWrap: 'anywhere' }}>{typeof children === 'string' ? <Text>{children}</Text> : children}</div>
    </div>
  );
}

const fieldKeys: Record<string, MessageKey> = {
  code: 'clients.col.code',
  company_name: 'clientForm.companyName',
  email: 'clientForm.email',
  area_id: 'clientForm.area',
  phone: 'clientForm.phone',
  website: 'clientForm.website',
  comments: 'clientForm.comments',
  status: 'clientForm.status',
  owner_id: 'clientForm.owner',
  default_fee_percent: 'clientForm.feePercent',
  default_guarantee_days: 'clientForm.guaranteeDays',
  default_payment_terms_days: 'clientForm.paymentTermsDays',
  lead_id: 'profile.originLead',
  name: 'contacts.name',
  title: 'jobs.field.title',
  close_reason: 'jobs.field.closeReason',
  probability: 'jobs.field.probability',
  openings: 'jobs.field.openings',
  expected_close_date: 'jobs.field.expectedClose',
  role: 'contacts.role',
  is_primary: 'contacts.primary',
  notes: 'contacts.notes',
};

function showValue(t: Translate, field: string, value: HistoryEntry['changes'][number]['old']): string {
  if (value === null || value === '') return t('common.none');
  if (field === 'status' && typeof value === 'string') return t((['draft', 'open', 'on_hold', 'filled', 'cancelled'].includes(value) ? `jobStatus.${value}` : `status.${value}`) as MessageKey);
  if (field === 'is_primary') return t(value ? 'common.yes' : 'common.no');
  if (typeof value === 'string' && value.startsWith('area:')) return t(`area.${value.slice(5)}` as MessageKey);
  return String(value);
}

function entryTitle(t: Translate, entry: HistoryEntry): string {
  const who = entry.userName ?? t('history.someone');
  if (entry.entity === 'contact') {
    const name = entry.entityLabel ?? '';
    if (entry.operation === 'create') return t('history.contactAdded', { who, name });
    if (entry.operation === 'delete') return t('history.contactRemoved', { who, name });
    return t('history.contactChanged', { who, name });
  }
  if (entry.entity === 'job') {
    const name = entry.entityLabel ?? '';
    if (entry.operation === 'create') return t('history.jobAdded', { who, name });
    if (entry.operation === 'delete') return t('history.jobRemoved', { who, name });
    return t('history.jobChanged', { who, name });
  }
  if (entry.entity === 'event') {
    return `${who} · ${entry.entityLabel ?? ''}`;
  }
  if (entry.entity === 'merge') return `${who} · ${t(entry.operation === 'create' ? 'merge.historyEntry' : 'merge.historyUndone', { name: entry.entityLabel ?? '' })}`;
  if (entry.operation === 'create') return t('history.created', { who });
  if (entry.operation === 'delete') return t('history.archived', { who });
  if (entry.operation === 'restore') return t('history.restored', { who });
  return t('history.changed', { who });
}

const icons = { create: IconPlus, update: IconPencil, delete: IconTrash, restore: IconArrowBackUp };

/** Field-level history from the change log: who changed what, old → new, when. */
function HistoryCard({ clientId, version }: { clientId: string; version: number }) {
  const t = useT();
  const format = useFormat();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const load = useCallback(async () => {
    try {
      const page = await must(api().clients.history({ clientId, limit: 20 }));
      setEntries(page.entries);
      setCursor(page.nextCursor);
    } catch (error) {
      notifyError(t, error);
      setEntries([]);
    }
  }, [clientId, t]);

  useEffect(() => {
    void load();
  }, [load, version]);

  const more = async () => {
    setLoadingMore(true);
    try {
      const page = await must(api().clients.history({ clientId, limit: 20, cursor }));
      setEntries((e) => [...(e ?? []), ...page.entries]);
      setCursor(page.nextCursor);
    } catch (error) {
      notifyError(t, error);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <Card withBorder padding="lg" component="section" aria-label={t('history.title')}>
      <Title order={2} size="h4" mb="md">
        {t('history.title')}
      </Title>
      {entries === null ? (
        <Loader size="sm" />
      ) : entries.length === 0 ? (
        <Text c="dimmed">{t('history.empty')}</Text>
      ) : (
        <Timeline bulletSize={26} lineWidth={2}>
          {entries.map((entry) => {
            const Icon = entry.entity === 'merge' ? IconGitMerge : entry.entity === 'client' && entry.operation === 'delete' ? IconArchive : icons[entry.operation];
            const changes = entry.operation === 'update' ? entry.changes.filter((c) => c.field !== 'archived_at') : [];
            return (
              <Timeline.Item
                key={entry.id}
                bullet={<Icon size={14} />}
                title={
                  <Text size="sm" fw={600}>
                    {entryTitle(t, entry)}
                    {entry.device === 'other' && (
                      <Text span size="xs" c="dimmed" fw={400}>
                        {' '}
                        · {t('history.onOtherDevice')}
                      </Text>
                    )}
                  </Text>
                }
              >
                {changes.map((change) => (
                  <Text size="sm" key={change.field} data-testid="history-change">
                    <Text span c="dimmed" size="sm">
                      {fieldKeys[change.field] ? t(fieldKeys[change.field]!) : change.field}:
                    </Text>{' '}
                    <Text span td="line-through" c="dimmed" size="sm">
                      {showValue(t, change.field, change.old)}
                    </Text>{' '}
                    → <Text span size="sm" td={change.lost ? 'line-through' : undefined} c={change.lost ? 'dimmed' : undefined}>{showValue(t, change.field, change.new)}</Text>
                    {(change.lost || change.replacedHere) && (
                      <Text span size="xs" c="orange">
                        {' '}
                        ({t(change.lost ? 'history.lost' : 'history.replacedHere')})
                      </Text>
                    )}
                  </Text>
                ))}
                {entry.undoable && (
                  <Button size="compact-xs" variant="light" mt={4} leftSection={<IconArrowBackUp size={12} />} onClick={() => void undoMerge(t, entry.entityId, () => void load())}>
                    {t('dups.undo')}
                  </Button>
                )}
                {entry.note && (
                  <Text size="xs" c="orange" mt={2}>
                    {entry.note}
                  </Text>
                )}
                <Text size="xs" c="dimmed" mt={2}>
                  {format.dateTime(entry.changedAt)}
                </Text>
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
      {cursor && (
        <Group justify="center" mt="md">
          <Button variant="subtle" size="xs" loading={loadingMore} onClick={() => void more()}>
            {t('history.more')}
          </Button>
        </Group>
      )}
    </Card>
  );
}
