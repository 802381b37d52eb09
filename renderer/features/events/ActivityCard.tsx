import { Card, Group, Loader, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAddressBook, IconBriefcase, IconUser } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { ActivityItem, EventType } from '../../../contract/events';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, must, notifyError } from '../../lib/api';
import { eventColors, eventIcons } from './icons';

/** What happened with a client, newest first: events, job and profile changes (the latest five on the profile). */
export function ActivityCard({ clientId, version, limit = 5, title = true }: { clientId: string; version: number; limit?: number; title?: boolean }) {
  const t = useT();
  const format = useFormat();
  const [items, setItems] = useState<ActivityItem[] | null>(null);

  useEffect(() => {
    let cancelled = false;
    must(api().clients.activity({ clientId, limit }))
      .then((result) => !cancelled && setItems(result))
      .catch((error: unknown) => {
        notifyError(t, error);
        if (!cancelled) setItems([]);
      });
    return () => {
      cancelled = true;
    };
  }, [clientId, version, limit, t]);

  return (
    <Card withBorder padding="lg" component="section" aria-label={t('activity.title')}>
      {title && (
        <Title order={2} size="h4" mb="md">
          {t('activity.title')}
        </Title>
      )}
      {items === null ? (
        <Loader size="sm" />
      ) : items.length === 0 ? (
        <Text c="dimmed">{t('activity.empty')}</Text>
      ) : (
        <Stack gap="sm">
          {items.map((item) => {
            const isEvent = item.kind === 'event';
            const Icon = isEvent ? eventIcons[item.detail as EventType] : item.kind === 'job' ? IconBriefcase : item.kind === 'contact' ? IconAddressBook : IconUser;
            const label = isEvent
              ? item.title
              : t(`activity.${item.kind}` as MessageKey, { operation: t(`activity.op.${item.detail}` as MessageKey) });
            return (
              <Group key={item.id} gap="sm" wrap="nowrap">
                <ThemeIcon variant="light" color={isEvent ? eventColors[item.detail as EventType] : 'gray'} radius="xl" size={28}>
                  <Icon size={14} />
                </ThemeIcon>
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500} truncate>
                    {label}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {isEvent ? t(`eventType.${item.detail}` as MessageKey) : item.userName ?? ''} · {format.dateTime(item.at)}
                  </Text>
                </div>
              </Group>
            );
          })}
        </Stack>
      )}
    </Card>
  );
}

export function SatisfactionCard({ satisfaction }: { satisfaction: { average: number | null; latest: number | null; count: number } }) {
  const t = useT();
  const format = useFormat();
  return (
    <Card withBorder padding="lg" component="section" aria-label={t('satisfaction.title')}>
      <Title order={2} size="h4" mb="md">
        {t('satisfaction.title')}
      </Title>
      {satisfaction.count === 0 ? (
        <Text c="dimmed">{t('satisfaction.none')}</Text>
      ) : (
        <SimpleGrid cols={3}>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('satisfaction.average')}
            </Text>
            <Text fz={24} fw={700}>
              {format.number(satisfaction.average ?? 0)}
              <Text span c="dimmed" size="sm">
                /10
              </Text>
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('satisfaction.latest')}
            </Text>
            <Text fz={24} fw={700}>
              {satisfaction.latest}
              <Text span c="dimmed" size="sm">
                /10
              </Text>
            </Text>
          </div>
          <Text size="sm" c="dimmed" style={{ alignSelf: 'end' }}>
            {t('satisfaction.count', { count: satisfaction.count })}
          </Text>
        </SimpleGrid>
      )}
    </Card>
  );
}
