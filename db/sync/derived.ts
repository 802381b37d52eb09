import { sql, type Kysely } from 'kysely';
import { foldForSearch } from '../../contract/normalize';
import type { DB } from '../schema';

// Columns of synced tables that are computed from other rows, never typed and never logged: each device
// recomputes them whenever the rows they come from change, locally or from a pulled change.

/** The folded text a client is searched by: its name, email, code and its contacts' names and emails. */
export function clientSearchText(client: { company_name: string; email: string; code: string }, contacts: { name: string; email: string | null }[]): string {
  return foldForSearch([client.company_name, client.email, client.code, ...contacts.flatMap((k) => [k.name, k.email ?? ''])].join(' '));
}

/** Transactions that recompute search texts once at their end (see deferSearchText), with the clients to recompute. */
const deferred = new WeakMap<Kysely<DB>, Set<string>>();

/**
 * Runs `work` (many changes in one transaction: a pulled page) recomputing each touched client's search text
 * once, at the end, instead of after every change: a client pulled with its three contacts is written to the
 * search index once instead of four times, and each of those writes costs a segment of the index.
 */
export async function deferSearchText<T>(trx: Kysely<DB>, work: () => Promise<T>): Promise<T> {
  const clients = new Set<string>();
  deferred.set(trx, clients);
  try {
    const result = await work();
    for (const clientId of clients) await recomputeSearchText(trx, clientId);
    return result;
  } finally {
    deferred.delete(trx);
  }
}

/** Recomputes a client's search text after the client or one of its contacts changed (same transaction). */
export async function refreshClientSearchText(trx: Kysely<DB>, clientId: string): Promise<void> {
  const later = deferred.get(trx);
  if (later) later.add(clientId);
  else await recomputeSearchText(trx, clientId);
}

async function recomputeSearchText(trx: Kysely<DB>, clientId: string): Promise<void> {
  const client = await trx.selectFrom('clients').select(['company_name', 'email', 'code', 'search_text']).where('id', '=', clientId).executeTakeFirst();
  if (!client) return;
  const contacts = await trx.selectFrom('client_contacts').select(['name', 'email']).where('client_id', '=', clientId).where('deleted_at', 'is', null).orderBy('seq').execute();
  const text = clientSearchText(client, contacts);
  // Unchanged text is not written again: the search index's trigger would delete and re-add the same row.
  if (text !== client.search_text) await trx.updateTable('clients').set({ search_text: text }).where('id', '=', clientId).execute();
}

/** Latest live event time of a client, for the list's last-activity column after an event changed. */
export async function refreshLastActivity(trx: Kysely<DB>, clientId: string): Promise<void> {
  await sql`UPDATE clients SET last_activity_at = (SELECT max(occurred_at) FROM events WHERE client_id = ${clientId} AND deleted_at IS NULL) WHERE id = ${clientId}`.execute(trx);
}
