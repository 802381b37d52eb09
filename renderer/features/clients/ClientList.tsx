import { Badge, Group, Loader, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { ClientStatus } from '../../../contract/clients';
import { useAreaLabel } from '../../app/store';
import { useFormat, useT } from '../../i18n';
import { useClientList } from './store';
import classes from './ClientList.module.css';

const rowHeight = 52;
export const statusColors: Record<ClientStatus, string> = { active: 'teal', paused: 'yellow', inactive: 'gray' };

/** Virtualised: only the visible rows exist in the DOM; the next page loads as the end comes into view. */
export function ClientList({ onOpen }: { onOpen: (id: string) => void }) {
  const t = useT();
  const format = useFormat();
  const areaLabel = useAreaLabel();
  const { rows, nextCursor, loadMore, loadingMore } = useClientList();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState(0);

  const virtualizer = useVirtualizer({
    count: rows.length + (nextCursor ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (nextCursor && lastIndex >= rows.length - 20) void loadMore();
  }, [lastIndex, rows.length, nextCursor, loadMore]);

  return (
    <div role="table" aria-label={t('clients.title')} aria-rowcount={rows.length + 1} className={classes.table}>
      <div role="rowgroup">
        <div role="row" className={`${classes.row} ${classes.header}`}>
          <div role="columnheader">{t('clients.col.code')}</div>
          <div role="columnheader">{t('clients.col.company')}</div>
          <div role="columnheader">{t('clients.col.area')}</div>
          <div role="columnheader">{t('clients.col.status')}</div>
          <div role="columnheader">{t('clients.col.owner')}</div>
          <div role="columnheader">{t('clients.col.email')}</div>
          <div role="columnheader">{t('clients.col.created')}</div>
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
                  <>
                    <div role="cell">
                      <Text size="sm" ff="monospace" c="dimmed">
                        {row.code}
                      </Text>
                    </div>
                    <div role="cell">
                      <Text size="sm" fw={600} truncate>
                        {row.companyName}
                      </Text>
                    </div>
                    <div role="cell">
                      <Text size="sm" truncate>
                        {areaLabel({ key: row.areaKey, name: row.areaName })}
                      </Text>
                    </div>
                    <div role="cell">
                      <Badge variant="light" color={statusColors[row.status]} size="sm">
                        {t(`status.${row.status}`)}
                      </Badge>
                    </div>
                    <div role="cell">
                      <Text size="sm" truncate>
                        {row.ownerName ?? t('common.none')}
                      </Text>
                    </div>
                    <div role="cell">
                      <Text size="sm" c="dimmed" truncate>
                        {row.email}
                      </Text>
                    </div>
                    <div role="cell">
                      <Text size="sm" c="dimmed">
                        {format.date(row.createdAt)}
                      </Text>
                    </div>
                  </>
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
}
