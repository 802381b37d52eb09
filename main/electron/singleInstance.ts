import type { BrowserWindow } from 'electron';

/** The part of Electron's `app` that single-instance start-up uses (tests pass a fake; index.ts passes `app`). */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
}

export type FocusableWindow = Pick<BrowserWindow, 'isDestroyed' | 'isMinimized' | 'restore' | 'show' | 'focus'>;

/**
 * One desktop app per user: the first instance holds Electron's single-instance lock and is brought forward
 * when the user starts Clients again; the second quits at once, before it opens anything. (Electron keys the
 * lock by the user-data folder, the data folder itself; the data-folder lock of the runtime also covers a
 * browser shell started on the same folder.)
 */
export function claimSingleInstance(app: SingleInstanceApp, bringForward: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => bringForward());
  return true;
}

/** Restores, shows and focuses the window; false when there is none to bring forward (the caller opens one). */
export function focusWindow(window: FocusableWindow | null): boolean {
  if (!window || window.isDestroyed()) return false;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  return true;
}
