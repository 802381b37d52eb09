import { create } from 'zustand';
import type { ClientMetrics, ClientRow } from '../../../contract/clients';
import { viewQuerySchema, type ViewQuery } from '../../../contract/views';
import { api, must } from '../../lib/api';

const pageSize = 100;
export const defaultQuery: ViewQuery = viewQuerySchema.parse({});

/**
 * After a change of the search text, the summary waits until the text has stayed the same this long. Main
 * answers one request at a time on its single database connection: a summary asked for after every pause in
 * typing would sit in front of the next keystroke's list request. Other changes (filters, views, reloads)
 * ask for it right after the rows.
 */
const metricsAfterSearchMs = 300;
/** The search text of the last summary asked for, to tell whether the search changed since. */
let summarizedSearch: string | null = null;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ClientListState {
  query: ViewQuery;
  rows: ClientRow[];
  /**
   * The query the rows were found with: highlights follow the rows, not the text still being typed, and what the
   * page around them says (the subtitle, the chips) follows it too, so a new search re-renders nothing on screen
   * before its rows arrive, and they arrive in one frame.
   */
  rowsQuery: ViewQuery;
  nextCursor: string | null;
  status: 'idle' | 'loading' | 'ready' | 'failed';
  loadingMore: boolean;
  metrics: ClientMetrics | null;
  /** Bumped per request so a slow, older answer never overwrites a newer one. */
  requestId: number;
  /** Replaces the query (e.g. from a saved view or the saved state at start). */
  setQuery(query: ViewQuery): void;
  patchQuery(patch: Partial<ViewQuery>): void;
  /** Resolves once the rows (or a failure) are in; the summary follows on its own. */
  reload(): Promise<void>;
  /** Start-up: the first page asked for before the list page exists (see openPage). */
  prefetch(): Promise<void>;
  /** The list page opened: fresh rows, unless the start-up prefetch has just asked for them. */
  openPage(): void;
  loadMore(): Promise<void>;
}

let prefetched = false;
/**
 * The list request main is answering, if any. Main answers one request at a time: a search typed meanwhile
 * waits for it here rather than in main's queue (the same wait), and is never sent if a newer one came in the
 * meantime — fast typing leaves main at most one stale search to answer, not one per pause.
 */
let listInFlight: Promise<unknown> | null = null;

/**
 * The filter state survives a restart: it is kept in the database's settings, not in the browser. Written
 * at once (search is already debounced), so closing the window right after a change loses nothing.
 */
function persist(query: ViewQuery) {
  void api().settings.set({ clientsListQuery: query });
}

export function activeFilterCount(q: ViewQuery): number {
  return (q.search.trim() ? 1 : 0) + q.statuses.length + q.areaIds.length + q.ownerIds.length + (q.createdFrom ? 1 : 0) + (q.createdTo ? 1 : 0) + (q.includeArchived ? 1 : 0);
}

export const useClientList = create<ClientListState>((set, get) => ({
  query: defaultQuery,
  rows: [],
  rowsQuery: defaultQuery,
  nextCursor: null,
  status: 'idle',
  loadingMore: false,
  metrics: null,
  requestId: 0,
  setQuery: (query) => {
    set({ query });
    void get().reload();
    persist(query);
  },
  patchQuery: (patch) => get().setQuery({ ...get().query, ...patch }),
  reload: async () => {
    const requestId = get().requestId + 1;
    const query = get().query;
    set({ requestId, status: get().status === 'ready' ? 'ready' : 'loading' });
    if (listInFlight) {
      await listInFlight;
      if (get().requestId !== requestId) return;
    }
    // The rows first, the summary after: both share one database connection, and a slow summary for a
    // broad search must never hold back the list the user is typing into. Asked for before anything is
    // awaited when main is free: the query change re-renders the filters (after this turn), not in front of
    // the request.
    const page = api().clients.list({ ...query, limit: pageSize, cursor: null });
    listInFlight = page;
    const settled = () => {
      if (listInFlight === page) listInFlight = null;
    };
    page.then(settled, settled);
    const metrics = () => api().clients.metrics({
      search: query.search,
      statuses: query.statuses,
      areaIds: query.areaIds,
      ownerIds: query.ownerIds,
      createdFrom: query.createdFrom,
      createdTo: query.createdTo,
      includeArchived: query.includeArchived,
    });
    try {
      const rows = await must(page);
      if (get().requestId !== requestId) return;
      set({ rows: rows.rows, rowsQuery: query, nextCursor: rows.nextCursor, status: 'ready', loadingMore: false });
    } catch (error) {
      if (get().requestId !== requestId) return;
      console.error(error);
      set({ status: 'failed' });
    }
    void (async () => {
      if (get().requestId !== requestId) return;
      if (summarizedSearch !== null && summarizedSearch !== query.search) {
        await wait(metricsAfterSearchMs);
        // Typing went on: a newer request asks for its own summary.
        if (get().requestId !== requestId) return;
      }
      summarizedSearch = query.search;
      const answer = await metrics();
      if (get().requestId === requestId && answer.ok) set({ metrics: answer.data });
    })();
  },
  prefetch: () => {
    prefetched = true;
    return get().reload();
  },
  openPage: () => {
    if (prefetched) prefetched = false;
    else void get().reload();
  },
  loadMore: async () => {
    const { nextCursor, loadingMore, requestId, query } = get();
    if (!nextCursor || loadingMore) return;
    set({ loadingMore: true });
    try {
      const page = await must(api().clients.list({ ...query, limit: pageSize, cursor: nextCursor }));
      if (get().requestId !== requestId) return;
      set({ rows: [...get().rows, ...page.rows], nextCursor: page.nextCursor, loadingMore: false });
    } catch (error) {
      console.error(error);
      if (get().requestId === requestId) set({ loadingMore: false });
    }
  },
}));
