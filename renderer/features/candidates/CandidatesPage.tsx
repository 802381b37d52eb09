import { Box, Button, Group, MultiSelect, Select, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { IconDownload, IconFilterOff, IconPlus, IconSearch, IconUpload, IconUserSearch } from '@tabler/icons-react';
import { lazy, memo, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { CandidateRow } from '../../../contract/candidates';
import { useAppStore } from '../../app/store';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, must } from '../../lib/api';
import { Highlight } from '../../lib/Highlight';
import { EmptyList, ListBody } from '../../lib/ListBody';
import { usePagedRows, VirtualRows } from '../../lib/VirtualRows';
import { CandidateExportModal } from './CandidateExportModal';
import { CandidateFormModal } from './CandidateFormModal';
import classes from '../../lib/VirtualList.module.css';
import { PageHeader } from '../../lib/PageHeader';
import own from './Candidates.module.css';
import { candidateFilterCount, defaultCandidateQuery, useCandidateList } from './store';

// The import wizard loads when first asked for: the list opens without it.
const ImportModal = lazy(() => import('../transfer/ImportModal').then((m) => ({ default: m.ImportModal })));

/** Every candidate: instant accent-insensitive search, filters by source, tags and owner, a virtualised list. */
export function CandidatesPage() {
  const t = useT();
  const navigate = useNavigate();
  const users = useAppStore((s) => s.users);
  const query = useCandidateList((s) => s.query);
  const status = useCandidateList((s) => s.status);
  const hasRows = useCandidateList((s) => s.rows.length > 0);
  const patchQuery = useCandidateList((s) => s.patchQuery);
  const reload = useCandidateList((s) => s.reload);
  const [search, setSearch] = useState(query.search);
  const [debounced] = useDebouncedValue(search, 120);
  const [facets, setFacets] = useState<{ sources: string[]; tags: string[] }>({ sources: [], tags: [] });
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [importing, setImporting] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const open = useCallback((id: string) => void navigate(`/candidates/${id}`), [navigate]);
  const filtered = candidateFilterCount(query) > 0;

  useEffect(() => {
    void reload();
    void must(api().candidates.facets({}))
      .then((f) => setFacets({ sources: f.sources.map((s) => s.value), tags: f.tags.map((s) => s.value) }))
      .catch(() => undefined);
  }, [reload]);
  useEffect(() => {
    if (debounced !== useCandidateList.getState().query.search) patchQuery({ search: debounced });
  }, [debounced, patchQuery]);
  useHotkeys([
    ['mod+K', () => searchRef.current?.focus()],
    ['mod+N', () => setCreating(true)],
  ]);

  const sourceLabel = (value: string) => {
    const key = `candidates.source.${value}`;
    return key in sourceKeys ? t(key as MessageKey) : value;
  };
  const clearAll = () => {
    setSearch('');
    patchQuery({ ...defaultCandidateQuery, sort: query.sort, direction: query.direction });
  };

  return (
    <Stack gap={0} h="100vh">
      <Box px="xl" pt="lg" pb="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group justify="space-between" align="flex-end" mb="md">
          <PageHeader title={t('candidates.title')} subtitle={t('candidates.subtitle')} />
          <Group gap="xs">
            <Button variant="default" leftSection={<IconUpload size={16} />} onClick={() => setImporting(true)}>
              {t('candidates.import')}
            </Button>
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => setExporting(true)} disabled={!hasRows}>
              {t('candidates.export')}
            </Button>
            <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
              {t('candidates.new')}
            </Button>
          </Group>
        </Group>
        <Group gap="sm" wrap="wrap" align="flex-end">
          <TextInput
            ref={searchRef}
            aria-label={t('candidates.search')}
            placeholder={t('candidates.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={300}
          />
          <MultiSelect
            aria-label={t('candidates.filter.source')}
            placeholder={query.sources.length ? undefined : t('candidates.filter.source')}
            data={facets.sources.map((s) => ({ value: s, label: sourceLabel(s) }))}
            value={query.sources}
            onChange={(sources) => patchQuery({ sources })}
            clearable
            searchable
            w={190}
          />
          <MultiSelect
            aria-label={t('candidates.filter.tags')}
            placeholder={query.tags.length ? undefined : t('candidates.filter.tags')}
            data={[...new Set(facets.tags)]}
            value={query.tags}
            onChange={(tags) => patchQuery({ tags })}
            clearable
            searchable
            w={190}
          />
          <MultiSelect
            aria-label={t('filters.owner')}
            placeholder={query.ownerIds.length ? undefined : t('filters.owner')}
            data={users.map((u) => ({ value: u.id, label: u.name }))}
            value={query.ownerIds}
            onChange={(ownerIds) => patchQuery({ ownerIds })}
            clearable
            searchable
            w={180}
          />
          <Select
            aria-label={t('candidates.sort')}
            data={[
              { value: 'created_at:desc', label: t('candidates.sort.newest') },
              { value: 'created_at:asc', label: t('candidates.sort.oldest') },
              { value: 'full_name:asc', label: t('candidates.sort.name') },
            ]}
            value={`${query.sort}:${query.direction}`}
            onChange={(v) => {
              if (!v) return;
              const [sort, direction] = v.split(':') as ['created_at' | 'full_name', 'asc' | 'desc'];
              patchQuery({ sort, direction });
            }}
            allowDeselect={false}
            w={170}
          />
          {filtered && (
            <Button variant="subtle" leftSection={<IconFilterOff size={14} />} onClick={clearAll}>
              {t('filters.clearAll')}
            </Button>
          )}
        </Group>
      </Box>
      <Box style={{ flex: 1, minHeight: 0 }}>
        <ListBody status={status} hasRows={hasRows} onRetry={() => void reload()}
          empty={
            <EmptyList filtered={filtered} onClearAll={clearAll} onNew={() => setCreating(true)}
              noResults={{ title: t('candidates.noResults.title'), body: t('candidates.noResults.body') }}
              empty={{ icon: <IconUserSearch />, title: t('candidates.empty.title'), body: t('candidates.empty.body'), newLabel: t('candidates.new') }}
            />
          }
        >
          <CandidateList onOpen={open} />
        </ListBody>
      </Box>
      <Suspense fallback={null}>{importing && <ImportModal opened initialTarget="candidates" onClose={() => setImporting(false)} onImported={() => void reload()} />}</Suspense>
      {exporting && <CandidateExportModal opened query={query} onClose={() => setExporting(false)} />}
      <CandidateFormModal opened={creating} candidate={null} onClose={() => setCreating(false)} onSaved={(c) => open(c.id)} onOpenCandidate={open} />
    </Stack>
  );
}

const sourceKeys: Record<string, true> = {
  'candidates.source.linkedin': true,
  'candidates.source.referral': true,
  'candidates.source.job_board': true,
  'candidates.source.website': true,
  'candidates.source.database': true,
  'candidates.source.event': true,
  'candidates.source.headhunting': true,
  'candidates.source.other': true,
};

/** The candidates as a virtualised list (renderer/lib/VirtualRows.tsx). */
const CandidateList = memo(function CandidateList({ onOpen }: { onOpen: (id: string) => void }) {
  const t = useT();
  const { search, ...paged } = usePagedRows(useCandidateList);

  return (
    <VirtualRows
      label={t('candidates.title')}
      className={own.columns}
      header={
        <>
          <div role="columnheader">{t('candidates.col.code')}</div>
          <div role="columnheader">{t('candidates.col.name')}</div>
          <div role="columnheader">{t('candidates.col.title')}</div>
          <div role="columnheader">{t('candidates.col.location')}</div>
          <div role="columnheader">{t('candidates.col.tags')}</div>
          <div role="columnheader">{t('candidates.col.owner')}</div>
          <div role="columnheader" style={{ textAlign: 'right' }}>
            {t('candidates.col.applications')}
          </div>
        </>
      }
      {...paged}
      rowIdPrefix="candidate-row-"
      cells={(row) => <RowCells row={row} search={search} />}
      onOpen={onOpen}
    />
  );
});

const RowCells = memo(function RowCells({ row, search }: { row: CandidateRow; search: string }) {
  const t = useT();
  const format = useFormat();
  return (
    <>
      <div role="cell" className={`${classes.cell} ${classes.code}`}>
        <Highlight text={row.code} search={search} />
      </div>
      <div role="cell">
        <div className={`${classes.cell} ${classes.company}`} title={row.fullName}>
          <Highlight text={row.fullName} search={search} />
        </div>
        {(row.email || row.phone) && (
          <div className={`${classes.cell} ${classes.dimmed} ${classes.small}`}>
            <Highlight text={[row.email, row.phone].filter(Boolean).join(' · ')} search={search} />
          </div>
        )}
      </div>
      <div role="cell" className={classes.cell} title={[row.currentTitle, row.currentCompany].filter(Boolean).join(' · ')}>
        <Highlight text={[row.currentTitle, row.currentCompany].filter(Boolean).join(' · ') || '—'} search={search} />
      </div>
      <div role="cell" className={`${classes.cell} ${classes.dimmed}`}>
        <Highlight text={row.location ?? '—'} search={search} />
      </div>
      <div role="cell" className={classes.cell} title={row.tags.join(', ')}>
        {row.tags.length ? row.tags.map((tag) => <span key={tag} className={own.tag}>{tag}</span>) : <span className={classes.dimmed}>—</span>}
      </div>
      <div role="cell" className={classes.cell}>
        {row.ownerName ?? t('common.none')}
      </div>
      <div role="cell" className={`${classes.cell} ${classes.number} ${row.applications ? classes.strong : classes.dimmed}`}>
        {format.number(row.applications)}
      </div>
    </>
  );
});
