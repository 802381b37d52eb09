import { create } from 'zustand';
import type { SavedView, ViewQuery } from '../../../contract/views';
import { api, must } from '../../lib/api';

interface SavedViewsState {
  views: SavedView[];
  load(): Promise<void>;
  create(name: string, query: ViewQuery): Promise<SavedView>;
  rename(id: string, name: string): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Named searches + filters + sort of the clients list, listed in the navigation. */
export const useSavedViews = create<SavedViewsState>((set, get) => ({
  views: [],
  load: async () => {
    const answer = await api().views.list({});
    if (answer.ok) set({ views: answer.data });
  },
  create: async (name, query) => {
    const view = await must(api().views.create({ name, query }));
    await get().load();
    return view;
  },
  rename: async (id, name) => {
    await must(api().views.update({ id, name }));
    await get().load();
  },
  remove: async (id) => {
    await must(api().views.delete({ id }));
    await get().load();
  },
}));
