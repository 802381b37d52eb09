import { Badge, Button, Card, Center, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { IconBriefcase, IconLayoutKanban, IconPlus } from '@tabler/icons-react';
import { PipelineModal } from '../candidates/PipelineBoard';
import { useCallback, useEffect, useState } from 'react';
import type { Job, JobTotals } from '../../../contract/jobs';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { EmptyCard } from '../../lib/EmptyCard';
import { api, must, notifyError } from '../../lib/api';
import { formatMoney } from '../../lib/money';
import { closed, jobStatusColors, salaryText } from './format';
import { JobActions } from './JobActions';
import { JobModal, type ClientDefaults } from './JobModal';
import { JobTotalsBar } from './JobTotalsBar';

/** The client's postings with their forecast and the client's open-forecast totals. */
export function JobsTab({ clientId, defaults, readOnly, onChanged }: { clientId: string; defaults: ClientDefaults; readOnly: boolean; onChanged: () => void }) {
  const t = useT();
  const format = useFormat();
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [totals, setTotals] = useState<JobTotals | null>(null);
  const [editing, setEditing] = useState<Job | 'new' | null>(null);
  const [pipelineOf, setPipelineOf] = useState<Job | null>(null);
  const [counts, setCounts] = useState<Map<string, { total: number; active: number; placed: number }>>(new Map());

  const load = useCallback(async () => {
    try {
      const [list, sums] = await Promise.all([must(api().jobs.list({ clientId, limit: 200 })), must(api().jobs.totals({ clientId }))]);
      setJobs(list.rows);
      setTotals(sums);
      // The pipeline counts are a detail of the rows: without them the postings still show.
      const pipeline = await must(api().applications.counts({ jobIds: list.rows.map((j) => j.id) })).catch(() => []);
      setCounts(new Map(pipeline.map((c) => [c.jobId, c])));
    } catch (error) {
      notifyError(t, error);
      setJobs([]);
    }
  }, [clientId, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const changed = () => {
    void load();
    onChanged();
  };

  if (jobs === null) {
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('detail.tab.jobs')}
        </Title>
        {!readOnly && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t('jobs.new')}
          </Button>
        )}
      </Group>
      <JobTotalsBar totals={totals} />
      {jobs.length === 0 ? (
        <EmptyCard icon={<IconBriefcase />} title={t('jobs.empty.title')} body={t('jobs.empty.body')} />
      ) : (
        <Card withBorder padding={0}>
          <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label={t('detail.tab.jobs')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('jobs.col.title')}</Table.Th>
                <Table.Th>{t('jobs.col.status')}</Table.Th>
                <Table.Th>{t('jobs.col.salary')}</Table.Th>
                <Table.Th>{t('jobs.col.close')}</Table.Th>
                <Table.Th ta="right">{t('jobs.totals.expected')}</Table.Th>
                <Table.Th ta="right">{t('jobs.col.weighted')}</Table.Th>
                <Table.Th>{t('pipeline.col')}</Table.Th>
                <Table.Th w={48} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.map((job) => (
                <Table.Tr key={job.id} style={{ cursor: readOnly ? undefined : 'pointer' }} onClick={() => !readOnly && setEditing(job)}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {job.title}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {job.code} · {job.openings} × {job.location ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={jobStatusColors[job.status]} size="sm">
                      {t(`jobStatus.${job.status}` as MessageKey)}
                    </Badge>
                    {job.closeReason && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {job.closeReason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{salaryText(job, t, format.locale)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{job.expectedCloseDate ? format.date(`${job.expectedCloseDate}T12:00:00Z`) : '—'}</Text>
                  </Table.Td>
                  <Table.Td ta="right" style={closed(job) ? { opacity: 0.5, textDecoration: 'line-through' } : undefined}>
                    <Text size="sm">{job.forecast.expectedMinor !== null && job.salaryCurrency ? formatMoney(job.forecast.expectedMinor, job.salaryCurrency, format.locale) : '—'}</Text>
                  </Table.Td>
                  <Table.Td ta="right" style={closed(job) ? { opacity: 0.5, textDecoration: 'line-through' } : undefined}>
                    <Text size="sm" fw={600}>
                      {job.forecast.weightedMinor !== null && job.salaryCurrency ? formatMoney(job.forecast.weightedMinor, job.salaryCurrency, format.locale) : '—'}
                      {job.probability !== null && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ({job.probability} %)
                        </Text>
                      )}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="light"
                      leftSection={<IconLayoutKanban size={14} />}
                      aria-label={t('pipeline.open', { code: job.code })}
                      onClick={(e) => {
                        e.stopPropagation();
                        setPipelineOf(job);
                      }}
                    >
                      {t('pipeline.summary', { count: counts.get(job.id)?.total ?? 0, placed: counts.get(job.id)?.placed ?? 0 })}
                    </Button>
                  </Table.Td>
                  <Table.Td>{!readOnly && <JobActions job={job} onEdit={() => setEditing(job)} onChanged={changed} />}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      <PipelineModal job={pipelineOf} onClose={() => setPipelineOf(null)} onChanged={changed} />
      <JobModal opened={editing !== null} clientId={clientId} job={editing === 'new' ? null : editing} defaults={defaults} onClose={() => setEditing(null)} onSaved={changed} />
    </Stack>
  );
}
