import type { Kysely, Selectable } from 'kysely';
import type { ClientContactsTable, DB } from '../schema';
import { createRecord, createRecords, deleteRecord, updateRecord, type Actor, type Values } from '../sync/write';

export type ContactRecord = Selectable<ClientContactsTable>;
export type NewContact = Values<'contact'> & { id: string; client_id: string; name: string; created_at: string };

export function listContacts(db: Kysely<DB>, clientId: string) {
  return db
    .selectFrom('client_contacts')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('deleted_at', 'is', null)
    .orderBy('is_primary', 'desc')
    .orderBy('name')
    .execute();
}

export function findContact(db: Kysely<DB>, id: string) {
  return db.selectFrom('client_contacts').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export function createContact(trx: Kysely<DB>, actor: Actor, values: NewContact, note: string | null = null) {
  return createRecord(trx, actor, 'contact', values, { note });
}

/** Many new contacts in one statement (imports); `skipAfter` when the caller computed their clients' search text. */
export function createContacts(trx: Kysely<DB>, actor: Actor, contacts: { values: NewContact; note: string | null }[], options: { skipAfter?: boolean } = {}) {
  return createRecords(trx, actor, 'contact', contacts, options);
}

export function updateContact(trx: Kysely<DB>, actor: Actor, id: string, patch: Values<'contact'>, options: { version?: number; note?: string | null } = {}) {
  return updateRecord(trx, actor, 'contact', id, patch, options);
}

export function removeContact(trx: Kysely<DB>, actor: Actor, id: string, options: { version?: number } = {}) {
  return deleteRecord(trx, actor, 'contact', id, options);
}

/**
 * Makes one contact the primary one and demotes the others, so a client never has two. Each contact whose
 * flag changes is a logged change of its own: another device applying them ends with the same single primary.
 */
export async function setPrimaryContact(trx: Kysely<DB>, actor: Actor, clientId: string, contactId: string): Promise<void> {
  const others = await trx.selectFrom('client_contacts').select('id').where('client_id', '=', clientId).where('id', '!=', contactId).where('is_primary', '=', 1).execute();
  for (const other of others) await updateRecord(trx, actor, 'contact', other.id, { is_primary: 0 });
  await updateRecord(trx, actor, 'contact', contactId, { is_primary: 1 });
}

/** Live contacts of several clients at once (bulk imports check "the same person twice" against them). */
export function listContactsOf(db: Kysely<DB>, clientIds: string[]) {
  if (!clientIds.length) return Promise.resolve([]);
  return db.selectFrom('client_contacts').selectAll().where('client_id', 'in', clientIds).where('deleted_at', 'is', null).execute();
}
