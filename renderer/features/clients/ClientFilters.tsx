import { ActionIcon, Badge, Button, CloseButton, Group, Menu, MultiSelect, Select, Text, TextInput, Tooltip } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDebouncedCallback, useHotkeys } from '@mantine/hooks';
import { IconCalendar, IconChevronDown, IconDeviceFloppy, IconFilterOff, IconSearch, IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import { memo, useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { clientSorts, clientStatuses, type ClientSort } from '../../../contract/clients';
import type { ViewQuery } from '../../../contract/views';
import { useAppStore, useAreaLabel } from '../../app/store';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { SaveViewModal } from '../views/SaveViewModal';
import { activeFilterCount, defaultQuery, useClientList } from './store';

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Date presets relative to today (local calendar). */
function preset(kind: '7' | '30' | '90' | 'year'): Pick<ViewQuery, 'createdFrom' | 'createdTo'> {
  const today = new Date();
  const from = kind === 'year' ? new Date(Date.UTC(today.getFullYear(), 0, 1)) : new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate() - Number(kind)));
  return { createdFrom: isoDate(from), createdTo: null };
}

export const sortLabels: Record<ClientSort, MessageKey> = {
  company_name: 'clients.col.company',
  code: 'clients.col.code',
  created_at: 'clients.col.created',
  last_activity_at: 'clients.col.lastActivity',
};

/**
 * The search box, sort, filters and chips above the list. Each part subscribes to its own slice of the query:
 * a keystroke re-renders the search box alone, and a new search the box and the chips, not the whole bar
 * (the filter row's selects and date pickers cost more to render than the results they wait for).
 */
// Memoised: the page re-rendering (a first filter, new totals) must not re-render the bar around it.
export const ClientFilters = memo(function ClientFilters() {
  return (
    <>
      <Group gap="sm" wrap="nowrap">
        <SearchBox />
        <SortAndViews />
      </Group>
      <FilterRow />
      <FilterChips />
    </>
  );
});

function SearchBox() {
  const t = useT();
  const searched = useClientList((s) => s.query.search);
  const patchQuery = useClientList((s) => s.patchQuery);
  const [search, setSearch] = useState(searched);
  const searchRef = useRef<HTMLInputElement>(null);

  // A saved view or "clear all" replaces the query: the box shows what is searched.
  useEffect(() => setSearch(searched), [searched]);
  // 30 ms: still one search for the keystrokes of fast typing, and a stale answer is never rendered nor a stale
  // search sent while another is answered (store.ts); the handler answers a search in ~10 ms at 100 000 clients
  // (two words included), so the debounce was most of the 150 ms of DESIGN.md before the new rows' render.
  const applySearch = useDebouncedCallback((value: string) => patchQuery({ search: value }), 30);
  useHotkeys([['mod+K', () => searchRef.current?.focus()]], []);

  return (
    <TextInput
      ref={searchRef}
      aria-label={t('clients.search')}
      placeholder={t('clients.searchPlaceholder')}
      leftSection={<IconSearch size={16} />}
      rightSection={
        search ? (
          <CloseButton
            aria-label={t('clients.clearSearch')}
            onClick={() => {
              setSearch('');
              patchQuery({ search: '' });
            }}
          />
        ) : (
          <Text size="xs" c="dimmed" pr={6}>
            Ctrl K
          </Text>
        )
      }
      rightSectionWidth={search ? undefined : 52}
      value={search}
      onChange={(event) => {
        setSearch(event.currentTarget.value);
        applySearch(event.currentTarget.value);
      }}
      style={{ flex: 1, maxWidth: 520 }}
    />
  );
}

