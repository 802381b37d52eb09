import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, ipcMain, Menu, protocol, safeStorage, session, shell, type BrowserWindow } from 'electron';
import { createDispatcher, type Dispatch } from '../dispatch';
import { denyPermissions, installHardening } from './hardening';
import { registerIpc } from './ipc';
import { createLogger } from '../log';
import { buildMenuTemplate } from './menu';
import { appScheme, createAppFileHandler } from './protocol';
import { startRuntime, type Runtime } from '../runtime';
import { APP_ENTRY_URL, APP_SCHEME, devServerUrl, isTrustedUrl } from '../security';
import { refusalDispatcher, startupRefusalOf } from '../startup';
import { claimSingleInstance, focusWindow } from './singleInstance';
import { createMainWindow } from './window';
import { firstPaintMarkup, loadFirstPaint, splitForFirstPaint } from '../firstPaint';

// The build puts out/main/index.js next to out/preload/ and out/renderer/, on disk and inside app.asar.
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const preloadPath = path.join(outDir, 'preload', 'index.cjs');
const rendererDir = path.join(outDir, 'renderer');
// The server build of renderer/firstPaint.tsx, an entry of the main build (electron.vite.config.ts).
const firstPaintModule = path.join(outDir, 'main', 'firstPaint.js');

const log = createLogger(() => path.join(app.getPath('logs'), 'main.log'));
process.on('uncaughtException', (error) => log.error('Uncaught exception', error));
process.on('unhandledRejection', (reason) => log.error('Unhandled promise rejection', reason));

const devUrl = devServerUrl(process.env.ELECTRON_RENDERER_URL, app.isPackaged);
const startUrl = devUrl ?? APP_ENTRY_URL;
const isAppUrl = (url: string) => isTrustedUrl(url, startUrl);

// Both only work before `ready`, and an ES-module entry only runs its synchronous part before `ready`.
protocol.registerSchemesAsPrivileged([appScheme]);
app.enableSandbox();

let runtime: Runtime | null = null;
let unregisterIpc: (() => void) | null = null;
let mainWindow: BrowserWindow | null = null;
let quitting = false;
// The window has something to show once IPC answers: the app, or why it did not open its data.
let serving = false;

function showMainWindow() {
  // Before start() has registered IPC there is nothing to show; it opens the window when it has.
  if (!serving || quitting) return;
  if (focusWindow(mainWindow)) return;
  const window = createMainWindow({ preloadPath, startUrl, isPackaged: app.isPackaged, log });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  mainWindow = window;
}

function openFolder(folder: string) {
  shell.openPath(folder).then(
    (problem) => {
      if (problem) log.error(`Could not open ${folder}: ${problem}`);
    },
    (error: unknown) => log.error(`Could not open ${folder}`, error),
  );
}

