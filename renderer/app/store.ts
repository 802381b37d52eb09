import { useCallback } from 'react';
import { create } from 'zustand';
import type { Output } from '../../contract';
import type { Area } from '../../contract/areas';
import type { Settings } from '../../contract/settings';
import type { User } from '../../contract/users';
import { useI18n } from '../i18n';
import { defaultQuery, useClientList } from '../features/clients/store';
import { useSavedViews } from '../features/views/store';
import { api, must } from '../lib/api';

type AppInfo = Output<'app.info'>;

interface AppState {
  status: 'loading' | 'ready' | 'failed';
  info: AppInfo | null;
  settings: Settings | null;
  areas: Area[];
  users: User[];
  load(): Promise<void>;
  updateSettings(patch: Partial<Settings>): Promise<void>;
}

/** Reference data every screen needs: loaded once at start, refreshed when settings change. */
export const useAppStore = create<AppState>((set) => ({
  status: 'loading',
  info: null,
  settings: null,
  areas: [],
  users: [],
  load: async () => {
    set({ status: 'loading' });
    try {
      const [info, settings, areas, users] = await Promise.all([
        must(api().app.info({})),
        must(api().settings.get({})),
        must(api().areas.list({})),
        must(api().users.list({ includeInactive: true })),
      ]);
      useI18n.getState().setLanguage(settings.language);
      // The list opens with the search and filters the user left it with.
      useClientList.setState({ query: settings.clientsListQuery ?? defaultQuery });
      void useSavedViews.getState().load();
      set({ status: 'ready', info, settings, areas, users });
    } catch (error) {
      console.error(error);
      set({ status: 'failed' });
    }
  },
  updateSettings: async (patch) => {
    const settings = await must(api().settings.set(patch));
    useI18n.getState().setLanguage(settings.language);
    set({ settings });
  },
}));

/** Area name in the UI language: built-in areas are translated, areas the team added keep their name. */
export function useAreaLabel() {
  const t = useI18n((s) => s.t);
  // The same function while the language stays: memoised list rows depend on it.
  return useCallback(
    (area: { key: string | null; name: string } | undefined | null) => (area ? (area.key ? t(`area.${area.key}` as Parameters<typeof t>[0]) : area.name) : '—'),
    [t],
  );
}
