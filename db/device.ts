import type { Kysely } from 'kysely';
import { randomCodeTag } from '../contract/sync';
import { readSetting, writeSetting } from './repositories/settings';
import type { DB } from './schema';

/**
 * This installation's identity, created at its first run: the id written into every change it makes (and its
 * clock stamps), and the short tag in the codes it hands out (CL-<tag>-0001), so devices that never talk to
 * each other never give out the same code.
 */
export async function ensureDeviceIdentity(db: Kysely<DB>, newId: () => string): Promise<{ deviceId: string; deviceTag: string }> {
  const deviceId = await readSetting(db, 'deviceId');
  const deviceTag = await readSetting(db, 'deviceTag');
  if (typeof deviceId === 'string' && typeof deviceTag === 'string') return { deviceId, deviceTag };
  const identity = { deviceId: newId(), deviceTag: randomCodeTag() };
  await db.transaction().execute(async (trx) => {
    await writeSetting(trx, 'deviceId', identity.deviceId);
    await writeSetting(trx, 'deviceTag', identity.deviceTag);
  });
  return identity;
}
