import { writeSetting } from '../../../db/repositories/settings';
import { saveSyncConfig } from '../../../main/sync/config';
import { addDevice } from '../../../server/src/admin';
import { testRuntime } from '../../support/runtime';

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
