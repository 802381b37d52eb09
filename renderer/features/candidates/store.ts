import { create } from 'zustand';
import type { CandidateRow, CandidateSort } from '../../../contract/candidates';
import { builtInStages, type Stage } from '../../../contract/pipeline';
import { isMessageKey, type MessageKey, type Translate } from '../../i18n';
import { api, must } from '../../lib/api';

const pageSize = 100;

export interface CandidateQuery {
  search: string;
  sources: string[];
  tags: string[];
  ownerIds: string[];
  sort: CandidateSort;
  direction: 'asc' | 'desc';
}
export const defaultCandidateQuery: CandidateQuery = { search: '', sources: [], tags: [], ownerIds: [], sort: 'created_at', direction: 'desc' };

export const candidateFilterCount = (q: CandidateQuery) => (q.search.trim() ? 1 : 0) + q.sources.length + q.tags.length + q.ownerIds.length;

interface CandidateListState {
  query: CandidateQuery;
  rows: CandidateRow[];
  /** The query the rows were found with: highlights follow the rows, not the text still being typed. */
  rowsQuery: CandidateQuery;
  nextCursor: string | null;
  status: 'idle' | 'loading' | 'ready' | 'failed';
  loadingMore: boolean;
  /** Bumped per request so a slow, older answer never overwrites a newer one. */
  requestId: number;
  patchQuery(patch: Partial<CandidateQuery>): void;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
}

const input = (q: CandidateQuery, cursor: string | null = null) => ({
  search: q.search,
  sources: q.sources,
  tags: q.tags,
  ownerIds: q.ownerIds,
  sort: q.sort,
  direction: q.direction,
  limit: pageSize,
  cursor,
});

/** The candidates list: pages by key, the newest answer wins (as the clients list). */
export const useCandidateList = create<CandidateListState>((set, get) => ({
  query: defaultCandidateQuery,
  rows: [],
  rowsQuery: defaultCandidateQuery,
  nextCursor: null,
  status: 'idle',
  loadingMore: false,
  requestId: 0,
  patchQuery(patch) {
    set({ query: { ...get().query, ...patch } });
    void get().reload();
  },
  async reload() {
    const requestId = get().requestId + 1;
    const query = get().query;
    set({ requestId, status: get().rows.length ? get().status : 'loading' });
    try {
      const page = await must(api().candidates.list(input(query)));
      if (get().requestId !== requestId) return;
      set({ rows: page.rows, nextCursor: page.nextCursor, rowsQuery: query, status: 'ready' });
    } catch {
      if (get().requestId === requestId) set({ status: 'failed' });
    }
  },
  async loadMore() {
    const { nextCursor, loadingMore, query, requestId } = get();
    if (!nextCursor || loadingMore) return;
    set({ loadingMore: true });
    try {
      const page = await must(api().candidates.list(input(query, nextCursor)));
      if (get().requestId === requestId) set({ rows: [...get().rows, ...page.rows], nextCursor: page.nextCursor });
    } finally {
      set({ loadingMore: false });
    }
  },
}));

interface StagesState {
  stages: Stage[];
  loaded: boolean;
  load(): Promise<void>;
}

/** The pipeline's stages (an editable list in Settings): loaded once, refreshed after an edit. */
export const useStages = create<StagesState>((set) => ({
  stages: [],
  loaded: false,
  async load() {
    const stages = await must(api().stages.list({ includeInactive: true }));
    set({ stages, loaded: true });
  },
}));

/** A stage in the user's language: a built-in one by its key unless the team renamed it. */
export function stageLabel(t: Translate, stage: Pick<Stage, 'key' | 'name'> | undefined): string {
  if (!stage) return '—';
  const key = `stage.${stage.key}`;
  return stage.key && isMessageKey(key) && builtInNames[stage.key] === stage.name ? t(key as MessageKey) : stage.name;
}

const builtInNames: Record<string, string> = Object.fromEntries(builtInStages.map((s) => [s.key, s.name]));

export const stageColors: Record<Stage['kind'], string> = { active: 'indigo', placed: 'teal', rejected: 'red', withdrawn: 'gray' };
