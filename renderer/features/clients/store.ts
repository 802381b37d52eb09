import { create } from 'zustand';
import type { ClientListInput, ClientRow } from '../../../contract/clients';
import { api, must } from '../../lib/api';

const pageSize = 100;

interface ClientListState {
  query: Omit<ClientListInput, 'cursor' | 'limit'>;
  rows: ClientRow[];
  nextCursor: string | null;
  status: 'idle' | 'loading' | 'ready' | 'failed';
  loadingMore: boolean;
  /** Bumped per request so a slow, older answer never overwrites a newer one. */
  requestId: number;
  setQuery(patch: Partial<ClientListInput>): void;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
}

export const useClientList = create<ClientListState>((set, get) => ({
  query: { search: '', sort: 'created_at', direction: 'desc' },
  rows: [],
  nextCursor: null,
  status: 'idle',
  loadingMore: false,
  requestId: 0,
  setQuery: (patch) => {
    set({ query: { ...get().query, ...patch } });
    void get().reload();
  },
  reload: async () => {
    const requestId = get().requestId + 1;
    set({ requestId, status: get().rows.length ? get().status : 'loading' });
    try {
      const page = await must(api().clients.list({ ...get().query, limit: pageSize, cursor: null }));
      if (get().requestId !== requestId) return;
      set({ rows: page.rows, nextCursor: page.nextCursor, status: 'ready', loadingMore: false });
    } catch (error) {
      if (get().requestId !== requestId) return;
      console.error(error);
      set({ status: 'failed' });
    }
  },
  loadMore: async () => {
    const { nextCursor, loadingMore, requestId } = get();
    if (!nextCursor || loadingMore) return;
    set({ loadingMore: true });
    try {
      const page = await must(api().clients.list({ ...get().query, limit: pageSize, cursor: nextCursor }));
      if (get().requestId !== requestId) return;
      set({ rows: [...get().rows, ...page.rows], nextCursor: page.nextCursor, loadingMore: false });
    } catch (error) {
      console.error(error);
      if (get().requestId === requestId) set({ loadingMore: false });
    }
  },
}));
