import { Card, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { JobTotals } from '../../../contract/jobs';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { JobTotalsBar } from './JobTotalsBar';

/** The client's open revenue forecast on the Profile tab. */
export function ClientForecastCard({ clientId, version }: { clientId: string; version: number }) {
  const t = useT();
  const [totals, setTotals] = useState<JobTotals | null>(null);
  useEffect(() => {
    let cancelled = false;
    void api()
      .jobs.totals({ clientId })
      .then((answer) => !cancelled && answer.ok && setTotals(answer.data));
    return () => {
      cancelled = true;
    };
  }, [clientId, version]);
  return (
    <Card withBorder padding="lg">
      <Title order={2} size="h4" mb="md">
        {t('jobs.totals.weighted')}
      </Title>
      <JobTotalsBar totals={totals} />
    </Card>
  );
}
