import { Badge, Box, Button, Center, Group, Loader, MultiSelect, NumberInput, Select, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBriefcase, IconFilterOff, IconLayoutKanban, IconSearch } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { jobStatuses, type Job, type JobStatus, type JobTotals } from '../../../contract/jobs';
import { useAppStore, useAreaLabel } from '../../app/store';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, must, notifyError } from '../../lib/api';
import { formatMoney, toMinor } from '../../lib/money';
import { closed, jobStatusColors, salaryText } from './format';
import classes from './Jobs.module.css';
import { JobTotalsBar } from './JobTotalsBar';
import { PipelineModal } from '../candidates/PipelineBoard';

interface Filter {
  search: string;
  statuses: JobStatus[];
  areaIds: string[];
  ownerIds: string[];
  salaryFrom: number | string;
  salaryTo: number | string;
  closeFrom: string | null;
  closeTo: string | null;
  sort: 'created_at' | 'title' | 'expected_close_date';
}
const emptyFilter: Filter = { search: '', statuses: [], areaIds: [], ownerIds: [], salaryFrom: '', salaryTo: '', closeFrom: null, closeTo: null, sort: 'created_at' };
const rowHeight = 56;

/** Every posting of every client: search, filters, sort, a virtualised list and totals for the filter. */
export function JobsPage() {
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const areaLabel = useAreaLabel();
  const areas = useAppStore((s) => s.areas);
  const users = useAppStore((s) => s.users);
  const [filter, setFilter] = useState<Filter>(emptyFilter);
  const [debounced] = useDebouncedValue(filter, 150);
  const [rows, setRows] = useState<Job[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [totals, setTotals] = useState<JobTotals | null>(null);
  const loadingMore = useRef(false);
  const [pipelineOf, setPipelineOf] = useState<Job | null>(null);
  const [counts, setCounts] = useState<Map<string, { total: number; placed: number }>>(new Map());
  const [countsVersion, setCountsVersion] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);

  const query = useCallback(
    (f: Filter) => ({
      search: f.search,
      statuses: f.statuses,
      areaIds: f.areaIds,
      ownerIds: f.ownerIds,
      salaryFromMinor: toMinor(f.salaryFrom),
      salaryToMinor: toMinor(f.salaryTo),
      closeFrom: f.closeFrom,
      closeTo: f.closeTo,
    }),
    [],
  );

  useEffect(() => {
    let cancelled = false;
    const q = query(debounced);
    must(api().jobs.list({ ...q, sort: debounced.sort, direction: debounced.sort === 'title' ? 'asc' : 'desc', limit: 100 }))
      .then(async (page) => {
        if (cancelled) return;
        setRows(page.rows);
        setCursor(page.nextCursor);
        const sums = await must(api().jobs.totals(q));
        if (!cancelled) setTotals(sums);
      })
      .catch((error: unknown) => {
        notifyError(t, error);
        if (!cancelled) setRows([]);
      });
    return () => {
      cancelled = true;
    };
  }, [debounced, query, t]);

  const virtualizer = useVirtualizer({ count: rows?.length ?? 0, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (!rows || !cursor || loadingMore.current || lastIndex < rows.length - 20) return;
    loadingMore.current = true;
    must(api().jobs.list({ ...query(debounced), sort: debounced.sort, direction: debounced.sort === 'title' ? 'asc' : 'desc', limit: 100, cursor }))
      .then((page) => {
        setRows((r) => [...(r ?? []), ...page.rows]);
        setCursor(page.nextCursor);
      })
      .catch((error: unknown) => notifyError(t, error))
      .finally(() => (loadingMore.current = false));
  }, [lastIndex, rows, cursor, debounced, query, t]);

  // Pipeline counts of the rows loaded so far, asked for page by page.
  useEffect(() => {
    const missing = (rows ?? []).map((j) => j.id).filter((id) => !counts.has(id)).slice(0, 500);
    if (!missing.length) return;
    let cancelled = false;
    must(api().applications.counts({ jobIds: missing }))
      .then((found) => {
        if (!cancelled) setCounts((m) => new Map([...m, ...found.map((c) => [c.jobId, c] as const)]));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [rows, counts, countsVersion]);

  const filtered = JSON.stringify({ ...filter, sort: 'created_at' }) !== JSON.stringify(emptyFilter);
  const set = <K extends keyof Filter>(key: K, value: Filter[K]) => setFilter((f) => ({ ...f, [key]: value }));

  return (
    <Stack gap={0} h="100vh">
      <Box px="xl" pt="lg" pb="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Title order={1} size="h2">
          {t('jobs.title')}
        </Title>
        <Text c="dimmed" size="sm" mb="md">
          {t('jobs.subtitle')}
        </Text>
        <Group gap="sm" wrap="wrap" align="flex-end">
          <TextInput aria-label={t('jobs.search')} placeholder={t('jobs.searchPlaceholder')} leftSection={<IconSearch size={16} />} value={filter.search} onChange={(e) => set('search', e.currentTarget.value)} w={260} />
          <MultiSelect aria-label={t('filters.status')} placeholder={filter.statuses.length ? undefined : t('filters.status')} data={jobStatuses.map((s) => ({ value: s, label: t(`jobStatus.${s}` as MessageKey) }))} value={filter.statuses} onChange={(v) => set('statuses', v as JobStatus[])} clearable w={190} />
          <MultiSelect aria-label={t('filters.area')} placeholder={filter.areaIds.length ? undefined : t('filters.area')} data={areas.map((a) => ({ value: a.id, label: areaLabel(a) }))} value={filter.areaIds} onChange={(v) => set('areaIds', v)} clearable searchable w={170} />
          <MultiSelect aria-label={t('filters.owner')} placeholder={filter.ownerIds.length ? undefined : t('filters.owner')} data={users.map((u) => ({ value: u.id, label: u.name }))} value={filter.ownerIds} onChange={(v) => set('ownerIds', v)} clearable searchable w={170} />
          <NumberInput aria-label={t('jobs.filters.salaryFrom')} placeholder={t('jobs.filters.salaryFrom')} value={filter.salaryFrom} onChange={(v) => set('salaryFrom', v)} min={0} thousandSeparator w={130} hideControls />
          <NumberInput aria-label={t('jobs.filters.salaryTo')} placeholder={t('jobs.filters.salaryTo')} value={filter.salaryTo} onChange={(v) => set('salaryTo', v)} min={0} thousandSeparator w={130} hideControls />
          <DateInput aria-label={t('jobs.filters.closeFrom')} placeholder={t('jobs.filters.closeFrom')} value={filter.closeFrom} onChange={(v) => set('closeFrom', v ? String(v).slice(0, 10) : null)} clearable valueFormat="DD/MM/YYYY" w={140} />
          <DateInput aria-label={t('jobs.filters.closeTo')} placeholder={t('jobs.filters.closeTo')} value={filter.closeTo} onChange={(v) => set('closeTo', v ? String(v).slice(0, 10) : null)} clearable valueFormat="DD/MM/YYYY" w={140} />
          <Select
            aria-label={t('jobs.sort')}
            data={(['created_at', 'title', 'expected_close_date'] as const).map((s) => ({ value: s, label: t(`jobs.sort.${s}` as MessageKey) }))}
            value={filter.sort}
            onChange={(v) => v && set('sort', v as Filter['sort'])}
            allowDeselect={false}
            w={160}
          />
          {filtered && (
            <Button variant="subtle" leftSection={<IconFilterOff size={14} />} onClick={() => setFilter({ ...emptyFilter, sort: filter.sort })}>
              {t('jobs.filters.clear')}
            </Button>
          )}
        </Group>
        <Box mt="md">
          <JobTotalsBar totals={totals} />
        </Box>
      </Box>
      <Box style={{ flex: 1, minHeight: 0 }}>
        {rows === null ? (
          <Center h="100%">
            <Loader />
          </Center>
        ) : rows.length === 0 ? (
          <Center h="100%">
            <Stack align="center" gap="xs">
              <ThemeIcon size={56} radius="xl" variant="light">
                <IconBriefcase />
              </ThemeIcon>
              <Text c="dimmed">{filtered ? t('jobs.noResults') : t('jobs.empty.title')}</Text>
            </Stack>
          </Center>
        ) : (
          <div role="table" aria-label={t('jobs.title')} className={classes.table}>
            <div role="row" className={`${classes.row} ${classes.header}`}>
              <div role="columnheader">{t('jobs.col.code')}</div>
              <div role="columnheader">{t('jobs.col.title')}</div>
              <div role="columnheader">{t('jobs.col.client')}</div>
              <div role="columnheader">{t('jobs.col.status')}</div>
              <div role="columnheader">{t('jobs.col.salary')}</div>
              <div role="columnheader">{t('jobs.col.close')}</div>
              <div role="columnheader" style={{ textAlign: 'right' }}>
                {t('jobs.col.weighted')}
              </div>
              <div role="columnheader">{t('pipeline.col')}</div>
            </div>
            <div ref={scrollRef} className={classes.scroll}>
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((item) => {
                  const job = rows[item.index]!;
                  return (
                    <div
                      key={item.key}
                      role="row"
                      className={`${classes.row} ${classes.clickable}`}
                      style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)` }}
                      onClick={() => void navigate(`/clients/${job.clientId}/jobs`)}
                    >
                      <div role="cell">
                        <Text size="sm" ff="monospace" c="dimmed">
                          {job.code}
                        </Text>
                      </div>
                      <div role="cell">
                        <Text size="sm" fw={600} truncate>
                          {job.title}
                        </Text>
                      </div>
                      <div role="cell">
                        <Text size="sm" truncate>
                          {job.clientName}
                        </Text>
                      </div>
                      <div role="cell">
                        <Badge variant="light" size="sm" color={jobStatusColors[job.status]}>
                          {t(`jobStatus.${job.status}` as MessageKey)}
                        </Badge>
                      </div>
                      <div role="cell">
                        <Text size="sm" truncate>
                          {salaryText(job, t, format.locale)}
                        </Text>
                      </div>
                      <div role="cell">
                        <Text size="sm" c="dimmed">
                          {job.expectedCloseDate ? format.date(`${job.expectedCloseDate}T12:00:00Z`) : '—'}
                        </Text>
                      </div>
                      <div role="cell" style={{ textAlign: 'right', ...(closed(job) ? { opacity: 0.5, textDecoration: 'line-through' } : {}) }}>
                        <Text size="sm" fw={600}>
                          {job.forecast.weightedMinor !== null && job.salaryCurrency ? formatMoney(job.forecast.weightedMinor, job.salaryCurrency, format.locale) : '—'}
                        </Text>
                      </div>
                      <div role="cell">
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
                      </div>
                    </div>
                  );
                })}
              </div>
            </div>
          </div>
        )}
      </Box>
      <PipelineModal
        job={pipelineOf}
        onClose={() => setPipelineOf(null)}
        onChanged={() => {
          // Openings and statuses may have changed: fresh rows, fresh counts.
          setCounts(new Map());
          setCountsVersion((v) => v + 1);
          setFilter((f) => ({ ...f }));
        }}
      />
    </Stack>
  );
}
