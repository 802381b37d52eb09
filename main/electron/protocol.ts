import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme } from 'electron';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from '../security';

/**
 * How app:// behaves in Chromium. `standard` gives it real origins and relative URL resolution, `secure`
 * makes it a secure context like https, `supportFetchAPI` and `corsEnabled` let Vite's
 * `<script type="module" crossorigin>` load from it. No bypassCSP: the policy header applies.
 */
export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  // codeCache: V8 keeps the compiled renderer bundle between launches (by default only http(s) pages get it),
  // so every start after the first skips compiling ~1 MB of JavaScript.
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
};

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeTypeOf(file: string): string {
  return mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `rootDir` that an app:// request names, or null when the URL is not ours or would
 * escape the folder. The URL parser already folds literal `../` segments; the checks here catch what
 * survives it (percent-encoded separators, backslashes, drive letters, NUL bytes).
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST || url.username || url.password) return null;

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // Backslashes are separators on Windows and colons name drives or NTFS streams; no built file has either.
  if (/[\0\\:]/.test(pathname)) return null;

  const relative = pathname.replace(/^\/+/, '') || 'index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative);
  const fromRoot = path.relative(root, file);
  if (fromRoot === '' || fromRoot === '..' || fromRoot.startsWith(`..${path.sep}`) || path.isAbsolute(fromRoot)) return null;
  return file;
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' },
  });
}

/**
 * The `protocol.handle` callback: serves the built renderer read-only, every answer carrying the CSP.
 * `indexHtml` may rewrite the start page (the clients list's first paint, main/firstPaint.ts).
 */
export function createAppFileHandler(rootDir: string, logError: (message: string, error: unknown) => void = () => {}, indexHtml: (html: string) => Promise<string> = async (html) => html) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = resolveAppFile(rootDir, request.url);
    if (!file) return plain(404, 'Not found');
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return plain(404, 'Not found');
      logError(`Could not read ${file}`, error);
      return plain(500, 'Could not read the file');
    }
    if (path.relative(rootDir, file) === 'index.html' && request.method === 'GET') body = new TextEncoder().encode(await indexHtml(new TextDecoder().decode(body))) as Uint8Array<ArrayBuffer>;
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'content-type': mimeTypeOf(file),
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    });
  };
}
