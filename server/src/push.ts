import { sql, type Kysely, type Transaction } from 'kysely';
import { maxClockSkewMs, parseHlc, validateChange, type Change, type PushRequest, type PushResponse, type Rejection } from '../../contract/sync';
import type { AuthedDevice } from './auth';
import { SyncHttpError } from './errors';
import { applyToRecord, packClocks, unpackClocks, type RecordState } from './lww';
import type { ServerDB } from './schema';

export interface PushStats {
  /** Changes at or below the device's last applied sequence: a retry, skipped. */
  skipped: number;
  /** Changes with an id the server already has (history pushed again after an epoch change), skipped. */
  known: number;
  applied: number;
  rejected: number;
  version: string | null;
}

type Rejected = PushResponse['rejected'][number];

/**
 * Applies a device's push in one transaction and answers only after it committed.
 *
 * Order of locks, the same in every push, so pushes never deadlock: the token's row (a revoke waits for a push
 * in flight, and a push after a revoke sees it), the device's sequence row (two copies of one push run one after
 * the other: the second sees the first's sequence and skips everything), then the team's version row. The
 * version row is what makes pulls exact: the push takes `version + 1` with UPDATE … RETURNING and holds the row
 * lock until it commits, so the push that takes the next version waits for this one to commit first. Commit
 * order is therefore version order, and a reader that sees version v committed also sees every version below
 * it — unlike a sequence, whose values are handed out at once and may commit in any order. It also serialises
 * the team's record merges, so the read-merge-write of records below needs no further locking.
 */
export async function applyPush(
  db: Kysely<ServerDB>,
  device: AuthedDevice & { deviceId: string },
  request: PushRequest,
  now: number,
  /** Test seam: runs inside the transaction right after it took its version (a test holds a push open there). */
  hooks: { afterVersion?: (version: string) => Promise<void> } = {},
): Promise<{ response: PushResponse; stats: PushStats }> {
  const changes = request.changes;
  checkShape(request);
  // Refused whole and before anything is written: the device keeps the changes and can tell its user the clock is wrong.
  const skewed = changes.find((change) => parseHlc(change.hlc).ms > now + maxClockSkewMs);
  if (skewed) {
    throw new SyncHttpError('clock_skew', `Change ${skewed.deviceSeq} is stamped ${Math.round((parseHlc(skewed.hlc).ms - now) / 1000)} s ahead of the server's clock (at most ${maxClockSkewMs / 1000} s).`, {
      serverTime: now,
    });
  }
  const rejections = changes.map((change) => validateChange(change));

  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => applyInTransaction(trx, device, changes, rejections, now, hooks));
    } catch (error) {
      // Cannot happen with the lock order above; retried anyway rather than failing a device's sync.
      const code = (error as { code?: string }).code;
      if ((code === '40P01' || code === '40001') && attempt < 3) continue;
      throw error;
    }
  }
}

function checkShape(request: PushRequest) {
  const first = request.changes[0];
  request.changes.forEach((change, index) => {
    if (change.deviceId !== request.deviceId) throw new SyncHttpError('bad_request', `changes[${index}] belongs to device ${change.deviceId}, not ${request.deviceId}.`);
    if (change.deviceSeq !== first!.deviceSeq + index) throw new SyncHttpError('bad_request', `changes[${index}]: sequences in a push are consecutive and ascending.`);
  });
}

