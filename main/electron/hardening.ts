import { app, shell, type Session, type WebContents } from 'electron';
import type { Logger } from '../log';
import { isPermissionAllowed, navigationAction, safeExternalUrl } from '../security';

function openExternal(url: string, log: Logger) {
  const safe = safeExternalUrl(url);
  if (!safe) {
    log.warn('Blocked opening a link outside the app', url);
    return;
  }
  shell.openExternal(safe).catch((error: unknown) => log.error(`Could not open ${safe}`, error));
}

/**
 * Navigation lock for every web contents Electron creates (the window, dev tools, anything a bug might
 * spawn): the page stays on the app's origin, safe http(s) links go to the user's browser, and no popup
 * or <webview> ever gets a renderer of its own.
 */
function lockWebContents(contents: WebContents, isAppUrl: (url: string) => boolean, log: Logger) {
  contents.on('will-navigate', (event) => {
    const action = navigationAction(event.url, isAppUrl);
    if (action.kind === 'allow') return;
    event.preventDefault();
    if (action.kind === 'open-external') openExternal(action.url, log);
    else log.warn('Blocked navigation', event.url);
  });
  // will-navigate only covers the main frame; subframes are locked here.
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame || isAppUrl(event.url)) return;
    event.preventDefault();
    log.warn('Blocked frame navigation', event.url);
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log.warn('Blocked redirect', event.url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url, log);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('Blocked a <webview>');
  });
  contents.on('render-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit') log.error('Renderer process gone', details);
  });
}

/** The app needs no camera, location, notifications, HID or other permission: all refused but the clipboard write of its own pages. */
export function denyPermissions(session: Session, log: Logger, isAppUrl: (url: string) => boolean) {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl, isAppUrl);
    if (!allowed) log.warn(`Denied permission "${permission}"`, details.requestingUrl);
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, isAppUrl));
  session.setDevicePermissionHandler(() => false);
}

/**
 * Call once before `ready`: covers every web contents and every session created later. The default
 * session is also passed to `denyPermissions` explicitly once ready, in case it predates the listener.
 */
export function installHardening(isAppUrl: (url: string) => boolean, log: Logger) {
  app.on('web-contents-created', (_event, contents) => lockWebContents(contents, isAppUrl, log));
  app.on('session-created', (session) => denyPermissions(session, log, isAppUrl));
}
