import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Socket } from 'node:net';
import { createDispatcher } from '../dispatch';
import { CONTENT_SECURITY_POLICY } from '../security';
import { startRuntime, type Runtime } from '../runtime';
import { refusalDispatcher, startupRefusalOf, type StartupRefusal } from '../startup';
import { firstPaintMarkup, loadFirstPaint, splitForFirstPaint } from '../firstPaint';

export interface WebShellOptions {
  databaseFile: string;
  /** 0 picks any free port. */
  port: number;
  /** The built renderer (vite.web.config.ts → out/web). */
  staticDir: string;
  dataDir?: string;
  token?: string;
  appVersion?: string;
  /** The day's copy of the database at start and once a day (the CLI turns it on). */
  automaticBackups?: boolean;
  /** The server build of renderer/firstPaint.tsx (main/web/build.ts): index.html then carries the list drawn. */
  firstPaintModule?: string;
}

export interface WebShell {
  url: string;
  port: number;
  token: string;
  /** Set when the data could not be opened: the page then shows why, and nothing else runs. */
  refusal: StartupRefusal | null;
  close(): Promise<void>;
}

// The same policy as the desktop window's app:// pages.
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
};

// Room for documents attached as base64 (25 MB by default, changeable in Settings).
const maxBodyBytes = 80 * 1024 * 1024;
// Cookies are kept per host, not per port: each shell names its own, or a second shell on another port
// (another data folder) would replace the first one's token and its page would answer 401 on reload.
const cookieNameFor = (port: number) => `clients_token_${port}`;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** A cookie's value; a malformed percent-encoding is no value at all (the request is then unauthorised, not an error). */
function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return null;
    }
  }
  return null;
}

/** `application/json`, with parameters (`; charset=utf-8`) allowed but no other type that merely starts the same. */
export function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * The channel a request path names. Channel names are plain ASCII (`clients.list`), so the raw path is
 * matched literally: nothing is decoded, and `/api/clients%2elist` names no channel at all.
 */
export function channelOf(rawPath: string): string | null {
  const name = rawPath.slice('/api/'.length);
  return /^[A-Za-z]+\.[A-Za-z]+$/.test(name) ? name : null;
}

/** The file under `root` that a request path names, or null when it would leave the folder. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const resolved = path.resolve(root, relative);
  const base = path.resolve(root);
  return resolved === base || !resolved.startsWith(base + path.sep) ? null : resolved;
}

/**
 * The browser shell: the built renderer and `window.api` over HTTP, on 127.0.0.1 only, through the same
 * dispatcher as Electron's IPC. A per-run secret token guards every request; Host and Origin checks stop
 * DNS rebinding and other sites' pages from reaching it.
 */
export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const token = options.token ?? crypto.randomBytes(32).toString('base64url');
  const dataDir = options.dataDir ?? path.dirname(path.resolve(options.databaseFile));
  const appVersion = options.appVersion ?? '0.0.0';
  let runtime: Runtime | null = null;
  let refusal: StartupRefusal | null = null;
  try {
    runtime = await startRuntime({ databaseFile: options.databaseFile, dataDir, shell: 'browser', appVersion, automaticBackups: options.automaticBackups ?? false });
  } catch (error) {
    // A newer or foreign database, or another instance on this folder: the page says so; anything else fails the start.
    refusal = startupRefusalOf(error);
    if (!refusal) throw error;
  }
  const dispatch = runtime ? createDispatcher(runtime.ctx) : refusalDispatcher(refusal!, { databaseFile: options.databaseFile, dataDir, shell: 'browser', appVersion });
  const renderFirstPaint = runtime && options.firstPaintModule ? await loadFirstPaint(options.firstPaintModule) : null;
  let port = options.port;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const headersOf = (type: string) => ({
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  const send = (res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...headersOf(type), ...extra });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      console.error('[web shell]', error);
      if (!res.headersSent) send(res, 500, 'Internal error');
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 403, 'Forbidden host');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return send(res, 403, 'Forbidden origin');

    // Only origin-form targets ("/path?query"): "//host/…" would make the URL parser read a host from the path.
    const target = req.url ?? '/';
    if (!target.startsWith('/') || target.startsWith('//')) return send(res, 400, 'Bad request');
    const url = new URL(target, `http://${req.headers.host}`);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const cookie = readCookie(req.headers.cookie, cookieNameFor(port));
    const queryToken = url.searchParams.get('token');
    const authorised = [bearer, cookie, queryToken].some((candidate) => candidate !== null && sameSecret(candidate, token));
    if (!authorised) return send(res, 401, 'Open the link printed by `npm run web` (it carries the access token).');

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'Use POST', 'text/plain; charset=utf-8', { Allow: 'POST' });
      if (!isJsonContentType(req.headers['content-type'])) return send(res, 415, 'Send JSON');
      const channel = channelOf(url.pathname);
      if (channel === null) return send(res, 404, JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: 'Unknown channel' } }), 'application/json; charset=utf-8');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > maxBodyBytes) return send(res, 413, 'Request too large');
        chunks.push(chunk as Buffer);
      }
      let input: unknown;
      try {
        input = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      } catch {
        return send(res, 400, 'Invalid JSON');
      }
      const result = await dispatch(channel, input);
      const status = !result.ok && result.error.code === 'NOT_FOUND' && result.error.message.startsWith('Unknown channel') ? 404 : 200;
      return send(res, status, JSON.stringify(result), 'application/json; charset=utf-8', { 'Cache-Control': 'no-store' });
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
    const file = resolveStatic(options.staticDir, url.pathname);
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) return send(res, 404, 'Not found');
    const extra: Record<string, string> = {};
    if (file.endsWith('.html')) extra['Cache-Control'] = 'no-store';
    // Built assets carry a content hash in their names: a reload takes them (and V8's compiled code) from cache.
    else if (url.pathname.startsWith('/assets/')) extra['Cache-Control'] = 'public, max-age=31536000, immutable';
    // The token in the first URL becomes a same-site, script-inaccessible cookie so the page's assets load.
    if (queryToken) extra['Set-Cookie'] = `${cookieNameFor(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
    const type = contentTypes[path.extname(file)] ?? 'application/octet-stream';
    if (renderFirstPaint && req.method === 'GET' && path.relative(options.staticDir, file) === 'index.html') {
      // The head goes out at once (the browser starts on the stylesheet and the bundle), the drawn list after it.
      const [before, after] = splitForFirstPaint(fs.readFileSync(file, 'utf8'));
      res.writeHead(200, { ...headersOf(type), ...extra });
      res.write(before);
      res.end(`${await firstPaintMarkup(dispatch, renderFirstPaint)}${after}`);
      return;
    }
    const body = req.method === 'HEAD' ? '' : fs.readFileSync(file);
    return send(res, 200, body, type, extra);
  }

  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await runtime?.close();
    throw error;
  }
  port = (server.address() as { port: number }).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    refusal,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        });
        await runtime?.close();
      })()),
  };
}