async function applyInTransaction(
  trx: Transaction<ServerDB>,
  device: AuthedDevice & { deviceId: string },
  changes: Change[],
  rejections: (Rejection | null)[],
  now: number,
  hooks: { afterVersion?: (version: string) => Promise<void> },
): Promise<{ response: PushResponse; stats: PushStats }> {
  const team = device.teamId;
  const live = await trx.updateTable('devices').set({ last_seen_at: new Date(now) }).where('id', '=', device.tokenId).where('revoked_at', 'is', null).returning('id').executeTakeFirst();
  if (!live) throw new SyncHttpError('unauthorized', 'This device token was revoked.');

  await trx.insertInto('device_sequences').values({ team_id: team, device_id: device.deviceId }).onConflict((oc) => oc.doNothing()).execute();
  const sequence = await trx
    .selectFrom('device_sequences')
    .select('last_applied')
    .where('team_id', '=', team)
    .where('device_id', '=', device.deviceId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const last = Number(sequence.last_applied);
  const fresh = changes.filter((change) => change.deviceSeq > last);
  const skipped = changes.length - fresh.length;
  const stats: PushStats = { skipped, known: 0, applied: 0, rejected: 0, version: null };
  // A retry whose first answer was lost still learns which of its changes were refused.
  const earlier = skipped ? await rejectedBetween(trx, team, device.deviceId, changes[0]!.deviceSeq, Math.min(last, changes.at(-1)!.deviceSeq)) : [];
  const respond = (lastApplied: number, rejected: Rejected[]) => ({ response: { lastApplied, rejected: [...earlier, ...rejected], serverEpoch: device.epoch, serverTime: now }, stats });
  if (!fresh.length) return respond(last, []);
  if (fresh[0]!.deviceSeq !== last + 1) {
    throw new SyncHttpError('gap', `The server has this device's changes up to ${last}; resend from ${last + 1}.`, { lastApplied: last });
  }

  const { version } = await trx.updateTable('teams').set({ version: sql`version + 1` }).where('id', '=', team).returning('version').executeTakeFirstOrThrow();
  stats.version = version;
  await hooks.afterVersion?.(version);

  const ids = fresh.map((change) => change.id);
  // One array parameter rather than a thousand: the statement stays the same whatever the batch size.
  const known = await sql<{ change_id: string }>`SELECT change_id FROM changes WHERE team_id = ${team} AND change_id = ANY(${ids}::text[])`.execute(trx);
  const knownIds = new Set(known.rows.map((row) => row.change_id));

  const offset = changes.length - fresh.length;
  const rows: ChangeRow[] = [];
  const rejected: Rejected[] = [];
  const valid: { change: Change; row: ChangeRow }[] = [];
  for (const [index, change] of fresh.entries()) {
    if (knownIds.has(change.id)) {
      stats.known++;
      continue;
    }
    knownIds.add(change.id);
    const rejection = rejections[offset + index];
    const row: ChangeRow = { device_seq: change.deviceSeq, change_id: change.id, hlc: change.hlc, entity: change.entity, entity_id: change.entityId, body: JSON.stringify(change), rejected: null, rejected_detail: null, lost: null };
    rows.push(row);
    if (rejection) {
      row.rejected = rejection.reason;
      row.rejected_detail = rejection.detail;
      rejected.push({ deviceSeq: change.deviceSeq, id: change.id, reason: rejection.reason, detail: rejection.detail });
    } else {
      valid.push({ change, row });
    }
  }
  stats.rejected = rejected.length;
  stats.applied = valid.length;

  const records = await loadRecords(trx, team, valid.map(({ change }) => change));
  for (const { change, row } of valid) {
    const key = recordKey(change.entity, change.entityId);
    const merged = applyToRecord(records.get(key), change);
    records.set(key, merged.state);
    row.lost = merged.lost;
  }

  await trx
    .insertInto('pushes')
    .values({ team_id: team, version, device_id: device.deviceId, first_seq: fresh[0]!.deviceSeq, last_seq: fresh.at(-1)!.deviceSeq, accepted: valid.length, rejected: rejected.length })
    .execute();
  if (rows.length) {
    await sql`INSERT INTO changes (team_id, device_id, device_seq, change_id, version, hlc, entity, entity_id, body, rejected, rejected_detail, lost)
      SELECT ${team}, ${device.deviceId}, x.device_seq, x.change_id, ${version}::bigint, x.hlc, x.entity, x.entity_id, x.body, x.rejected, x.rejected_detail, x.lost
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS x(device_seq bigint, change_id text, hlc text, entity text, entity_id text, body text, rejected text, rejected_detail text, lost jsonb)`.execute(trx);
  }
  const touched = [...new Set(valid.map(({ change }) => recordKey(change.entity, change.entityId)))].map((key) => {
    const [entity, entityId] = splitKey(key);
    const state = records.get(key)!;
    return { entity, entity_id: entityId, fields: state.fields, clocks: packClocks(state.clocks) };
  });
  if (touched.length) {
    await sql`INSERT INTO records (team_id, entity, entity_id, fields, clocks)
      SELECT ${team}, x.entity, x.entity_id, x.fields, x.clocks
      FROM jsonb_to_recordset(${JSON.stringify(touched)}::jsonb) AS x(entity text, entity_id text, fields jsonb, clocks jsonb)
      ON CONFLICT (team_id, entity, entity_id) DO UPDATE SET fields = excluded.fields, clocks = excluded.clocks`.execute(trx);
  }
  const lastApplied = fresh.at(-1)!.deviceSeq;
  await trx.updateTable('device_sequences').set({ last_applied: lastApplied }).where('team_id', '=', team).where('device_id', '=', device.deviceId).execute();
  return respond(lastApplied, rejected);
}

interface ChangeRow {
  device_seq: number;
  change_id: string;
  hlc: string;
  entity: string;
  entity_id: string;
  body: string;
  rejected: string | null;
  rejected_detail: string | null;
  lost: Record<string, string> | null;
}

const recordKey = (entity: string, entityId: string) => `${entity}\u0000${entityId}`;
const splitKey = (key: string) => key.split('\u0000') as [string, string];

async function loadRecords(trx: Transaction<ServerDB>, team: string, changes: Change[]): Promise<Map<string, RecordState>> {
  const records = new Map<string, RecordState>();
  if (!changes.length) return records;
  const keys = [...new Set(changes.map((change) => recordKey(change.entity, change.entityId)))].map((key) => {
    const [entity, entityId] = splitKey(key);
    return { entity, entity_id: entityId };
  });
  const { rows } = await sql<{ entity: string; entity_id: string; fields: Record<string, unknown>; clocks: Record<string, string> }>`
    SELECT r.entity, r.entity_id, r.fields, r.clocks
    FROM jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k(entity text, entity_id text)
    JOIN records r ON r.team_id = ${team} AND r.entity = k.entity AND r.entity_id = k.entity_id`.execute(trx);
  for (const row of rows) records.set(recordKey(row.entity, row.entity_id), { fields: row.fields, clocks: unpackClocks(row.fields, row.clocks) });
  return records;
}

async function rejectedBetween(trx: Transaction<ServerDB>, team: string, deviceId: string, from: number, to: number): Promise<Rejected[]> {
  const rows = await trx
    .selectFrom('changes')
    .select(['device_seq', 'change_id', 'rejected', 'rejected_detail'])
    .where('team_id', '=', team)
    .where('device_id', '=', deviceId)
    .where('device_seq', '>=', String(from))
    .where('device_seq', '<=', String(to))
    .where('rejected', 'is not', null)
    .orderBy('device_seq')
    .execute();
  return rows.map((row) => ({ deviceSeq: Number(row.device_seq), id: row.change_id, reason: row.rejected as Rejected['reason'], detail: row.rejected_detail ?? '' }));
}
