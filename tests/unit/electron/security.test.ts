import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, devServerUrl, isPermissionAllowed, isSafeExternalUrl, isTrustedUrl, navigationAction, safeExternalUrl } from '../../../main/security';

describe('isSafeExternalUrl', () => {
  it.each(['https://example.com', 'http://example.com/path?q=1#top', 'https://www.telefonica.es/empresas', 'https://münchen.example/', 'HTTPS://Example.COM'])(
    'accepts %s',
    (url) => expect(isSafeExternalUrl(url)).toBe(true),
  );

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['javascript: in capitals', 'JAVASCRIPT:alert(1)'],
    ['javascript: with leading spaces', '  javascript:alert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['file: on Windows', 'file:///C:/Windows/System32/calc.exe'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['credentials', 'https://user:secret@example.com/'],
    ['a user name only', 'https://paypal.com@evil.example/'],
    ['smb: (NTLM leak)', 'smb://attacker.example/share'],
    ['mailto: without an address', 'mailto:'],
    ['mailto: with something else than an address', 'mailto:javascript:alert(1)'],
    ['tel: with letters', 'tel:call-me-maybe'],
    ['a custom protocol', 'ms-msdt:/id PCWDiagnostic'],
    ['the app scheme', APP_ENTRY_URL],
    ['a scheme-relative URL', '//example.com/path'],
    ['no host', 'http://'],
    ['garbage', 'not a url at all'],
    ['an empty string', ''],
  ])('rejects %s', (_name, url) => expect(isSafeExternalUrl(url)).toBe(false));

  it('accepts a client email or phone number, which open the mail or phone app', () => {
    expect(isSafeExternalUrl('mailto:compras@telefonica.es')).toBe(true);
    expect(isSafeExternalUrl('tel:+34912345678')).toBe(true);
  });

  it('returns the normalised URL that is actually opened', () => {
    expect(safeExternalUrl('HTTPS://Example.COM')).toBe('https://example.com/');
    expect(safeExternalUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
  });
});

describe('isTrustedUrl', () => {
  it('accepts every page of the app, whatever the path or hash', () => {
    for (const url of [APP_ENTRY_URL, 'app://clients/', 'app://clients/index.html#/clients/123', 'app://CLIENTS/index.html']) {
      expect(isTrustedUrl(url, APP_ENTRY_URL)).toBe(true);
    }
  });

  it('rejects other hosts, schemes, ports and credentials even though app:// origins are all "null"', () => {
    for (const url of [
      'app://other/index.html',
      'app://clients.evil.example/',
      'app://clients:8080/',
      'app://user@clients/',
      'https://clients/index.html',
      'file:///clients/index.html',
      'null',
      '',
      'garbage',
    ]) {
      expect(isTrustedUrl(url, APP_ENTRY_URL)).toBe(false);
    }
  });

  it('matches the dev server on scheme, host and port', () => {
    const dev = 'http://localhost:5173/';
    expect(isTrustedUrl('http://localhost:5173/#/clients', dev)).toBe(true);
    expect(isTrustedUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isTrustedUrl('http://localhost.evil.example:5173/', dev)).toBe(false);
  });
});

describe('navigationAction', () => {
  const isApp = (url: string) => isTrustedUrl(url, APP_ENTRY_URL);

  it('stays in the app, sends safe links to the browser and drops the rest', () => {
    expect(navigationAction('app://clients/index.html#/settings', isApp)).toEqual({ kind: 'allow' });
    expect(navigationAction('https://example.com', isApp)).toEqual({ kind: 'open-external', url: 'https://example.com/' });
    expect(navigationAction('file:///etc/passwd', isApp)).toEqual({ kind: 'deny' });
    expect(navigationAction('javascript:alert(1)', isApp)).toEqual({ kind: 'deny' });
    expect(navigationAction('app://other/', isApp)).toEqual({ kind: 'deny' });
  });
});

describe('devServerUrl', () => {
  it('is used only by unpackaged builds, and only for http(s)', () => {
    expect(devServerUrl('http://localhost:5173', false)).toBe('http://localhost:5173/');
    expect(devServerUrl('http://localhost:5173', true)).toBeNull();
    expect(devServerUrl(undefined, false)).toBeNull();
    expect(devServerUrl('', false)).toBeNull();
    expect(devServerUrl('file:///tmp/index.html', false)).toBeNull();
    expect(devServerUrl('javascript:alert(1)', false)).toBeNull();
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );

  it('allows scripts from the app only, inline styles for Mantine, and nothing that could leave the app', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(directives.get('font-src')).toEqual(["'self'", 'data:']);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });
});

describe('isPermissionAllowed', () => {
  const isApp = (url: string) => isTrustedUrl(url, APP_ENTRY_URL);
  it('lets only the app itself write to the clipboard, and refuses everything else', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://clients/index.html', isApp)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', isApp)).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(isPermissionAllowed(permission, 'app://clients/index.html', isApp)).toBe(false);
    }
  });
});
