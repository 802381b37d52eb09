import { afterAll, beforeAll } from 'vitest';
import { writeSetting } from '../../../db/repositories/settings';
import { saveSyncConfig } from '../../../main/sync/config';
import { addDevice } from '../../../server/src/admin';
import { testRuntime } from '../../support/runtime';
import { testServer, type TestServer } from './server';

export type Laptop = Awaited<ReturnType<typeof testRuntime>>;

/**
 * A laptop of `team` (a runtime on its own database file), registered on the server at `url` for `email` and
 * syncing; `deviceTag` sets the code tag it would otherwise draw at random.
 */
export async function syncedLaptop(server: { db: Parameters<typeof addDevice>[0] }, url: string, team: string, email: string, options: { deviceTag?: string } = {}): Promise<Laptop> {
  const rt = await testRuntime();
  if (options.deviceTag) await writeSetting(rt.db, 'deviceTag', options.deviceTag);
  const { token } = await addDevice(server.db, team, email);
  await saveSyncConfig(rt.ctx.db, rt.ctx.secrets, { url, token, enabled: true });
  await rt.ctx.sync.refresh();
  return rt;
}

/**
 * A sync server listening on a free port for the test file (started before its tests, stopped after), and its
 * laptops: `team.server` once started, `team.laptop(...)` a syncing laptop of it.
 */
export function listeningTeamServer(defaults: { deviceTag?: string } = {}) {
  let server: TestServer | null = null;
  let url = '';
  beforeAll(async () => {
    server = await testServer({ now: () => Date.now() });
    url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server?.close());
  return {
    get server(): TestServer {
      if (!server) throw new Error('The sync server starts before the tests');
      return server;
    },
    laptop: (team: string, email: string) => syncedLaptop(server!, url, team, email, defaults),
  };
}
