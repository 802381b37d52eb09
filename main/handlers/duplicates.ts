import { AppError } from '../../contract';
import { mergeClientFields, mergeContactFields, type MergeOutcome } from '../../contract/duplicates';
import { colleagueKeys, personDecision, samePersonReasons } from '../../contract/people';
import { listContacts } from '../../db/repositories/contacts';
import { dismissedPairs, mergeableClientFields, mergeableContactFields, mergeClients, mergeContacts, MergeRefused, setDismissed, undoMerge, type MergeRecord } from '../../db/repositories/merges';
import { reviewPairs, pairSortKey } from '../duplicates/pairs';
import { actorOf, savingVersion } from './actor';
import { loadClient } from './clients';
import type { HandlerContext } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import type { HandlerMap } from './types';

const refusals = {
  merge_not_possible: ['VALIDATION', 'These records cannot be merged (one was removed or merged meanwhile).'],
  merge_too_large: ['VALIDATION', 'This merge would move more records than one sync request carries.'],
  merge_already_undone: ['CONFLICT', 'This merge was already undone.'],
  merge_undo_blocked: ['CONFLICT', 'The surviving record was merged into another since; undo that merge first.'],
} as const;

/** Runs a merge or an undo as one operation: one transaction, one operation id on every change it logs. */
async function operation<T>(ctx: HandlerContext, work: (trx: HandlerContext['db'], actor: Awaited<ReturnType<typeof actorOf>>) => Promise<T>): Promise<T> {
  const actor = { ...(await actorOf(ctx)), operationId: ctx.newId() };
  try {
    return await ctx.db.transaction().execute((trx) => work(trx, actor));
  } catch (error) {
    if (!(error instanceof MergeRefused)) throw error;
    const [code, message] = refusals[error.reason];
    throw new AppError(code, message, { reason: error.reason });
  }
}

const outcome = (merge: Pick<MergeRecord, 'id' | 'kind' | 'survivor_id' | 'merged_id' | 'client_id'>): MergeOutcome => ({
  mergeId: merge.id, kind: merge.kind, survivorId: merge.survivor_id, mergedId: merge.merged_id, clientId: merge.client_id,
});

/** The contract's field names as the table's columns. */
const columnsOf = (fields: readonly string[], names: readonly string[], columns: readonly string[]) => fields.map((f) => columns[names.indexOf(f)]!);

const stale = (what: 'client' | 'contact') =>
  ({ reason: `${what}_changed`, message: `One of the two ${what}s was changed meanwhile; compare them again.` }) as const;

export const duplicateHandlers: HandlerMap<'duplicates.list' | 'duplicates.setDismissed' | 'clients.merge' | 'contacts.duplicates' | 'contacts.merge' | 'merges.undo'> = {
  'duplicates.list': async (ctx, input) => {
    const pairs = await reviewPairs(ctx.db, { dismissed: input.dismissed, clientIds: input.clientIds });
    const after = decodeCursor(input.cursor);
    const from = after ? pairs.findIndex((p) => pairSortKey(p) > after.value || (pairSortKey(p) === after.value && p.first.id > after.id)) : 0;
    const page = from < 0 ? [] : pairs.slice(from, from + input.limit);
    const last = page.at(-1);
    const more = from >= 0 && from + input.limit < pairs.length;
    return { pairs: page, total: pairs.length, nextCursor: more && last ? encodeCursor(pairSortKey(last), last.first.id) : null };
  },

  'duplicates.setDismissed': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute((trx) => setDismissed(trx, actor, input.kind, input.firstId, input.secondId, input.dismissed));
    const [a, b] = [input.firstId, input.secondId].sort() as [string, string];
    return { key: `${a}:${b}`, dismissed: input.dismissed };
  },

  'clients.merge': async (ctx, input) => {
    const mergeId = ctx.newId();
    await savingVersion(
      () =>
        operation(ctx, (trx, actor) =>
          mergeClients(trx, actor, {
            mergeId, survivorId: input.survivorId, mergedId: input.mergedId, survivorVersion: input.survivorVersion, mergedVersion: input.mergedVersion,
            takeFromMerged: columnsOf(input.takeFromMerged, mergeClientFields, mergeableClientFields),
          }),
        ),
      () => loadClient(ctx, input.survivorId),
      stale('client'),
    );
    return { ...outcome({ id: mergeId, kind: 'client', survivor_id: input.survivorId, merged_id: input.mergedId, client_id: input.survivorId }), survivor: await loadClient(ctx, input.survivorId) };
  },

  'contacts.duplicates': async (ctx, input) => {
    const contacts = await listContacts(ctx.db, input.clientId);
    const found = [];
    for (const [i, a] of contacts.entries()) {
      for (const b of contacts.slice(i + 1)) {
        const reasons = samePersonReasons(colleagueKeys(a), colleagueKeys(b));
        if (reasons.length) found.push({ a, b, reasons });
      }
    }
    const dismissed = await dismissedPairs(ctx.db, found.map((f) => [f.a.id, f.b.id]));
    const side = (c: (typeof contacts)[number]) => ({ id: c.id, name: c.name, role: c.role, email: c.email, phone: c.phone, notes: c.notes, isPrimary: c.is_primary === 1, version: c.version });
    const key = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);
    return {
      pairs: found
        .filter((f) => !dismissed.has(key(f.a.id, f.b.id)))
        .map((f) => ({ key: key(f.a.id, f.b.id), reasons: f.reasons, decision: personDecision(f.reasons), first: side(f.a), second: side(f.b) })),
    };
  },

  'contacts.merge': async (ctx, input) => {
    const mergeId = ctx.newId();
    const clientId = await savingVersion(
      () =>
        operation(ctx, (trx, actor) =>
          mergeContacts(trx, actor, {
            mergeId, survivorId: input.survivorId, mergedId: input.mergedId, survivorVersion: input.survivorVersion, mergedVersion: input.mergedVersion,
            takeFromMerged: columnsOf(input.takeFromMerged, mergeContactFields, mergeableContactFields),
          }),
        ),
      async () => ({}),
      stale('contact'),
    );
    return outcome({ id: mergeId, kind: 'contact', survivor_id: input.survivorId, merged_id: input.mergedId, client_id: clientId });
  },

  'merges.undo': async (ctx, input) => outcome(await operation(ctx, (trx, actor) => undoMerge(trx, actor, input.mergeId))),
};