async function start() {
  denyPermissions(session.defaultSession, log, isAppUrl);
  // In development the dev server serves the renderer; app:// is only for the built files.
  // The start page carries the clients list drawn (main/firstPaint.ts) once the data is open.
  let indexHtml = async (html: string) => html;
  if (!devUrl) protocol.handle(APP_SCHEME, createAppFileHandler(rendererDir, (message, error) => log.error(message, error), (html) => indexHtml(html)));

  const dataDir = app.getPath('userData');
  fs.mkdirSync(dataDir, { recursive: true });
  const databaseFile = path.join(dataDir, 'clients.sqlite');
  let dispatch: Dispatch;
  try {
    runtime = await openRuntime(dataDir, databaseFile);
    log.info(`Clients ${app.getVersion()} started with ${databaseFile} (schema ${runtime.ctx.schemaVersion})`);
    dispatch = createDispatcher(runtime.ctx, { logError: (channel, error) => log.error(`Handler ${channel} failed`, error) });
    const ready = dispatch;
    const render = await loadFirstPaint(firstPaintModule).catch((error: unknown) => {
      log.error('The first paint could not be loaded: the window opens without it', error);
      return null;
    });
    if (render) {
      indexHtml = async (html) => {
        const [before, after] = splitForFirstPaint(html);
        return `${before}${await firstPaintMarkup(ready, render)}${after}`;
      };
    }
  } catch (error) {
    // A newer or foreign database, or a browser shell on this folder: the window explains it and nothing runs.
    const refusal = startupRefusalOf(error);
    if (!refusal) throw error;
    log.error(`Clients did not open its data: ${refusal.detail}`);
    dispatch = refusalDispatcher(refusal, { databaseFile, dataDir, shell: 'electron', appVersion: app.getVersion() });
  }
  unregisterIpc = registerIpc(ipcMain, dispatch, isAppUrl, { logError: (message, detail) => log.error(message, detail) });
  serving = true;

  const template = buildMenuTemplate({
    appName: app.name,
    isMac: process.platform === 'darwin',
    isPackaged: app.isPackaged,
    openDataFolder: () => openFolder(dataDir),
    openLogsFolder: () => openFolder(app.getPath('logs')),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  showMainWindow();
}

function openRuntime(dataDir: string, databaseFile: string): Promise<Runtime> {
  return startRuntime({
    databaseFile,
    dataDir,
    shell: 'electron',
    appVersion: app.getVersion(),
    // The sync token sealed by the system's keychain (Keychain, DPAPI, libsecret); where none is available the
    // database keeps it and Settings says so.
    ...(safeStorage.isEncryptionAvailable()
      ? {
          secrets: {
            storage: 'system' as const,
            seal: (secret: string) => safeStorage.encryptString(secret).toString('base64'),
            open: (sealed: string) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
          },
        }
      : {}),
    automaticBackups: true,
    // Documents open with the system's default application; executables are only revealed in their folder.
    desktop: {
      openPath: async (filePath) => {
        const problem = await shell.openPath(filePath);
        if (problem) throw new Error(problem);
      },
      showInFolder: (filePath) => shell.showItemInFolder(filePath),
      // Exports go where the user says and imports come from the file the user picks: the renderer never names a path.
      chooseSavePath: async ({ defaultName, filters }) => {
        const options = { defaultPath: path.join(app.getPath('documents'), defaultName), filters };
        const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
        return result.canceled || !result.filePath ? null : result.filePath;
      },
      chooseOpenPath: async ({ filters }) => {
        const options = { properties: ['openFile' as const], filters };
        const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
    },
  });
}

/** Closes the database, but never lets a stuck close keep the app from quitting. */
async function closeRuntime(current: Runtime) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), 5000);
  });
  try {
    const outcome = await Promise.race([current.close().then(() => 'closed' as const), timeout]);
    if (outcome === 'timeout') log.error('Closing the database took more than 5 s; quitting anyway');
    else log.info('Database closed');
  } catch (error) {
    log.error('Could not close the database cleanly', error);
  } finally {
    clearTimeout(timer);
  }
}

// Another Clients already running is told to come forward (second-instance) and this one quits: two
// processes writing the same database file would only fight over its locks.
if (claimSingleInstance(app, showMainWindow)) {
  if (process.platform === 'win32') app.setAppUserModelId('com.clientsapp.desktop');
  installHardening(isAppUrl, log);

  // macOS: clicking the Dock icon with no window open.
  app.on('activate', () => showMainWindow());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  // will-quit comes after every window has closed, so no renderer can still be calling in. The quit is
  // held until the database is closed (WAL checkpointed, handles released), then resumed.
  app.on('will-quit', (event) => {
    const current = runtime;
    if (!current) return;
    event.preventDefault();
    runtime = null;
    unregisterIpc?.();
    unregisterIpc = null;
    void closeRuntime(current).finally(() => app.quit());
  });
  // A logout on Linux or Ctrl+C under `electron-vite dev` ends with a signal: quit through the same path.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app
    .whenReady()
    .then(start)
    .catch(async (error: unknown) => {
      log.error('Start-up failed', error);
      const current = runtime;
      runtime = null;
      if (current) await closeRuntime(current);
      const detail = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox('Clients could not start', `${detail}\n\nThe log is in ${path.join(app.getPath('logs'), 'main.log')}.`);
      app.exit(1);
    });
}
