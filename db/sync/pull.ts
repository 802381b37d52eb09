import { sql, type Kysely } from 'kysely';
import { validateChange, type Change } from '../../contract/sync';
import type { DB } from '../schema';
import { applyChange } from './apply';

// Applying a pulled page: every change with the one applyChange, the page and the new cursor in one
// transaction (so a crash never leaves a page half applied or applied without its cursor, and the next pull
// starts exactly after what is here).
//
// A change that cannot be applied yet (it names a record this device has not received: a contact whose client
// the server refused, a posting of a client still on its way) is parked, never dropped: it waits in
// sync_parked and is tried again after every page until it fits.

export interface PageOutcome {
  applied: number;
  /** Fields of pulled changes that kept a later value already here (the history shows both). */
  conflicts: number;
  parked: number;
  /** Pulled changes no device can store (a newer app's entity, values out of range): kept out, counted. */
  refused: number;
  /** Clients this page created (a colleague's new clients): the sync job asks the duplicate engine about each. */
  createdClients: string[];
}

async function tryApply(trx: Kysely<DB>, change: Change, receivedAt: string): Promise<{ ok: true; conflicts: number; created: boolean } | { ok: false; error: string }> {
  // A savepoint per change: one that breaks a constraint is undone alone, the rest of the page stays.
  await sql`SAVEPOINT pulled_change`.execute(trx);
  try {
    const outcome = await applyChange(trx, change, receivedAt);
    await sql`RELEASE pulled_change`.execute(trx);
    return { ok: true, conflicts: outcome.lost.length, created: outcome.skipped === null && change.operation === 'create' && outcome.applied.length > 0 };
  } catch (error) {
    await sql`ROLLBACK TO pulled_change`.execute(trx);
    await sql`RELEASE pulled_change`.execute(trx);
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function applyPage(db: Kysely<DB>, changes: Change[], cursor: string, receivedAt: string): Promise<PageOutcome> {
  return db.transaction().execute(async (trx) => {
    const outcome: PageOutcome = { applied: 0, conflicts: 0, parked: 0, refused: 0, createdClients: [] };
    for (const change of changes) {
      if (validateChange(change)) {
        outcome.refused++;
        continue;
      }
      const result = await tryApply(trx, change, receivedAt);
      if (result.ok) {
        outcome.applied++;
        outcome.conflicts += result.conflicts;
        if (result.created && change.entity === 'client') outcome.createdClients.push(change.entityId);
      } else {
        await trx.insertInto('sync_parked').values({ id: change.id, change: JSON.stringify(change), error: result.error, parked_at: receivedAt }).onConflict((oc) => oc.column('id').doNothing()).execute();
      }
    }
    // What waited for these records may fit now: parked changes in the order they arrived.
    const parked = await trx.selectFrom('sync_parked').selectAll().orderBy('seq').execute();
    for (const row of parked) {
      const result = await tryApply(trx, JSON.parse(row.change) as Change, receivedAt);
      if (result.ok) {
        outcome.applied++;
        await trx.deleteFrom('sync_parked').where('id', '=', row.id).execute();
      }
    }
    outcome.parked = Number((await trx.selectFrom('sync_parked').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    await trx.insertInto('settings').values({ key: 'syncCursor', value: JSON.stringify(cursor) }).onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(cursor) })).execute();
    return outcome;
  });
}
