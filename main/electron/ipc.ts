import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { channelNames, type Result } from '../../contract';
import type { Dispatch } from '../dispatch';
import { toApiError } from '../errors';

/** The part of `ipcMain` this module uses, typed by electron.d.ts so test fakes are checked against it. */
export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

/** Decides whether a frame URL is the app's own page (app:// in production, the dev server in development). */
export type IsTrustedSender = (frameUrl: string) => boolean;

export interface IpcOptions {
  logError?: (message: string, error: unknown) => void;
}

const unauthorized: Result<never> = {
  ok: false,
  error: { code: 'UNAUTHORIZED', message: 'This request did not come from the Clients window.' },
};

function senderFrameUrl(event: IpcMainInvokeEvent): string | null {
  try {
    // senderFrame is null once the frame navigated or was destroyed, and a disposed frame throws on access.
    return event.senderFrame?.url ?? null;
  } catch {
    return null;
  }
}

/**
 * Binds every contract channel to `ipcMain.handle`. Each call must come from a frame showing the app's
 * own page: any other page that ends up in a renderer (a navigation slipped through, an injected frame)
 * is answered UNAUTHORIZED and never reaches a handler. Returns a function that removes the handlers.
 */
export function registerIpc(ipcMain: IpcMainLike, dispatch: Dispatch, isTrustedSender: IsTrustedSender, options: IpcOptions = {}): () => void {
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const registered: string[] = [];
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
      const url = senderFrameUrl(event);
      if (url === null || !isTrustedSender(url)) {
        logError(`Refused ${channel} from an untrusted sender`, url ?? 'no sender frame');
        return unauthorized;
      }
      try {
        return await dispatch(channel, input);
      } catch (error) {
        // The dispatcher already maps handler errors; this only catches a bug in the dispatcher itself,
        // so the renderer still gets a Result instead of a rejected promise.
        return { ok: false, error: toApiError(error, (detail) => logError(`IPC ${channel} failed`, detail)) };
      }
    });
    registered.push(channel);
  }
  return () => {
    for (const channel of registered.splice(0)) ipcMain.removeHandler(channel);
  };
}
