import type { ContextBridge, IpcRenderer } from 'electron';
import { createApi, type Result } from '../contract';

const noAnswer: Result<never> = {
  ok: false,
  error: { code: 'INTERNAL', message: 'The application did not answer; nothing was saved. Try again or restart Clients.' },
};

/**
 * Puts `window.api` in the page and nothing else: one object built from the contract's channel
 * list, whose methods can only invoke those channels. `ipcRenderer` itself never crosses the bridge, so
 * the page cannot reach arbitrary channels or listen to main-process messages.
 */
export function exposeApi(contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>, ipcRenderer: Pick<IpcRenderer, 'invoke'>): void {
  const api = createApi(async (channel, input) => {
    try {
      return (await ipcRenderer.invoke(channel, input)) as Result<unknown>;
    } catch {
      // invoke rejects only when main has no handler or is shutting down; the contract promises a Result, never a throw.
      return noAnswer;
    }
  });
  contextBridge.exposeInMainWorld('api', api);
}
