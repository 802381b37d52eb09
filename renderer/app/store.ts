import { useCallback } from 'react';
import { create } from 'zustand';
import type { Output } from '../../contract';
import type { Area } from '../../contract/areas';
import type { Settings } from '../../contract/settings';
import type { User } from '../../contract/users';
import { useI18n } from '../i18n';
import { benchFloor } from './benchFloor';
import { defaultQuery, useClientList } from '../features/clients/store';
import { useSavedViews } from '../features/views/store';
import { api, must } from '../lib/api';

type AppInfo = Output<'app.info'>;

interface AppState {
  /** `refused`: the app did not open its data (info.startup says why) and shows only that. */
  status: 'loading' | 'ready' | 'failed' | 'refused';
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
    const infoLoaded = must(api().app.info({}));
    infoLoaded.catch(() => undefined);
    try {
      let firstRows: Promise<void> | null = null;
      const settingsLoaded = must(api().settings.get({})).then((settings) => {
        // The list opens with the search and filters the user left it with; when it is the page being opened,
        // its first rows are asked for now, beside the rest of the reference data, and the shell appears with
        // them: one render of the whole page instead of a page of spinners followed by a second one.
        useClientList.setState({ query: settings.clientsListQuery ?? defaultQuery });
        if (opensOnClientList()) firstRows = useClientList.getState().prefetch();
        return settings;
      });
      const [info, settings, areas, users] = await Promise.all([
        infoLoaded,
        settingsLoaded,
        must(api().areas.list({})),
        must(api().users.list({ includeInactive: true })),
      ]);
      await firstRows;
      useI18n.getState().setLanguage(settings.language);
      void useSavedViews.getState().load();
      set({ status: 'ready', info, settings, areas, users });
    } catch (error) {
      const info = await infoLoaded.catch(() => null);
      if (info?.startup) {
        // No settings to read the language from: the browser's (the system's, in the desktop app) decides.
        useI18n.getState().setLanguage(navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en');
        set({ status: 'refused', info });
        return;
      }
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

/** Whether the window is opening on the clients list (the start page), judged from the hash route. */
function opensOnClientList(): boolean {
  if (benchFloor) return false;
  const route = window.location.hash.replace(/^#/, '').split('?')[0] ?? '';
  return route === '' || route === '/' || route === '/clients';
}

/** Area name in the UI language: built-in areas are translated, areas the team added keep their name. */
export function useAreaLabel() {
  const t = useI18n((s) => s.t);
  // The same function while the language stays: memoised list rows depend on it.
  return useCallback(
    (area: { key: string | null; name: string } | undefined | null) => (area ? (area.key ? t(`area.${area.key}` as Parameters<typeof t>[0]) : area.name) : '—'),
    [t],
  );
}
