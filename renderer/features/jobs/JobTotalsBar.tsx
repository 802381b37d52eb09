import { Group, Paper, Text } from '@mantine/core';
import type { JobTotals } from '../../../contract/jobs';
import { useFormat, useT } from '../../i18n';
import { formatMoney } from '../../lib/money';

/** Open forecast per currency (never mixed) and how many postings feed it. */
export function JobTotalsBar({ totals }: { totals: JobTotals | null }) {
  const t = useT();
  const format = useFormat();
  if (!totals) return null;
  return (
    <Paper withBorder p="sm" radius="md" role="region" aria-label={t('jobs.totals.weighted')}>
      <Group gap="xl" wrap="wrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('jobs.totals.open', { count: totals.openCount })}
          </Text>
          <Text size="sm" c="dimmed">
            {t('jobs.count', { count: totals.count })}
          </Text>
        </div>
        {totals.byCurrency.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('jobs.totals.none')}
          </Text>
        ) : (
          totals.byCurrency.map((c) => (
            <Group key={c.currency} gap="lg">
              <div>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {t('jobs.totals.expected')} ({c.currency})
                </Text>
                <Text fw={600} data-testid={`expected-${c.currency}`}>
                  {formatMoney(c.expectedMinor, c.currency, format.locale)}
                </Text>
              </div>
              <div>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {t('jobs.totals.weighted')} ({c.currency})
                </Text>
                <Text fw={700} c="indigo" data-testid={`weighted-${c.currency}`}>
                  {formatMoney(c.weightedMinor, c.currency, format.locale)}
                </Text>
              </div>
            </Group>
          ))
        )}
      </Group>
    </Paper>
  );
}
