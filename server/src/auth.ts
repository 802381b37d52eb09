import { sql, type Kysely } from 'kysely';
import { randomCodeTag } from '../../contract/sync';
import { SyncHttpError } from './errors';
import type { ServerDB } from './schema';
import { hashToken } from './tokens';

export interface AuthedDevice {
  /** The token's row. */
  tokenId: string;
  teamId: string;
  teamName: string;
  userEmail: string;
  /** The app's device id this token is bound to, or null before its first hello or push. */
  deviceId: string | null;
  epoch: string;
}

/** Finds the live device behind a bearer token, with the server's epoch, in one query. */
export async function authenticate(db: Kysely<ServerDB>, authorization: string | undefined): Promise<AuthedDevice> {
  const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(authorization ?? '');
  if (!match) throw new SyncHttpError('unauthorized', 'An Authorization: Bearer <device token> header is required.');
  const row = await db
    .selectFrom('devices as d')
    .innerJoin('teams as t', 't.id', 'd.team_id')
    .select(['d.id', 'd.team_id', 't.name', 'd.user_email', 'd.device_id', 'd.revoked_at'])
    .select(sql<string>`(SELECT epoch FROM server_state WHERE id = 1)`.as('epoch'))
    .where('d.token_hash', '=', hashToken(match[1]!))
    .executeTakeFirst();
  if (!row) throw new SyncHttpError('unauthorized', 'Unknown device token.');
  if (row.revoked_at) throw new SyncHttpError('unauthorized', 'This device token was revoked.');
  return { tokenId: row.id, teamId: row.team_id, teamName: row.name, userEmail: row.user_email, deviceId: row.device_id, epoch: row.epoch };
}

/**
 * The token's device id must be the request's. `device add` issues a token without one: the app already has its
 * own id (inside every change and clock), so the first hello or push binds it, and any other id is refused from
 * then on. An id that another live token of the team holds is refused too: two laptops must never push into one
 * sequence.
 */
export async function bindDevice(db: Kysely<ServerDB>, device: AuthedDevice, deviceId: string): Promise<AuthedDevice> {
  if (device.deviceId === deviceId) return device;
  if (device.deviceId !== null) throw new SyncHttpError('forbidden', 'This token belongs to another device.');
  // The id ends every clock the device stamps (contract/sync.ts, hlcSchema): one that cannot would make all its changes invalid.
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(deviceId)) throw new SyncHttpError('bad_request', 'A device id has 1 to 64 letters, digits, "-" or "_".');
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('devices')
        .set({ device_id: deviceId, bound_at: new Date() })
        .where('id', '=', device.tokenId)
        .where('device_id', 'is', null)
        .execute();
      await trx.insertInto('device_sequences').values({ team_id: device.teamId, device_id: deviceId }).onConflict((oc) => oc.doNothing()).execute();
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new SyncHttpError('forbidden', 'Another active token of this team is bound to this device id.');
    throw error;
  }
  // Two first requests with different ids may race: whichever bound first holds the token.
  const bound = await db.selectFrom('devices').select('device_id').where('id', '=', device.tokenId).executeTakeFirstOrThrow();
  if (bound.device_id !== deviceId) throw new SyncHttpError('forbidden', 'This token belongs to another device.');
  return { ...device, deviceId };
}

/**
 * The code tag a bound device holds in its team. The first hello that proposes one claims it; when another device
 * of the team holds it already, a free one is drawn for this device (it must use it from then on). A device keeps
 * its tag for good, even when it proposes another later (a restored laptop keeps its codes apart).
 */
export async function claimCodeTag(db: Kysely<ServerDB>, device: AuthedDevice & { deviceId: string }, proposed: string | undefined, random = Math.random): Promise<string | null> {
  const held = () =>
    db.selectFrom('device_sequences').select('code_tag').where('team_id', '=', device.teamId).where('device_id', '=', device.deviceId).executeTakeFirstOrThrow();
  const current = (await held()).code_tag;
  if (current || !proposed) return current;
  // A million tags for a team of tens of laptops: a few draws always find a free one.
  for (let attempt = 0, tag = proposed; attempt < 50; attempt++, tag = randomCodeTag(random)) {
    try {
      await db
        .updateTable('device_sequences')
        .set({ code_tag: tag })
        .where('team_id', '=', device.teamId)
        .where('device_id', '=', device.deviceId)
        .where('code_tag', 'is', null)
        .execute();
      // Two first hellos of one device may race: the one that wrote first decides.
      return (await held()).code_tag;
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
    }
  }
  throw new SyncHttpError('internal', 'No free code tag for this device.');
}
