import { sql, type Kysely } from 'kysely';
import { validateChange, type Change } from '../../contract/sync';
import type { DB } from '../schema';
import { applyChange, applyUnseenCreates, unseenCreates } from './apply';
import { deferSearchText } from './derived';

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

type Attempt = { ok: true; conflicts: number; created: boolean } | { ok: false; error: string };

async function attempt(trx: Kysely<DB>, change: Change, receivedAt: string): Promise<Attempt> {
  const outcome = await applyChange(trx, change, receivedAt);
  return { ok: true, conflicts: outcome.lost.length, created: outcome.skipped === null && change.operation === 'create' && outcome.applied.length > 0 };
}

/** Runs `work` inside a savepoint: undone alone when it throws (the error comes back as the result). */
async function guarded<T>(trx: Kysely<DB>, work: () => Promise<T>): Promise<T | { ok: false; error: string }> {
  await sql`SAVEPOINT pulled`.execute(trx);
  try {
    const result = await work();
    await sql`RELEASE pulled`.execute(trx);
    return result;
  } catch (error) {
    await sql`ROLLBACK TO pulled`.execute(trx);
    await sql`RELEASE pulled`.execute(trx);
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** One change in a savepoint of its own: one that breaks a constraint is undone alone, the rest of the page stays. */
const tryApply = (trx: Kysely<DB>, change: Change, receivedAt: string): Promise<Attempt> => guarded(trx, () => attempt(trx, change, receivedAt));

/**
 * The page's changes in order. The whole page is tried in one savepoint first: a savepoint per change would make
 * each client's search index write a segment of its own (db/repositories/bulk.ts says why that is slow). Only a
 * page where a change fails is applied again change by change, the failing ones parked.
 */
async function applyChanges(trx: Kysely<DB>, changes: Change[], receivedAt: string, outcome: PageOutcome, each: boolean): Promise<void> {
  // Creates of records never seen here go in bulk (all of a first pull, nearly), the rest one by one in order.
  const unseen = each ? new Set<string>() : await unseenCreates(trx, changes);
  let batch: Change[] = [];
  const flush = async () => {
    await applyUnseenCreates(trx, batch, receivedAt);
    for (const change of batch) counted(change, { ok: true, conflicts: 0, created: true }, outcome);
    batch = [];
  };
  for (const change of changes) {
    if (unseen.has(change.id)) {
      batch.push(change);
      continue;
    }
    await flush();
    const result = each ? await tryApply(trx, change, receivedAt) : await attempt(trx, change, receivedAt);
    if (result.ok) counted(change, result, outcome);
    else await trx.insertInto('sync_parked').values({ id: change.id, change: JSON.stringify(change), error: result.error, parked_at: receivedAt }).onConflict((oc) => oc.column('id').doNothing()).execute();
  }
  await flush();
}

function counted(change: Change, result: Attempt & { ok: true }, outcome: PageOutcome): void {
  outcome.applied++;
  outcome.conflicts += result.conflicts;
  if (result.created && change.entity === 'client') outcome.createdClients.push(change.entityId);
}

export async function applyPage(db: Kysely<DB>, changes: Change[], cursor: string, receivedAt: string): Promise<PageOutcome> {
  return db.transaction().execute((trx) => deferSearchText(trx, () => applyPageIn(trx, changes, cursor, receivedAt)));
}

async function applyPageIn(trx: Kysely<DB>, changes: Change[], cursor: string, receivedAt: string): Promise<PageOutcome> {
  const valid = changes.filter((change) => !validateChange(change));
  let outcome: PageOutcome = { applied: 0, conflicts: 0, parked: 0, refused: changes.length - valid.length, createdClients: [] };
  const whole = await guarded(trx, async () => {
    await applyChanges(trx, valid, receivedAt, outcome, false);
    return { ok: true as const };
  });
  if (!whole.ok) {
    outcome = { applied: 0, conflicts: 0, parked: 0, refused: outcome.refused, createdClients: [] };
    await applyChanges(trx, valid, receivedAt, outcome, true);
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
}
