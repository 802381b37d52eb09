/**
 * Pure security rules for the Electron shell: which URLs belong to the app, which may be handed to
 * the OS browser, and the Content-Security-Policy. No Electron import, so every rule is unit-tested.
 */

/** The privileged scheme the packaged renderer is served from (see protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'clients';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Mantine writes inline style attributes and <style> tags at run time, hence 'unsafe-inline' for styles
 * only; scripts stay 'self'. Sent as a response header so frame-ancestors is honoured (a <meta> CSP ignores it).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when `url` is on the same scheme, host and port as `appUrl` (the app:// entry in production, the
 * dev server in development). Compares protocol and host instead of `URL.origin` because WHATWG URL
 * reports the origin of a custom scheme such as app:// as the opaque "null", which would match any other.
 */
export function isTrustedUrl(url: string, appUrl: string): boolean {
  const candidate = parse(url);
  const app = parse(appUrl);
  if (!candidate || !app || !app.host) return false;
  if (candidate.username !== '' || candidate.password !== '') return false;
  return candidate.protocol === app.protocol && candidate.host.toLowerCase() === app.host.toLowerCase();
}

/**
 * The normalised form of a link that may be handed to the OS, or null. http(s) with a host and without
 * credentials, plus mailto: and tel: with a plain address or number (a recruiter clicks a client's email
 * or phone). javascript:, file:, data:, custom protocol handlers and smb: shares could run code or leak
 * NTLM hashes when passed to the OS, and user:pass@ URLs are a phishing disguise.
 */
export function safeExternalUrl(url: string): string | null {
  if (typeof url !== 'string') return null;
  const parsed = parse(url);
  if (!parsed) return null;
  if (parsed.protocol === 'mailto:') return /^[^\s@/\\]+@[^\s@/\\]+\.[^\s@/\\]+$/.test(decodeURIComponent(parsed.pathname)) ? parsed.href : null;
  if (parsed.protocol === 'tel:') return /^\+?[\d\s().-]{3,30}$/.test(decodeURIComponent(parsed.pathname)) ? parsed.href : null;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (!parsed.hostname || parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}

export function isSafeExternalUrl(url: string): boolean {
  return safeExternalUrl(url) !== null;
}

export type NavigationAction = { kind: 'allow' } | { kind: 'deny' } | { kind: 'open-external'; url: string };

/** What to do when a page tries to navigate to `url`: stay inside the app, or hand safe links to the OS browser. */
export function navigationAction(url: string, isAppUrl: (url: string) => boolean): NavigationAction {
  if (isAppUrl(url)) return { kind: 'allow' };
  const external = safeExternalUrl(url);
  return external ? { kind: 'open-external', url: external } : { kind: 'deny' };
}

/**
 * The dev server URL electron-vite passes in ELECTRON_RENDERER_URL, or null. Ignored in packaged builds:
 * the URL becomes a trusted IPC origin, so an inherited environment variable must never point a shipped
 * app at an arbitrary site.
 */
export function devServerUrl(value: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !value) return null;
  const parsed = parse(value);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.host) return null;
  return parsed.href;
}

/**
 * The one permission the app uses: writing text to the clipboard (the Copy buttons in Settings), and only
 * from the app's own pages. Camera, location, notifications, devices and everything else stay refused.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string, isAppUrl: (url: string) => boolean): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}
