import type { Kysely } from 'kysely';
import type { DB } from '../schema';

/**
 * Next human-readable code for a prefix, e.g. `CL-7KQ2-0042`. The prefix carries the device tag, so
 * devices that sync without coordination never hand out the same code; the counter row is updated in
 * the caller's transaction, so two saves on one device cannot read the same value.
 */
export async function nextCode(trx: Kysely<DB>, prefix: string): Promise<string> {
  const row = await trx
    .insertInto('code_counters')
    .values({ prefix, next_value: 2 })
    .onConflict((oc) => oc.column('prefix').doUpdateSet((eb) => ({ next_value: eb('code_counters.next_value', '+', 1) })))
    .returning('next_value')
    .executeTakeFirstOrThrow();
  return formatCode(prefix, row.next_value - 1);
}

export function formatCode(prefix: string, value: number): string {
  return `${prefix}-${String(value).padStart(4, '0')}`;
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random 4-character device tag in Crockford base32 (no I, L, O, U: nothing to mishear on the phone). */
export function randomDeviceTag(random: () => number = Math.random): string {
  let tag = '';
  for (let i = 0; i < 4; i++) tag += crockford[Math.floor(random() * 32)];
  return tag;
}

/** Reserves `count` consecutive codes in one statement (bulk imports); same guarantees as nextCode. */
export async function reserveCodes(trx: Kysely<DB>, prefix: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const row = await trx
    .insertInto('code_counters')
    .values({ prefix, next_value: count + 1 })
    .onConflict((oc) => oc.column('prefix').doUpdateSet((eb) => ({ next_value: eb('code_counters.next_value', '+', count) })))
    .returning('next_value')
    .executeTakeFirstOrThrow();
  const first = row.next_value - count;
  return Array.from({ length: count }, (_, i) => formatCode(prefix, first + i));
}

/**
 * After codes were written from elsewhere (a restored backup), makes sure the counter of their prefix
 * hands out only higher numbers, so a later code never collides with a restored one.
 */
export async function bumpCodeCounter(trx: Kysely<DB>, code: string): Promise<void> {
  const match = /^(.*)-(\d+)$/.exec(code);
  if (!match) return;
  const next = Number(match[2]) + 1;
  await trx
    .insertInto('code_counters')
    .values({ prefix: match[1]!, next_value: next })
    .onConflict((oc) => oc.column('prefix').doUpdateSet((eb) => ({ next_value: eb.fn('max', [eb.ref('code_counters.next_value'), eb.val(next)]) })))
    .execute();
}
