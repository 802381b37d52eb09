import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Area } from '../../../contract/areas';
import { channelNames, type Result } from '../../../contract';
import type { Dispatch } from '../../../main/dispatch';
import { registerIpc } from '../../../main/electron/ipc';
import { APP_ENTRY_URL, isTrustedUrl } from '../../../main/security';
import { testRuntime } from '../../support/runtime';
import { eventFrom, eventFromDisposedFrame, FakeIpcMain } from './fakes';

const isAppSender = (url: string) => isTrustedUrl(url, APP_ENTRY_URL);
const appPage = 'app://clients/index.html#/clients';

let rt: Awaited<ReturnType<typeof testRuntime>>;
let ipcMain: FakeIpcMain;
let logged: unknown[];

async function clientCount(): Promise<number> {
  const row = await rt.db.selectFrom('clients').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeEach(async () => {
  rt = await testRuntime();
  ipcMain = new FakeIpcMain();
  logged = [];
});
afterEach(() => rt.dispose());

describe('registerIpc', () => {
  it('binds every contract channel exactly once, and the returned function removes them all', () => {
    const unregister = registerIpc(ipcMain, rt.dispatch, isAppSender);
    expect(channelNames.length).toBeGreaterThan(0);
    expect([...ipcMain.registrations].sort()).toEqual([...channelNames].sort());
    expect(new Set(ipcMain.registrations).size).toBe(ipcMain.registrations.length);

    unregister();
    expect(ipcMain.handlers.size).toBe(0);
    // Registering again after unregistering works: nothing was left behind.
    registerIpc(ipcMain, rt.dispatch, isAppSender);
    expect(ipcMain.handlers.size).toBe(channelNames.length);
  });

  it('passes a call from the app page to the real dispatcher and returns its data', async () => {
    registerIpc(ipcMain, rt.dispatch, isAppSender);
    const areas = (await ipcMain.invoke(eventFrom(appPage), 'areas.list', {})) as Result<Area[]>;
    expect(areas.ok).toBe(true);
    if (!areas.ok) return;
    expect(areas.data.length).toBeGreaterThan(0);

    const created = (await ipcMain.invoke(eventFrom(appPage), 'clients.create', {
      companyName: 'Acme Staffing',
      email: 'hello@acme.example',
      areaId: areas.data[0]!.id,
    })) as Result<{ id: string; companyName: string }>;
    expect(created).toMatchObject({ ok: true, data: { companyName: 'Acme Staffing' } });
    expect(await clientCount()).toBe(1);

    const info = await ipcMain.invoke(eventFrom(appPage), 'app.info', {});
    expect(info).toMatchObject({ ok: true, data: { name: 'Clients' } });
  });

  it('answers invalid input with VALIDATION and writes nothing', async () => {
    registerIpc(ipcMain, rt.dispatch, isAppSender);
    const areas = (await ipcMain.invoke(eventFrom(appPage), 'areas.list', {})) as Result<Area[]>;
    if (!areas.ok) throw new Error('areas.list failed');

    const result = (await ipcMain.invoke(eventFrom(appPage), 'clients.create', {
      companyName: '',
      email: 'hello@acme.example',
      areaId: areas.data[0]!.id,
    })) as Result<unknown>;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.fields?.map((f) => f.path)).toEqual(['companyName']);
    expect(await clientCount()).toBe(0);
    expect(await rt.db.selectFrom('change_log').selectAll().where('entity', '=', 'client').execute()).toHaveLength(0);
  });

  it.each([
    ['another site', 'https://evil.example/index.html'],
    ['a local file', 'file:///home/user/clients/index.html'],
    ['another app:// host', 'app://other/index.html'],
    ['a look-alike host', 'app://clients.evil.example/index.html'],
    ['credentials in the URL', 'app://attacker@clients/index.html'],
    ['a dev server in production', 'http://localhost:5173/'],
    ['about:blank', 'about:blank'],
    ['an empty URL', ''],
  ])('refuses a sender on %s with UNAUTHORIZED without calling the dispatcher', async (_name, url) => {
    const dispatch = vi.fn<Dispatch>(rt.dispatch);
    registerIpc(ipcMain, dispatch, isAppSender, { logError: (...args) => logged.push(args) });
    const result = await ipcMain.invoke(eventFrom(url), 'clients.create', { companyName: 'Sneaky', email: 'a@sneaky.example', areaId: 'x' });
    expect(result).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(dispatch).not.toHaveBeenCalled();
    expect(await clientCount()).toBe(0);
    expect(logged).toHaveLength(1);
  });

  it('refuses a call whose sender frame is gone or disposed', async () => {
    const dispatch = vi.fn<Dispatch>(rt.dispatch);
    registerIpc(ipcMain, dispatch, isAppSender, { logError: (...args) => logged.push(args) });
    for (const event of [eventFrom(null), eventFromDisposedFrame()]) {
      const result = (await ipcMain.invoke(event, 'areas.list', {})) as Result<unknown>;
      expect(result.ok ? null : result.error.code).toBe('UNAUTHORIZED');
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('in development trusts only the dev server origin', async () => {
    const devServer = 'http://localhost:5173/';
    const dispatch = vi.fn<Dispatch>(rt.dispatch);
    registerIpc(ipcMain, dispatch, (url) => isTrustedUrl(url, devServer), { logError: () => {} });

    const trusted = (await ipcMain.invoke(eventFrom('http://localhost:5173/#/clients'), 'areas.list', {})) as Result<unknown>;
    expect(trusted.ok).toBe(true);
    for (const url of ['http://localhost:5174/', 'https://localhost:5173/', 'http://127.0.0.1:5173/', APP_ENTRY_URL]) {
      const refused = (await ipcMain.invoke(eventFrom(url), 'areas.list', {})) as Result<unknown>;
      expect(refused.ok ? null : refused.error.code).toBe('UNAUTHORIZED');
    }
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('turns a throwing dispatcher into an INTERNAL answer instead of a rejected invoke', async () => {
    const broken: Dispatch = async () => {
      throw new Error('boom');
    };
    registerIpc(ipcMain, broken, isAppSender, { logError: (...args) => logged.push(args) });
    const result = (await ipcMain.invoke(eventFrom(appPage), 'areas.list', {})) as Result<unknown>;
    expect(result.ok ? null : result.error.code).toBe('INTERNAL');
    expect(logged).toHaveLength(1);
  });
});
