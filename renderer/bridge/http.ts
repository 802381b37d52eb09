import { createApi, type Api, type ChannelName, type Result } from '../../contract';

const tokenKey = 'clients.token';

export interface BridgeEnvironment {
  fetch: typeof fetch;
  location: Pick<Location, 'search' | 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The browser shell's transport: the same `createApi` as the Electron preload, over POST /api/<channel>.
 * The per-run token arrives in the URL once; it is kept for this tab and removed from the address bar.
 */
export function createHttpApi(env: BridgeEnvironment): Api {
  const fromUrl = new URLSearchParams(env.location.search).get('token');
  if (fromUrl) {
    env.sessionStorage.setItem(tokenKey, fromUrl);
    const clean = new URL(env.location.href);
    clean.searchParams.delete('token');
    env.history.replaceState(env.history.state, '', clean.pathname + clean.search + clean.hash);
  }
  const token = fromUrl ?? env.sessionStorage.getItem(tokenKey) ?? '';

  return createApi(async (channel: ChannelName, input: unknown): Promise<Result<unknown>> => {
    try {
      const response = await env.fetch(`/api/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
      if (response.status === 401 || response.status === 403) {
        return { ok: false, error: { code: 'UNAUTHORIZED', message: 'The browser shell refused this page; open the link it printed.' } };
      }
      if (!response.ok) return { ok: false, error: { code: 'INTERNAL', message: `The browser shell answered ${response.status}.` } };
      return (await response.json()) as Result<unknown>;
    } catch {
      return { ok: false, error: { code: 'INTERNAL', reason: 'app_unreachable', message: 'The application is not reachable. Is the browser shell still running?' } };
    }
  });
}

export function installHttpBridge(): void {
  window.api = createHttpApi({ fetch: window.fetch.bind(window), location: window.location, history: window.history, sessionStorage: window.sessionStorage });
}
