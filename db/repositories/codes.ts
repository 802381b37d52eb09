import type { Kysely } from 'kysely';
import { codeTagSchema } from '../../contract/sync';
import type { DB } from '../schema';
import { readSetting } from './settings';

/** What a code names: a client (CL-…), a job posting (JB-…) or a candidate (CD-…). */
export type CodeKind = 'CL' | 'JB' | 'CD';

/**
 * The prefix of the codes this laptop hands out, `CL-7KQ2`: the kind and the device's code tag, read in the
 * caller's transaction (the sync job may change the tag when the team's server finds it taken, db/sync/retag.ts).
 */
async function prefixOf(trx: Kysely<DB>, kind: CodeKind): Promise<string> {
  return `${kind}-${codeTagSchema.parse(await readSetting(trx, 'deviceTag'))}`;
}

/**
 * Next human-readable code, e.g. `CL-7KQ2-0042`. The prefix carries the device tag, unique in the team (the
 * sync server hands them out), so devices that sync without coordination never hand out the same code; the
 * counter row is updated in the caller's transaction, so two saves on one device cannot read the same value.
 */
export async function nextCode(trx: Kysely<DB>, kind: CodeKind): Promise<string> {
  const prefix = await prefixOf(trx, kind);
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

/** Reserves `count` consecutive codes in one statement (bulk imports); same guarantees as nextCode. */
export async function reserveCodes(trx: Kysely<DB>, kind: CodeKind, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const prefix = await prefixOf(trx, kind);
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
