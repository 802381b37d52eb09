import { UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ClientRow, ClientSort, ClientStatus } from '../../../contract/clients';
import { useAreaLabel } from '../../app/store';
import { useFormat, useT } from '../../i18n';
import { Highlight } from '../../lib/Highlight';
import { usePagedRows, VirtualRows } from '../../lib/VirtualRows';
import { useClientList } from './store';
import classes from '../../lib/VirtualList.module.css';
import own from './ClientList.module.css';

export const statusColors: Record<ClientStatus, string> = { active: 'teal', paused: 'yellow', inactive: 'gray' };

/** The clients as a virtualised list (renderer/lib/VirtualRows.tsx); the first paint draws it too. */
// Memoised: the page re-rendering around it (a first filter, new totals) leaves the rows alone.
export const ClientList = memo(function ClientList({ onOpen }: { onOpen: (id: string) => void }) {
  const t = useT();
  const { search, ...paged } = usePagedRows(useClientList);

  return (
    <VirtualRows
      label={t('clients.title')}
      className={own.columns}
      header={
        <>
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
        </>
      }
      {...paged}
      rowIdPrefix="client-row-"
      cells={(row) => <RowCells row={row} search={search} />}
      onOpen={onOpen}
    />
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
  // The sort alone: a new search does not re-render the headers.
  const { current, direction } = useClientList(useShallow((s) => ({ current: s.query.sort, direction: s.query.direction })));
  const patchQuery = useClientList((s) => s.patchQuery);
  const active = current === sort;
  const Icon = !active ? IconSelector : direction === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <div role="columnheader" aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton
        className={classes.sortButton}
        onClick={() => patchQuery(active ? { direction: direction === 'asc' ? 'desc' : 'asc' } : { sort, direction: sort === 'company_name' || sort === 'code' ? 'asc' : 'desc' })}
      >
        {label}
        <Icon size={14} />
      </UnstyledButton>
    </div>
  );
}