function SortAndViews() {
  const t = useT();
  const { sort, direction } = useClientList(useShallow((s) => ({ sort: s.query.sort, direction: s.query.direction })));
  const patchQuery = useClientList((s) => s.patchQuery);
  // The view saves the query as it is when the user names it.
  const [saving, setSaving] = useState<ViewQuery | null>(null);
  return (
    <Group gap={4} ml="auto" wrap="nowrap">
      <Select
        aria-label={t('filters.sort')}
        leftSection={<Text size="xs" c="dimmed" pl={8}>{t('filters.sortShort')}</Text>}
        leftSectionWidth={56}
        data={clientSorts.map((s) => ({ value: s, label: t(sortLabels[s]) }))}
        value={sort}
        onChange={(value) => value && patchQuery({ sort: value as ClientSort })}
        allowDeselect={false}
        w={220}
      />
      <Tooltip label={direction === 'asc' ? t('filters.ascending') : t('filters.descending')}>
        <ActionIcon
          variant="default"
          size="lg"
          h={36}
          w={36}
          aria-label={direction === 'asc' ? t('filters.ascending') : t('filters.descending')}
          onClick={() => patchQuery({ direction: direction === 'asc' ? 'desc' : 'asc' })}
        >
          {direction === 'asc' ? <IconSortAscending size={18} /> : <IconSortDescending size={18} />}
        </ActionIcon>
      </Tooltip>
      <Button variant="default" leftSection={<IconDeviceFloppy size={16} />} onClick={() => setSaving(useClientList.getState().query)}>
        {t('views.save')}
      </Button>
      <SaveViewModal opened={saving !== null} query={saving ?? defaultQuery} onClose={() => setSaving(null)} />
    </Group>
  );
}

// The filter row's multi-selects: picked values on one line of pills, all cleared with one click.
const multiFilter = { clearable: true, hidePickedOptions: true, styles: { pillsList: { flexWrap: 'nowrap', overflow: 'hidden' } } } as const;
// The creation-date inputs: a calendar icon, a day typed as DD/MM/YYYY, clearable.
const dateFilter = { clearable: true, leftSection: <IconCalendar size={16} />, valueFormat: 'DD/MM/YYYY', w: 160 } as const;

