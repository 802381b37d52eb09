import { Group, Loader, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState } from 'react';
import type { ClientRow, ClientSort, ClientStatus } from '../../../contract/clients';
import { useAreaLabel } from '../../app/store';
import { useFormat, useT } from '../../i18n';
import { Highlight } from '../../lib/Highlight';
import { useClientList } from './store';
import classes from '../../lib/VirtualList.module.css';
import own from './ClientList.module.css';

const rowHeight = 52;
export const statusColors: Record<ClientStatus, string> = { active: 'teal', paused: 'yellow', inactive: 'gray' };

/** Virtualised: only the visible rows exist in the DOM; the next page loads as the end comes into view. */
// Memoised: the page re-rendering around it (a first filter, new totals) leaves the rows alone.
export const ClientList = memo(function ClientList({ onOpen }: { onOpen: (id: string) => void }) {
  const t = useT();
  // One selector each: the list re-renders for its rows, not for every keystroke's query change.
  const rows = useClientList((s) => s.rows);
  const nextCursor = useClientList((s) => s.nextCursor);
  const loadMore = useClientList((s) => s.loadMore);
  const loadingMore = useClientList((s) => s.loadingMore);
  const search = useClientList((s) => s.rowsSearch);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState(0);

  const virtualizer = useVirtualizer({
    count: rows.length + (nextCursor ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // The rows a window this size could show, rendered in the first pass: without it the list mounts empty,
    // measures itself, and renders its rows in a second pass of the whole page.
    // On the server that renders the first paint (renderer/firstPaint.tsx) there is no window: a large one.
    initialRect: typeof window === 'undefined' ? { width: 1920, height: 1200 } : { width: window.innerWidth, height: window.innerHeight },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (nextCursor && lastIndex >= rows.length - 20) void loadMore();
  }, [lastIndex, rows.length, nextCursor, loadMore]);

  return (
    <div role="table" aria-label={t('clients.title')} aria-rowcount={rows.length + 1} className={`${classes.table} ${own.columns}`}>
      <div role="rowgroup">
        <div role="row" className={`${classes.row} ${classes.header}`}>
          <SortHeader sort="code" label={t('clients.col.code')} />
          <SortHeader sort="company_name" label={t('clients.col.company')} />
          <div role="columnheader">{t('clients.col.area')}</div>
          <div role="columnheader">{t('clients.col.status')}</div>
          <div role="columnheader">{t('clients.col.owner')}</div>
          <div role="columnheader">{t('clients.col.email')}</div>
          <SortHeader sort="last_activity_at" label={t('clients.col.lastActivity')} />
          <div role="columnheader" style={{ textAlign: 'right' }}>
            {t('clients.col.openJobs')}
          </div>
        </div>
      </div>
      <div
        ref={scrollRef}
        className={classes.scroll}
        role="rowgroup"
        tabIndex={0}
        aria-activedescendant={rows[selected] ? `client-row-${rows[selected].id}` : undefined}
        onKeyDown={(event) => {
          // Arrows move the selection and Enter opens it, as in any desktop list.
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            const next = Math.max(0, Math.min(rows.length - 1, selected + (event.key === 'ArrowDown' ? 1 : -1)));
            setSelected(next);
            virtualizer.scrollToIndex(next, { align: 'auto' });
          } else if (event.key === 'Enter' && rows[selected]) {
            onOpen(rows[selected].id);
          }
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <div
                key={item.key}
                role="row"
                id={row ? `client-row-${row.id}` : undefined}
                aria-rowindex={item.index + 2}
                aria-selected={item.index === selected}
                className={`${classes.row} ${row ? classes.clickable : ''}`}
                onClick={() => {
                  if (!row) return;
                  setSelected(item.index);
                  onOpen(row.id);
                }}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)` }}
              >
                {row ? (
                  <RowCells row={row} search={search} />
                ) : (
                  <Group justify="center" style={{ gridColumn: '1 / -1' }}>
                    {loadingMore && <Loader size="xs" />}
                  </Group>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});

/**
 * One row's cells. Memoised: typing in the search box, moving the selection or loading the next page
 * re-renders only the rows whose data or highlight changed, which keeps typing-to-results latency low.
 * Plain elements styled by the module's classes rather than Mantine's Text and Badge: a page of results is
 * ~250 cells, and the style-prop components cost about half of the time from the answer to the new rows.
 */
const RowCells = memo(function RowCells({ row, search }: { row: ClientRow; search: string }) {
  const t = useT();
  const format = useFormat();
  const areaLabel = useAreaLabel();
  return (
    <>
      <div role="cell" className={`${classes.cell} ${classes.code}`}>
        <Highlight text={row.code} search={search} />
      </div>
      <div role="cell">
        <div className={`${classes.cell} ${classes.company}`} title={row.companyName}>
          <Highlight text={row.companyName} search={search} />
        </div>
        {row.matchedContact && (
          <div className={`${classes.cell} ${classes.dimmed} ${classes.small}`}>
            {t('clients.matchedContact')}: <Highlight text={row.matchedContact.name} search={search} />
            {row.matchedContact.email && (
              <>
                {' · '}
                <Highlight text={row.matchedContact.email} search={search} />
              </>
            )}
          </div>
        )}
      </div>
      <div role="cell" className={classes.cell}>
        {areaLabel({ key: row.areaKey, name: row.areaName })}
      </div>
      <div role="cell">
        <span className={own.status} data-status={row.status}>
          {t(`status.${row.status}`)}
        </span>
      </div>
      <div role="cell" className={classes.cell} title={row.ownerName ?? undefined}>
        {row.ownerName ?? t('common.none')}
      </div>
      <div role="cell" className={`${classes.cell} ${classes.dimmed}`} title={row.email}>
        <Highlight text={row.email} search={search} />
      </div>
      <div role="cell" className={`${classes.cell} ${classes.dimmed}`}>
        {row.lastActivityAt ? format.date(row.lastActivityAt) : t('common.none')}
      </div>
      <div role="cell" className={`${classes.cell} ${classes.number} ${row.openJobs ? classes.strong : classes.dimmed}`}>
        {format.number(row.openJobs)}
      </div>
    </>
  );
});

/** A column header that sorts the list by its column; a second click flips the direction. */
function SortHeader({ sort, label }: { sort: ClientSort; label: string }) {
  const query = useClientList((s) => s.query);
  const patchQuery = useClientList((s) => s.patchQuery);
  const active = query.sort === sort;
  const Icon = !active ? IconSelector : query.direction === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <div role="columnheader" aria-sort={active ? (query.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton
        className={classes.sortButton}
        onClick={() => patchQuery(active ? { direction: query.direction === 'asc' ? 'desc' : 'asc' } : { sort, direction: sort === 'company_name' || sort === 'code' ? 'asc' : 'desc' })}
      >
        {label}
        <Icon size={14} />
      </UnstyledButton>
    </div>
  );
}
