// The first paint of the start page, rendered by the process that serves the page (the browser shell today)
// from the same components and the same data the app then asks for, and placed into index.html before the
// bundle runs. The app hides it in the commit that shows its own list (AppLayout), so the list is on screen
// while the bundle is still loading, and what replaces it is the same pixels. Built by main/web/build.ts.
import { renderToString } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import type { StoreApi } from 'zustand';
import type { FirstPaintData } from '../contract';
import type { Language } from '../contract/settings';
import { AppFrame } from './app/App';
import { AppLayout } from './app/AppLayout';
import { useAppStore } from './app/store';
import { defaultQuery, useClientList } from './features/clients/store';
import { translator, useI18n } from './i18n';

/**
 * React's server renderer reads a zustand store through its initial state (the server snapshot), not its
 * current one: the data is written into that initial state object, which the stores here never replace.
 */
function prime<T extends object>(store: StoreApi<T>, state: Partial<T>) {
  Object.assign(store.getInitialState(), state);
  store.setState(state);
}

/** The clients page as the app shows it once its first rows are in, as HTML. */
export function renderFirstPaint(data: FirstPaintData): string {
  const language: Language = data.settings.language;
  const query = data.settings.clientsListQuery ?? defaultQuery;
  prime(useI18n, { language, t: translator(language) });
  prime(useAppStore, { status: 'ready', info: data.info, settings: data.settings, areas: data.areas, users: data.users });
  prime(useClientList, { query, rows: data.list.rows, rowsQuery: query, nextCursor: data.list.nextCursor, status: 'ready' });
  return renderToString(
    <AppFrame>
      <MemoryRouter initialEntries={['/clients']}>
        <AppLayout />
      </MemoryRouter>
    </AppFrame>,
  );
}
