import { memo } from 'react';
import { ColorSwatch, Group, Paper, SimpleGrid, Skeleton, Text } from '@mantine/core';
import { statusColors } from './ClientList';
import { useFormat, useT } from '../../i18n';
import { numberFormat } from '../../lib/intl';
import { useClientList } from './store';

/**
 * A card's height with its label, its figure and three lines of detail (the clients card's statuses wrap to
 * three at common window widths): the placeholders and the cards take the same room, so the list below does
 * not move when the figures arrive after the rows (or after the first paint).
 */
const cardHeight = '7.625rem';

/** Summary figures for the current search and filters. Memoised: they re-render for new figures only. */
export const ClientMetrics = memo(function ClientMetrics() {
  const t = useT();
  const format = useFormat();
  const metrics = useClientList((s) => s.metrics);
  const money = (currency: string, minor: number) =>
    numberFormat(format.locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(minor / 100);

  const cards = metrics
    ? [
        {
          label: t('metrics.clients'),
          value: format.number(metrics.total),
          detail: (
            <Group gap={8} wrap="wrap" style={{ rowGap: 0 }}>
              {(['active', 'paused', 'inactive'] as const).map((status) => (
                <Group gap={4} key={status} wrap="nowrap" title={t(`status.${status}`)}>
                  <ColorSwatch color={`var(--mantine-color-${statusColors[status]}-6)`} size={8} withShadow={false} />
                  <span>{t(`metrics.byStatus.${status}`, { count: metrics.byStatus[status] })}</span>
                </Group>
              ))}
            </Group>
          ),
        },
        { label: t('metrics.newThisMonth'), value: format.number(metrics.newThisMonth), detail: t('metrics.newThisMonthHelp') },
        { label: t('metrics.events30'), value: format.number(metrics.eventsLast30Days), detail: t('metrics.events30Help') },
        { label: t('metrics.openJobs'), value: format.number(metrics.openJobs), detail: t('metrics.openJobsHelp') },
        {
          label: t('metrics.forecast'),
          value: metrics.forecast.length ? money(metrics.forecast[0]!.currency, metrics.forecast[0]!.amountMinor) : money('EUR', 0),
          detail: metrics.forecast.length > 1 ? metrics.forecast.slice(1).map((f) => money(f.currency, f.amountMinor)).join(' · ') : t('metrics.forecastHelp'),
        },
      ]
    : null;

  return (
    <SimpleGrid cols={{ base: 2, md: 5 }} spacing="sm" aria-label={t('metrics.title')} role="region">
      {cards
        ? cards.map((card) => (
            <Paper key={card.label} withBorder p="sm" radius="md" mih={cardHeight}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
                {card.label}
              </Text>
              <Group gap={6} align="baseline">
                <Text fw={700} fz={22} lh={1.3} data-testid={`metric-${card.label}`}>
                  {card.value}
                </Text>
              </Group>
              <Text size="xs" c="dimmed" component="div" lineClamp={2}>
                {card.detail}
              </Text>
            </Paper>
          ))
        : Array.from({ length: 5 }, (_, i) => <Skeleton key={i} h={cardHeight} radius="md" />)}
    </SimpleGrid>
  );
});
