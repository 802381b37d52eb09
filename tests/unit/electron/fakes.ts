import type { ContextBridge, IpcMainInvokeEvent, IpcRenderer, WebFrameMain } from 'electron';
import type { IpcMainLike } from '../../../main/electron/ipc';

type InvokeListener = Parameters<IpcMainLike['handle']>[1];

/** ipcMain as registerIpc sees it; `implements` makes tsc check it against electron.d.ts. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, InvokeListener>();
  /** Every handle() call in order, duplicates included. */
  readonly registrations: string[] = [];

  handle(channel: string, listener: InvokeListener): void {
    this.registrations.push(channel);
    // Electron throws on a second handler for a channel; so does the fake.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What Electron does when a renderer calls ipcRenderer.invoke(channel, ...args). */
  async invoke(event: IpcMainInvokeEvent, channel: string, ...args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener(event, ...args);
  }
}

/**
 * An invoke event from a frame showing `url` (null: the frame is gone). registerIpc reads nothing but
 * `senderFrame.url`, so the rest of the event is left out.
 */
export function eventFrom(url: string | null): IpcMainInvokeEvent {
  const senderFrame = url === null ? null : ({ url } satisfies Pick<WebFrameMain, 'url'>);
  return { senderFrame } as unknown as IpcMainInvokeEvent;
}

/** A frame that was disposed: Electron throws when its properties are read. */
export function eventFromDisposedFrame(): IpcMainInvokeEvent {
  const event = {};
  Object.defineProperty(event, 'senderFrame', {
    get() {
      throw new Error('Render frame was disposed before WebFrameMain could be accessed');
    },
  });
  return event as IpcMainInvokeEvent;
}

export class FakeContextBridge implements Pick<ContextBridge, 'exposeInMainWorld'> {
  /** What the page would see on `window`. */
  readonly world: Record<string, unknown> = {};
  calls = 0;

  exposeInMainWorld(apiKey: string, api: unknown): void {
    this.calls += 1;
    if (Object.hasOwn(this.world, apiKey)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${apiKey}`);
    this.world[apiKey] = api;
  }
}

export class FakeIpcRenderer implements Pick<IpcRenderer, 'invoke'> {
  readonly calls: { channel: string; args: unknown[] }[] = [];

  constructor(private readonly answer: (channel: string, ...args: unknown[]) => Promise<unknown>) {}

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.calls.push({ channel, args });
    return this.answer(channel, ...args);
  }
}
