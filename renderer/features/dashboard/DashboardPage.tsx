import '@mantine/charts/styles.css';
import { BarChart, DonutChart } from '@mantine/charts';
import { Anchor, Button, Card, Center, Grid, Group, Loader, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconChartBar } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import type { Dashboard } from '../../../contract/dashboard';
import { useAreaLabel } from '../../app/store';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, must } from '../../lib/api';
import { dateTimeFormat } from '../../lib/intl';
import { formatMoney } from '../../lib/money';
import { PageHeader } from '../../lib/PageHeader';

const eventTypes = ['meeting', 'call', 'email', 'proposal', 'satisfaction_survey', 'note', 'won_deal', 'other'] as const;
const eventColors = ['indigo.6', 'cyan.6', 'teal.6', 'grape.6', 'yellow.6', 'gray.6', 'green.7', 'orange.6'];
const jobColors: Record<string, string> = { draft: 'gray.5', open: 'indigo.6', on_hold: 'yellow.6', filled: 'teal.6', cancelled: 'red.5' };

export function DashboardPage() {
  const t = useT();
  const format = useFormat();
  const areaLabel = useAreaLabel();
  const [data, setData] = useState<Dashboard | null>(null);
  const [failed, setFailed] = useState(false);

  const load = useCallback(async () => {
    setFailed(false);
    try {
      setData(await must(api().dashboard.stats({})));
    } catch (error) {
      console.error(error);
      setFailed(true);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const monthLabel = (month: string) =>
    dateTimeFormat(format.locale, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

  if (failed) {
    return (
      <Center h="100vh">
        <Stack align="center">
          <ThemeIcon size={48} radius="xl" color="red" variant="light">
            <IconAlertTriangle />
          </ThemeIcon>
          <Text>{t('error.loadFailed')}</Text>
          <Button variant="light" onClick={() => void load()}>
            {t('common.retry')}
          </Button>
        </Stack>
      </Center>
    );
  }
  if (!data) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  const empty = data.clientsByArea.length === 0;
  const clientsLabel = t('dashboard.clients');

  return (
    <Stack p="xl" gap="lg">
      <PageHeader title={t('dashboard.title')} subtitle={t('dashboard.subtitle')} />
      {empty ? (
        <Card withBorder padding="xl">
          <Center>
            <Stack align="center" gap="xs" ta="center" maw={420}>
              <ThemeIcon size={56} radius="xl" variant="light">
                <IconChartBar />
              </ThemeIcon>
              <Text c="dimmed">{t('dashboard.empty')}</Text>
            </Stack>
          </Center>
        </Card>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <ChartCard title={t('dashboard.byArea')}>
              <BarChart
                h={300}
                data={data.clientsByArea.map((a) => ({ area: areaLabel({ key: a.areaKey, name: a.areaName }), [clientsLabel]: a.count }))}
                dataKey="area"
                orientation="vertical"
                yAxisProps={{ width: 130 }}
                series={[{ name: clientsLabel, color: 'indigo.6' }]}
                valueFormatter={(v) => format.number(v)}
              />
            </ChartCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <ChartCard title={t('dashboard.newPerMonth')}>
              <BarChart
                h={300}
                data={data.newClientsPerMonth.map((m) => ({ month: monthLabel(m.month), [clientsLabel]: m.count }))}
                dataKey="month"
                series={[{ name: clientsLabel, color: 'teal.6' }]}
                valueFormatter={(v) => format.number(v)}
              />
            </ChartCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <ChartCard title={t('dashboard.eventsPerMonth')}>
              <BarChart
                h={320}
                type="stacked"
                withLegend
                data={data.eventsPerMonth.map((m) => ({
                  month: monthLabel(m.month),
                  ...Object.fromEntries(eventTypes.map((type) => [t(`eventType.${type}` as MessageKey), m.byType[type] ?? 0])),
                }))}
                dataKey="month"
                series={eventTypes.map((type, i) => ({ name: t(`eventType.${type}` as MessageKey), color: eventColors[i]! }))}
                valueFormatter={(v) => format.number(v)}
              />
            </ChartCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <ChartCard title={t('dashboard.jobsByStatus')}>
              <Center>
                <DonutChart
                  size={220}
                  thickness={34}
                  withLabelsLine={false}
                  withTooltip
                  data={data.jobsByStatus.map((j) => ({ name: t(`jobStatus.${j.key}` as MessageKey), value: j.count, color: jobColors[j.key] ?? 'gray.5' }))}
                  valueFormatter={(v) => format.number(v)}
                />
              </Center>
              <Group gap="md" justify="center" mt="md">
                {data.jobsByStatus.map((j) => (
                  <Group gap={6} key={j.key}>
                    <span style={{ width: 10, height: 10, borderRadius: 5, background: `var(--mantine-color-${(jobColors[j.key] ?? 'gray.5').replace('.', '-')})` }} />
                    <Text size="sm">
                      {t(`jobStatus.${j.key}` as MessageKey)} · {format.number(j.count)}
                    </Text>
                  </Group>
                ))}
              </Group>
            </ChartCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <ChartCard title={t('dashboard.forecastEarned')}>
              {(() => {
                // Per currency, two bars a month: the open postings' weighted forecast and what placements earned.
                const currencies = [...new Set([...data.forecastByMonth, ...data.earnedByMonth].flatMap((m) => Object.keys(m.byCurrency)))].sort();
                const colors = [['indigo.3', 'indigo.7'], ['teal.3', 'teal.7'], ['orange.3', 'orange.7'], ['grape.3', 'grape.7'], ['cyan.3', 'cyan.7']] as const;
                const forecastName = (c: string) => t('dashboard.series.forecast', { currency: c });
                const earnedName = (c: string) => t('dashboard.series.earned', { currency: c });
                if (!currencies.length) return <Text c="dimmed" size="sm">{t('dashboard.forecastEmpty')}</Text>;
                const thisMonth = new Date().toISOString().slice(0, 7);
                const earnedNow = data.earnedByMonth.find((m) => m.month === thisMonth)?.byCurrency ?? {};
                const forecastNow = data.forecastByMonth.find((m) => m.month === thisMonth)?.byCurrency ?? {};
                return (
                  <>
                  <Group gap="xl" mb="sm">
                    {currencies.map((c) => (
                      <div key={c}>
                        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                          {t('dashboard.thisMonth', { currency: c })}
                        </Text>
                        <Text size="sm">
                          {t('dashboard.forecast')}: <strong data-testid={`forecast-now-${c}`}>{formatMoney(forecastNow[c] ?? 0, c, format.locale)}</strong>
                          {' · '}
                          {t('dashboard.earned')}: <strong data-testid={`earned-now-${c}`}>{formatMoney(earnedNow[c] ?? 0, c, format.locale)}</strong>
                        </Text>
                      </div>
                    ))}
                  </Group>
                  <BarChart
                    h={300}
                    withLegend
                    data={data.forecastByMonth.map((m, i) => ({
                      month: monthLabel(m.month),
                      ...Object.fromEntries(currencies.flatMap((c) => [[forecastName(c), (m.byCurrency[c] ?? 0) / 100], [earnedName(c), (data.earnedByMonth[i]?.byCurrency[c] ?? 0) / 100]])),
                    }))}
                    dataKey="month"
                    series={currencies.flatMap((c, i) => [
                      { name: forecastName(c), color: colors[i % colors.length]![0] },
                      { name: earnedName(c), color: colors[i % colors.length]![1] },
                    ])}
                    valueFormatter={(v) => format.number(Math.round(v))}
                  />
                  </>
                );
              })()}
            </ChartCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <ChartCard title={t('dashboard.guaranteesEnding')}>
              {data.guaranteesEnding.length === 0 ? (
                <Text c="dimmed" size="sm">
                  {t('dashboard.guaranteesEmpty')}
                </Text>
              ) : (
                <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('dashboard.guaranteesEnding')}>
                  {data.guaranteesEnding.slice(0, 12).map((g) => (
                    <Group key={g.placementId} component="li" justify="space-between" wrap="nowrap" align="flex-start">
                      <div style={{ minWidth: 0 }}>
                        <Anchor href={`#/candidates/${g.candidateId}`} size="sm" fw={600}>
                          {g.candidateName}
                        </Anchor>
                        <Text size="xs" c="dimmed" truncate>
                          {g.jobCode} · {g.jobTitle} · {g.clientName}
                        </Text>
                      </div>
                      <div style={{ textAlign: 'right', flex: 'none' }}>
                        <Text size="sm" fw={600}>
                          {format.date(`${g.guaranteeEndDate}T12:00:00Z`)}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {g.guaranteePolicy ? t(`jobs.policy.${g.guaranteePolicy}` as MessageKey) : ''} · {formatMoney(g.feeMinor, g.currency, format.locale)}
                        </Text>
                      </div>
                    </Group>
                  ))}
                </Stack>
              )}
            </ChartCard>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}

function ChartCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card withBorder padding="lg" h="100%">
      <Title order={2} size="h5" mb="md">
        {title}
      </Title>
      {children}
    </Card>
  );
}