function FilterRow() {
  const t = useT();
  const areaLabel = useAreaLabel();
  const areas = useAppStore((s) => s.areas);
  const users = useAppStore((s) => s.users);
  const patchQuery = useClientList((s) => s.patchQuery);
  const f = useClientList(
    useShallow((s) => ({
      statuses: s.query.statuses,
      areaIds: s.query.areaIds,
      ownerIds: s.query.ownerIds,
      createdFrom: s.query.createdFrom,
      createdTo: s.query.createdTo,
      includeArchived: s.query.includeArchived,
    })),
  );

  return (
    <Group gap="sm" mt="sm" wrap="wrap">
      <MultiSelect
        aria-label={t('filters.status')}
        placeholder={f.statuses.length ? undefined : t('filters.status')}
        data={clientStatuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        value={f.statuses}
        onChange={(value) => patchQuery({ statuses: value as ViewQuery['statuses'] })}
        w={170}
        maxValues={3}
        {...multiFilter}
      />
      <MultiSelect
        aria-label={t('filters.area')}
        placeholder={f.areaIds.length ? undefined : t('filters.area')}
        data={areas.map((a) => ({ value: a.id, label: areaLabel(a) }))}
        value={f.areaIds}
        onChange={(value) => patchQuery({ areaIds: value })}
        w={190}
        searchable
        {...multiFilter}
      />
      <MultiSelect
        aria-label={t('filters.owner')}
        placeholder={f.ownerIds.length ? undefined : t('filters.owner')}
        data={users.map((u) => ({ value: u.id, label: u.name }))}
        value={f.ownerIds}
        onChange={(value) => patchQuery({ ownerIds: value })}
        w={180}
        searchable
        {...multiFilter}
      />
      <DateInput
        aria-label={t('filters.createdFrom')}
        placeholder={t('filters.createdFrom')}
        value={f.createdFrom}
        onChange={(value) => patchQuery({ createdFrom: value ? String(value).slice(0, 10) : null })}
        maxDate={f.createdTo ?? undefined}
        {...dateFilter}
      />
      <DateInput
        aria-label={t('filters.createdTo')}
        placeholder={t('filters.createdTo')}
        value={f.createdTo}
        onChange={(value) => patchQuery({ createdTo: value ? String(value).slice(0, 10) : null })}
        minDate={f.createdFrom ?? undefined}
        {...dateFilter}
      />
      <Menu position="bottom-start">
        <Menu.Target>
          <Button variant="default" rightSection={<IconChevronDown size={14} />}>
            {t('filters.presets')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => patchQuery(preset('7'))}>{t('filters.last7')}</Menu.Item>
          <Menu.Item onClick={() => patchQuery(preset('30'))}>{t('filters.last30')}</Menu.Item>
          <Menu.Item onClick={() => patchQuery(preset('90'))}>{t('filters.last90')}</Menu.Item>
          <Menu.Item onClick={() => patchQuery(preset('year'))}>{t('filters.thisYear')}</Menu.Item>
          <Menu.Divider />
          <Menu.Item onClick={() => patchQuery({ includeArchived: !f.includeArchived })}>
            {f.includeArchived ? t('filters.hideArchived') : t('filters.includeArchived')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}

/** The active search and filters as removable chips, and one action that clears them all. */
function FilterChips() {
  const t = useT();
  const format = useFormat();
  const areaLabel = useAreaLabel();
  const areas = useAppStore((s) => s.areas);
  const users = useAppStore((s) => s.users);
  // The filters the rows on screen were found with: a new search changes nothing here before its rows arrive.
  const query = useClientList((s) => s.rowsQuery);
  const patchQuery = useClientList((s) => s.patchQuery);
  const setQuery = useClientList((s) => s.setQuery);
  // A chip removes its value from the query as it is now (a change may be on its way).
  const current = () => useClientList.getState().query;

  const areaName = (id: string) => areaLabel(areas.find((a) => a.id === id));
  const userName = (id: string) => users.find((u) => u.id === id)?.name ?? id;
  const count = activeFilterCount(query);

  const chips: { key: string; label: string; remove: () => void }[] = [
    ...(query.search.trim() ? [{ key: 'search', label: `${t('filters.search')}: “${query.search.trim()}”`, remove: () => patchQuery({ search: '' }) }] : []),
    ...query.statuses.map((s) => ({ key: `s-${s}`, label: `${t('filters.status')}: ${t(`status.${s}`)}`, remove: () => patchQuery({ statuses: current().statuses.filter((x) => x !== s) }) })),
    ...query.areaIds.map((id) => ({ key: `a-${id}`, label: `${t('filters.area')}: ${areaName(id)}`, remove: () => patchQuery({ areaIds: current().areaIds.filter((x) => x !== id) }) })),
    ...query.ownerIds.map((id) => ({ key: `o-${id}`, label: `${t('filters.owner')}: ${userName(id)}`, remove: () => patchQuery({ ownerIds: current().ownerIds.filter((x) => x !== id) }) })),
    ...(query.createdFrom ? [{ key: 'from', label: `${t('filters.createdFrom')}: ${format.date(query.createdFrom)}`, remove: () => patchQuery({ createdFrom: null }) }] : []),
    ...(query.createdTo ? [{ key: 'to', label: `${t('filters.createdTo')}: ${format.date(query.createdTo)}`, remove: () => patchQuery({ createdTo: null }) }] : []),
    ...(query.includeArchived ? [{ key: 'arch', label: t('filters.includeArchived'), remove: () => patchQuery({ includeArchived: false }) }] : []),
  ];
  if (!chips.length) return null;

  return (
    <Group gap="xs" mt="sm" aria-label={t('filters.active')} role="group">
      {chips.map((chip) => (
        <Badge
          key={chip.key}
          variant="light"
          color="gray"
          size="lg"
          radius="xl"
          tt="none"
          fw={500}
          pr={4}
          rightSection={<CloseButton size="xs" radius="xl" aria-label={`${t('filters.remove')} ${chip.label}`} onClick={chip.remove} />}
        >
          {chip.label}
        </Badge>
      ))}
      {count > 0 && (
        <Button size="compact-sm" variant="subtle" leftSection={<IconFilterOff size={14} />} onClick={() => setQuery({ ...defaultQuery, sort: current().sort, direction: current().direction })}>
          {t('filters.clearAll')}
        </Button>
      )}
    </Group>
  );
}
