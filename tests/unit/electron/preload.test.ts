import { describe, expect, it } from 'vitest';
import { channelNames, type Api, type Result } from '../../../contract';
import { registerIpc } from '../../../main/electron/ipc';
import { APP_ENTRY_URL, isTrustedUrl } from '../../../main/security';
import { exposeApi } from '../../../preload/expose';
import { testRuntime } from '../../support/runtime';
import { eventFrom, FakeContextBridge, FakeIpcMain, FakeIpcRenderer } from './fakes';

type Method = (input?: unknown) => Promise<Result<unknown>>;

function methodsOf(api: unknown): Map<string, Method> {
  const methods = new Map<string, Method>();
  for (const [domain, group] of Object.entries(api as Record<string, Record<string, Method>>)) {
    for (const [name, fn] of Object.entries(group)) methods.set(`${domain}.${name}`, fn);
  }
  return methods;
}

describe('preload exposeApi', () => {
  it('exposes exactly one key, `api`, once', () => {
    const bridge = new FakeContextBridge();
    exposeApi(bridge, new FakeIpcRenderer(async () => ({ ok: true, data: null })));
    expect(Object.keys(bridge.world)).toEqual(['api']);
    expect(bridge.calls).toBe(1);
  });

  it('has one method per contract channel, each invoking that channel name with the input', async () => {
    const bridge = new FakeContextBridge();
    const ipcRenderer = new FakeIpcRenderer(async (channel) => ({ ok: true, data: channel }));
    exposeApi(bridge, ipcRenderer);
    const methods = methodsOf(bridge.world.api);
    expect([...methods.keys()].sort()).toEqual([...channelNames].sort());

    for (const [channel, method] of methods) {
      const input = { probe: channel };
      const before = ipcRenderer.calls.length;
      expect(await method(input)).toEqual({ ok: true, data: channel });
      expect(ipcRenderer.calls.slice(before)).toEqual([{ channel, args: [input] }]);
    }
  });

  it('sends {} when a method is called without input', async () => {
    const bridge = new FakeContextBridge();
    const ipcRenderer = new FakeIpcRenderer(async () => ({ ok: true, data: [] }));
    exposeApi(bridge, ipcRenderer);
    await methodsOf(bridge.world.api).get('areas.list')!();
    expect(ipcRenderer.calls).toEqual([{ channel: 'areas.list', args: [{}] }]);
  });

  it('answers INTERNAL instead of rejecting when main does not answer', async () => {
    const bridge = new FakeContextBridge();
    exposeApi(bridge, new FakeIpcRenderer(async (channel) => Promise.reject(new Error(`No handler registered for '${channel}'`))));
    const result = await (bridge.world.api as Api).app.info({});
    expect(result.ok ? null : result.error.code).toBe('INTERNAL');
  });

  it('reaches the real handlers end to end: preload → ipcMain → dispatcher → SQLite', async () => {
    const rt = await testRuntime();
    try {
      const ipcMain = new FakeIpcMain();
      registerIpc(ipcMain, rt.dispatch, (url) => isTrustedUrl(url, APP_ENTRY_URL));
      const bridge = new FakeContextBridge();
      // The renderer's calls arrive in main from the app page, as they do in the packaged app.
      exposeApi(bridge, new FakeIpcRenderer((channel, ...args) => ipcMain.invoke(eventFrom('app://clients/index.html'), channel, ...args)));
      const api = bridge.world.api as Api;

      const areas = await api.areas.list({});
      if (!areas.ok) throw new Error(JSON.stringify(areas.error));
      const created = await api.clients.create({ companyName: 'Bridge Test Ltd', email: 'ops@bridge.example', areaId: areas.data[0]!.id });
      expect(created.ok).toBe(true);
      const invalid = await api.clients.create({ companyName: '', email: 'x@bridge.example', areaId: areas.data[0]!.id });
      expect(invalid.ok ? null : invalid.error.code).toBe('VALIDATION');
      const rows = await rt.db.selectFrom('clients').select('company_name').execute();
      expect(rows).toEqual([{ company_name: 'Bridge Test Ltd' }]);
    } finally {
      await rt.dispose();
    }
  });
});
