import type { Kysely } from 'kysely';
import { formatHlc, parseHlc, type Hlc } from '../../contract/sync';
import type { DB } from '../schema';

/** The highest counter an HLC stamp holds (6 digits); past it the clock moves on by a millisecond. */
const maxCounter = 999_999;

export interface Stamp {
  deviceSeq: number;
  hlc: Hlc;
}

/**
 * Takes the next `count` sequence numbers and clock stamps of this device, in the caller's transaction: a write
 * that rolls back gives them back, so the sequence stays dense (no number is skipped or used twice) and the
 * clock never goes backwards even when the wall clock does (the stamp is the later of the wall time and the
 * last stamp, with a counter for changes within one millisecond).
 */
export async function nextStamps(trx: Kysely<DB>, deviceId: string, wallMs: number, count = 1): Promise<Stamp[]> {
  if (count <= 0) return [];
  const clock = await trx.selectFrom('sync_clock').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  let ms = clock.hlc_ms;
  let counter = clock.hlc_counter;
  const stamps: Stamp[] = [];
  for (let i = 1; i <= count; i++) {
    if (wallMs > ms) {
      ms = wallMs;
      counter = 0;
    } else if (counter >= maxCounter) {
      ms += 1;
      counter = 0;
    } else {
      counter += 1;
    }
    stamps.push({ deviceSeq: clock.last_seq + i, hlc: formatHlc(ms, counter, deviceId) });
  }
  await trx.updateTable('sync_clock').set({ last_seq: clock.last_seq + count, hlc_ms: ms, hlc_counter: counter }).where('id', '=', 1).execute();
  return stamps;
}

/** Moves this device's clock past a stamp seen from elsewhere (a pulled change), so what it writes next orders after it. */
export async function observeStamp(trx: Kysely<DB>, hlc: Hlc): Promise<void> {
  const seen = parseHlc(hlc);
  const clock = await trx.selectFrom('sync_clock').select(['hlc_ms', 'hlc_counter']).where('id', '=', 1).executeTakeFirstOrThrow();
  if (seen.ms < clock.hlc_ms || (seen.ms === clock.hlc_ms && seen.counter <= clock.hlc_counter)) return;
  await trx.updateTable('sync_clock').set({ hlc_ms: seen.ms, hlc_counter: seen.counter }).where('id', '=', 1).execute();
}
