import { Group, Loader } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { StoreApi, UseBoundStore } from 'zustand';
import classes from './VirtualList.module.css';

const rowHeight = 52;

export type VirtualRowsProps<Row extends { id: string }> = {
  /** The table's accessible name. */
  label: string;
  /** The list's own class on the table: it names the columns (--list-columns). */
  className: string | undefined;
  /** The header row's column headers. */
  header: ReactNode;
  rows: Row[];
  /** Whether another page follows: a placeholder row stands at the end until it is in. */
  hasMore: boolean;
  loadMore: () => unknown;
  loadingMore: boolean;
  /** The prefix of each row's element id (the scroll area's aria-activedescendant names it). */
  rowIdPrefix: string;
  /** One row's cells. */
  cells: (row: Row) => ReactNode;
  onOpen: (id: string) => void;
};

/** Asks for the next page once the last item rendered is within `margin` of the end of what is loaded. */
export function useLoadMoreNearEnd(items: { index: number }[], count: number, more: boolean, loadMore: () => unknown, margin: number) {
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (more && lastIndex >= count - margin) void loadMore();
  }, [lastIndex, count, more, loadMore, margin]);
}

/** What a list page's store keeps of its rows (the clients list, the candidates list). */
type PagedRows<Row> = { rows: Row[]; nextCursor: string | null; loadMore: () => unknown; loadingMore: boolean; rowsQuery: { search: string } };

/**
 * The rows a list page's store holds, as VirtualRows takes them, and the search they answer (for highlighting).
 * One selector each: the list re-renders for its rows, not for every keystroke's query change.
 */
export function usePagedRows<Row extends { id: string }>(store: UseBoundStore<StoreApi<PagedRows<Row>>>) {
  const rows = store((s) => s.rows);
  const nextCursor = store((s) => s.nextCursor);
  const loadMore = store((s) => s.loadMore);
  const loadingMore = store((s) => s.loadingMore);
  const search = store((s) => s.rowsQuery.search);
  return { rows, hasMore: Boolean(nextCursor), loadMore, loadingMore, search };
}

/**
 * A list as a table of grid rows (the clients list, the candidates list). Virtualised: only the visible rows
 * exist in the DOM; the next page loads as the end comes into view. Arrows move the selection and Enter opens
 * it, as in any desktop list.
 */
export function VirtualRows<Row extends { id: string }>({ label, className, header, rows, hasMore, loadMore, loadingMore, rowIdPrefix, cells, onOpen }: VirtualRowsProps<Row>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState(0);

  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // The rows a window this size could show, rendered in the first pass: without it the list mounts empty,
    // measures itself, and renders its rows in a second pass of the whole page.
    // On the server that renders the first paint (renderer/firstPaint.tsx) there is no window: a large one.
    initialRect: typeof window === 'undefined' ? { width: 1920, height: 1200 } : { width: window.innerWidth, height: window.innerHeight },
  });
  const items = virtualizer.getVirtualItems();
  useLoadMoreNearEnd(items, rows.length, hasMore, loadMore, 20);

  return (
    <div role="table" aria-label={label} aria-rowcount={rows.length + 1} className={`${classes.table} ${className ?? ''}`}>
      <div role="rowgroup">
        <div role="row" className={`${classes.row} ${classes.header}`}>
          {header}
        </div>
      </div>
      <div
        ref={scrollRef}
        className={classes.scroll}
        role="rowgroup"
        tabIndex={0}
        aria-activedescendant={rows[selected] ? `${rowIdPrefix}${rows[selected].id}` : undefined}
        onKeyDown={(event) => {
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
                id={row ? `${rowIdPrefix}${row.id}` : undefined}
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
                  cells(row)
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
