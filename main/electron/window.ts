import { BrowserWindow, nativeTheme } from 'electron';
import type { Logger } from '../log';

export interface WindowOptions {
  preloadPath: string;
  /** app://clients/index.html in production, the dev server in development. */
  startUrl: string;
  isPackaged: boolean;
  log: Logger;
}

/** The one application window: sandboxed, isolated, no Node in the page; `window.api` comes from the preload. */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const { log } = options;
  const window = new BrowserWindow({
    title: 'Clients',
    width: 1280,
    height: 820,
    // Below this the client list's columns and the detail tabs stop fitting side by side.
    minWidth: 960,
    minHeight: 600,
    show: false,
    // Mantine's body colours: no white flash before the first paint when the OS is in dark mode.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#242424' : '#ffffff',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: !options.isPackaged,
    },
  });

  window.once('ready-to-show', () => window.show());
  window.webContents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
    // -3 is ERR_ABORTED: a navigation the lock in hardening.ts cancelled, not a failure to load the app.
    if (!isMainFrame || errorCode === -3) return;
    log.error(`Could not load ${validatedURL}: ${errorDescription} (${errorCode})`);
    // ready-to-show never fires for a failed load; an invisible running app would be worse than a blank window.
    if (!window.isDestroyed() && !window.isVisible()) window.show();
  });
  window.webContents.on('preload-error', (_event, preloadPath, error) => log.error(`Preload ${preloadPath} failed`, error));
  window.webContents.on('unresponsive', () => log.warn('The window stopped responding'));

  window.loadURL(options.startUrl).catch((error: unknown) => log.error(`loadURL(${options.startUrl}) failed`, error));
  return window;
}
