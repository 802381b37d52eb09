import { Badge, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Output } from '../../../contract';
import { useFormat, useT } from '../../i18n';
import { api, must } from '../../lib/api';
import { stageColors, stageLabel, useStages } from './store';

type Totals = Output<'applications.clientTotals'>;

/** The pipeline of all the client's open postings, counted by stage (the client's Profile). */
export function ClientPipelineCard({ clientId, version }: { clientId: string; version: number }) {
  const t = useT();
  const format = useFormat();
  const stages = useStages((s) => s.stages);
  const loadStages = useStages((s) => s.load);
  const [totals, setTotals] = useState<Totals | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    void loadStages().catch(() => undefined);
    must(api().applications.clientTotals({ clientId }))
      .then((found) => !cancelled && setTotals(found))
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [clientId, version, loadStages]);

  return (
    <Card withBorder padding="lg" component="section" aria-label={t('pipeline.clientTitle')}>
      <Title order={2} size="h4" mb="xs">
        {t('pipeline.clientTitle')}
      </Title>
      {failed ? (
        <Text size="sm" c="red">
          {t('error.loadFailed')}
        </Text>
      ) : !totals ? (
        <Loader size="sm" />
      ) : totals.total === 0 ? (
        <Text size="sm" c="dimmed">
          {t('pipeline.clientEmpty', { count: totals.openPostings })}
        </Text>
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('pipeline.clientSummary', { count: totals.total })}
          </Text>
          <Group gap="xs">
            {stages
              .filter((s) => totals.counts.some((c) => c.stageId === s.id && c.count > 0))
              .map((s) => (
                <Badge key={s.id} variant="light" color={stageColors[s.kind]} tt="none" size="lg">
                  {stageLabel(t, s)}: {format.number(totals.counts.find((c) => c.stageId === s.id)!.count)}
                </Badge>
              ))}
          </Group>
        </Stack>
      )}
    </Card>
  );
}
