import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appScheme, createAppFileHandler, mimeTypeOf, resolveAppFile } from '../../../main/electron/protocol';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from '../../../main/security';

// <tmp>/renderer is what app:// serves; <tmp>/secret.txt sits next to it and must stay unreachable.
let base: string;
let root: string;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-protocol-'));
  root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Clients</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log("app")');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.css'), 'body{}');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'TOP SECRET');
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const inside = (file: string | null) => file !== null && file.startsWith(root + path.sep);

describe('resolveAppFile', () => {
  it('maps app:// URLs to files inside the renderer folder', () => {
    expect(resolveAppFile(root, 'app://clients/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://clients/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://clients')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://clients/assets/index-abc123.js?v=1#x')).toBe(path.join(root, 'assets', 'index-abc123.js'));
    expect(resolveAppFile(root, 'app://clients/assets/my%20file.png')).toBe(path.join(root, 'assets', 'my file.png'));
  });

  it.each([
    ['encoded slashes', 'app://clients/..%2f..%2fsecret.txt'],
    ['encoded slashes in capitals', 'app://clients/..%2F..%2Fsecret.txt'],
    ['encoded dots and slashes', 'app://clients/%2e%2e%2fsecret.txt'],
    ['encoded backslashes', 'app://clients/..%5csecret.txt'],
    ['a deep encoded climb', 'app://clients/assets/..%2f..%2f..%2f..%2fetc%2fpasswd'],
    ['a NUL byte', 'app://clients/index.html%00.png'],
    ['a drive letter', 'app://clients/C:/Windows/win.ini'],
    ['an encoded drive letter', 'app://clients/C%3A%5CWindows%5Cwin.ini'],
    ['malformed percent-encoding', 'app://clients/%E0%A4%A'],
    ['another host', 'app://evil/index.html'],
    ['another scheme', 'file:///index.html'],
    ['https with our host', 'https://clients/index.html'],
    ['credentials', 'app://user:pw@clients/index.html'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_name, url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });

  it.each([
    'app://clients/../secret.txt',
    'app://clients/../../../../etc/passwd',
    'app://clients/%2e%2e/secret.txt',
    'app://clients/.%2e/.%2e/secret.txt',
    'app://clients/assets/../../secret.txt',
    'app://clients/%252e%252e%252fsecret.txt',
  ])('never leaves the renderer folder for %s', (url) => {
    // The URL parser folds these dot segments before we see them; whatever remains must stay inside.
    const file = resolveAppFile(root, url);
    expect(file === null || inside(file)).toBe(true);
  });
});

describe('createAppFileHandler', () => {
  const handler = () => createAppFileHandler(root);

  it('serves the entry page and assets with their type and the CSP header', async () => {
    const page = await handler()(new Request('app://clients/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Clients</title>');

    const script = await handler()(new Request('app://clients/assets/index-abc123.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log("app")');
    const style = await handler()(new Request('app://clients/assets/index-abc123.css'));
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 to traversal and missing files, never with the secret', async () => {
    for (const url of ['app://clients/..%2fsecret.txt', 'app://clients/../secret.txt', 'app://clients/missing.js', 'app://clients/assets']) {
      const response = await handler()(new Request(url));
      expect(response.status).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await response.text()).not.toContain('TOP SECRET');
    }
  });

  it('is read-only', async () => {
    const response = await handler()(new Request('app://clients/index.html', { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
    const head = await handler()(new Request('app://clients/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('app scheme', () => {
  it('is a standard, secure scheme that does not bypass the CSP', () => {
    expect(appScheme.scheme).toBe(APP_SCHEME);
    expect(appScheme.privileges).toMatchObject({ standard: true, secure: true, codeCache: true });
    expect(appScheme.privileges?.bypassCSP).toBeUndefined();
  });

  it('knows the types Vite emits', () => {
    expect(mimeTypeOf('a.woff2')).toBe('font/woff2');
    expect(mimeTypeOf('a.SVG')).toBe('image/svg+xml');
    expect(mimeTypeOf('a.unknown')).toBe('application/octet-stream');
  });
});
