import type { Kysely, Selectable } from 'kysely';
import type { ClientContactsTable, DB } from '../schema';
import { allColumns, insertRows } from './bulk';

export type ContactRecord = Selectable<ClientContactsTable>;

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

export async function insertContact(trx: Kysely<DB>, row: Omit<ContactRecord, 'seq'>): Promise<void> {
  await trx.insertInto('client_contacts').values(row).execute();
}

export async function updateContactRow(trx: Kysely<DB>, id: string, patch: Partial<Omit<ContactRecord, 'seq'>>): Promise<void> {
  await trx.updateTable('client_contacts').set(patch).where('id', '=', id).execute();
}

/** Makes one contact the primary one and demotes the others, so a client never has two. */
export async function setPrimaryContact(trx: Kysely<DB>, clientId: string, contactId: string, at: string): Promise<void> {
  await trx
    .updateTable('client_contacts')
    .set({ is_primary: 0, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '!=', contactId)
    .where('is_primary', '=', 1)
    .execute();
  await trx.updateTable('client_contacts').set({ is_primary: 1, updated_at: at }).where('id', '=', contactId).execute();
}

const contactColumns = allColumns<Omit<ContactRecord, 'seq'>>({
  id: true, client_id: true, name: true, role: true, email: true, email_key: true, phone: true, is_primary: true, notes: true,
  created_at: true, updated_at: true, deleted_at: true,
});

/** Many contacts in one statement (bulk imports). */
export async function insertContacts(trx: Kysely<DB>, rows: Omit<ContactRecord, 'seq'>[]): Promise<void> {
  await insertRows(trx, 'client_contacts', contactColumns, rows);
}

/** Live contacts of several clients at once (bulk imports check "the same person twice" against them). */
export function listContactsOf(db: Kysely<DB>, clientIds: string[]) {
  if (!clientIds.length) return Promise.resolve([]);
  return db.selectFrom('client_contacts').selectAll().where('client_id', 'in', clientIds).where('deleted_at', 'is', null).execute();
}
