import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApi } from '../../renderer/bridge/http';
import { resolveStatic, startWebShell, type WebShell } from '../../main/web/server';

let dir: string;
let shell: WebShell;
let base: string;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-web-'));
  const staticDir = path.join(dir, 'static');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Clients</title>');
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'assets', 'index-3f9a.js'), 'export {};');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
  shell = await startWebShell({ databaseFile: path.join(dir, 'clients.sqlite'), port: 0, staticDir });
  base = `http://127.0.0.1:${shell.port}`;
});
afterEach(async () => {
  await shell.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const post = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/${channel}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
const auth = () => ({ Authorization: `Bearer ${shell.token}` });

/** A raw request, because fetch does not let a caller choose the Host header. */
function rawRequest(options: { path: string; host: string; method?: string; headers?: Record<string, string> }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: shell.port, path: options.path, method: options.method ?? 'GET', headers: { Host: options.host, ...options.headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser shell', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(shell.url).toBe(`http://127.0.0.1:${shell.port}/?token=${shell.token}`);
    expect(shell.token.length).toBeGreaterThanOrEqual(40);
  });

  it('answers 401 without a token or with a wrong one, for the API and for files', async () => {
    expect((await post('app.info', {})).status).toBe(401);
    expect((await post('app.info', {}, { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await fetch(`${base}/index.html`)).status).toBe(401);
  });

  it('answers with the handler result for a valid token', async () => {
    const info = await (await post('app.info', {}, auth())).json();
    expect(info).toMatchObject({ ok: true, data: { name: 'Clients', shell: 'browser' } });
    const areas = await (await post('areas.list', {}, auth())).json();
    expect(areas.data.length).toBeGreaterThanOrEqual(11);
  });

  it('refuses a foreign Origin and a foreign Host with 403', async () => {
    expect((await post('app.info', {}, { ...auth(), Origin: 'http://evil.example' })).status).toBe(403);
    expect(await rawRequest({ path: `/?token=${shell.token}`, host: 'evil.example' })).toBe(403);
    expect(await rawRequest({ path: `/?token=${shell.token}`, host: `localhost:${shell.port}` })).toBe(200);
  });

  it('turns the token in the first URL into an HttpOnly cookie that authorises assets and the API', async () => {
    const first = await fetch(shell.url);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    expect((await fetch(`${base}/index.html`, { headers: { Cookie: pair } })).status).toBe(200);
    expect((await post('app.info', {}, { Cookie: pair })).status).toBe(200);
    expect(first.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('lets the browser keep hashed assets but never the page, so a new build is picked up at once', async () => {
    const headers = auth();
    const page = await fetch(`${base}/index.html`, { headers });
    expect(page.headers.get('cache-control')).toBe('no-store');
    const asset = await fetch(`${base}/assets/index-3f9a.js`, { headers });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await post('app.info', {}, headers)).headers.get('cache-control')).toBe('no-store');
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt']) {
      const status = await rawRequest({ path: p, host: `127.0.0.1:${shell.port}`, headers: auth() });
      expect([400, 404]).toContain(status);
    }
    expect(resolveStatic('/srv/app', '/../etc/passwd')).toBeNull();
    expect(resolveStatic('/srv/app', '/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveStatic('/srv/app', '/assets/a.js')).toBe(path.resolve('/srv/app/assets/a.js'));
  });

  it('answers bad input with VALIDATION and writes nothing', async () => {
    const result = await (await post('clients.create', { companyName: '', email: 'x', areaId: '' }, auth())).json();
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const list = await (await post('clients.list', {}, auth())).json();
    expect(list.data.rows).toEqual([]);
  });

  it('refuses other methods and content types, and unknown channels', async () => {
    expect((await fetch(`${base}/api/app.info`, { headers: auth() })).status).toBe(405);
    expect((await fetch(`${base}/api/app.info`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await post('nope.nothing', {}, auth())).status).toBe(404);
  });

  it('answers a malformed cookie or API path without a 500, before and after authentication', async () => {
    // A broken percent-encoding in the cookie is no token: 401, not a crash while decoding it.
    const name = `clients_token_${shell.port}`;
    expect(await rawRequest({ path: '/index.html', host: `127.0.0.1:${shell.port}`, headers: { Cookie: `${name}=%` } })).toBe(401);
    expect(await rawRequest({ path: '/api/app.info', method: 'POST', host: `127.0.0.1:${shell.port}`, headers: { Cookie: `${name}=%E0%A4%A`, 'Content-Type': 'application/json' } })).toBe(401);
    // The right token next to a broken cookie still works.
    expect(await rawRequest({ path: '/index.html', host: `127.0.0.1:${shell.port}`, headers: { ...auth(), Cookie: `other=%; ${name}=%` } })).toBe(200);
    for (const p of ['/api/%', '/api/%zz', '/api/clients.list%', '/%', '/%E0%A4%A']) {
      const status = await rawRequest({ path: p, method: 'POST', host: `127.0.0.1:${shell.port}`, headers: { ...auth(), 'Content-Type': 'application/json' } });
      expect([400, 404, 405]).toContain(status);
    }
    expect(await rawRequest({ path: '//evil.example/api/app.info', method: 'POST', host: `127.0.0.1:${shell.port}`, headers: { ...auth(), 'Content-Type': 'application/json' } })).toBe(400);
  });

  it('matches channel names literally on the raw path: an encoded dot names no channel', async () => {
    for (const p of ['clients%2elist', 'clients%2Elist', 'app%2einfo', 'clients.%6cist', '%63lients.list']) {
      const response = await fetch(`${base}/api/${p}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth() }, body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    expect((await post('clients.list', {}, auth())).status).toBe(200);
  });

  it('takes only application/json (parameters allowed) as JSON', async () => {
    const send = (type: string) => fetch(`${base}/api/app.info`, { method: 'POST', headers: { ...auth(), 'Content-Type': type }, body: '{}' });
    for (const type of ['application/jsonfoo', 'application/json-patch+json', 'application/jsonp; charset=utf-8', 'text/json', 'application/x-www-form-urlencoded']) {
      expect((await send(type)).status).toBe(415);
    }
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8', ' application/json ']) {
      expect((await send(type)).status).toBe(200);
    }
  });

  it('names its cookie after its port, so a shell on another port does not replace it (cookies ignore ports)', async () => {
    const cookie = (await fetch(shell.url)).headers.get('set-cookie')!;
    expect(cookie.split('=')[0]).toBe(`clients_token_${shell.port}`);
    // Another shell's cookie on the same host is no token here.
    expect(await rawRequest({ path: '/index.html', host: `127.0.0.1:${shell.port}`, headers: { Cookie: `clients_token_1=${shell.token}` } })).toBe(401);
    expect(await rawRequest({ path: '/index.html', host: `127.0.0.1:${shell.port}`, headers: { Cookie: `clients_token_1=x; ${cookie.split(';')[0]}` } })).toBe(200);
  });

  it('closes the database on close', async () => {
    await shell.close();
    await expect(fetch(`${base}/index.html`)).rejects.toThrow();
    // The file is free again: a new shell opens it and sees the same data.
    shell = await startWebShell({ databaseFile: path.join(dir, 'clients.sqlite'), port: 0, staticDir: path.join(dir, 'static') });
    base = `http://127.0.0.1:${shell.port}`;
    expect((await post('app.info', {}, auth())).status).toBe(200);
  });
});

describe('HTTP bridge', () => {
  it('takes the token from the URL once, hides it, and calls channels through createApi', async () => {
    const stored = new Map<string, string>();
    let shown = '';
    const api = createHttpApi({
      fetch: (input, init) => fetch(new URL(String(input), base), init),
      location: { search: `?token=${shell.token}`, href: `${base}/?token=${shell.token}#/clients` },
      history: { state: null, replaceState: (_s, _t, url) => void (shown = String(url)) },
      sessionStorage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => void stored.set(k, v) },
    });
    expect(shown).toBe('/#/clients');
    const info = await api.app.info({});
    expect(info.ok && info.data.shell).toBe('browser');
    const bad = await api.clients.create({ companyName: '', email: '', areaId: '' });
    expect(bad.ok ? null : bad.error.code).toBe('VALIDATION');
  });

  it('reports a refused token as UNAUTHORIZED instead of throwing', async () => {
    const api = createHttpApi({
      fetch: (input, init) => fetch(new URL(String(input), base), init),
      location: { search: '?token=wrong', href: `${base}/?token=wrong` },
      history: { state: null, replaceState: () => {} },
      sessionStorage: { getItem: () => null, setItem: () => {} },
    });
    const answer = await api.app.info({});
    expect(answer.ok ? null : answer.error.code).toBe('UNAUTHORIZED');
  });
});
