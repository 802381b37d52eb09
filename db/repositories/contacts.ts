import type { Kysely, Selectable } from 'kysely';
import type { ClientContactsTable, DB } from '../schema';

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

/** Many contacts in few statements (bulk imports); the FTS triggers index each row as for a single insert. */
export async function insertContacts(trx: Kysely<DB>, rows: Omit<ContactRecord, 'seq'>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) await trx.insertInto('client_contacts').values(rows.slice(i, i + 2000)).execute();
}

/** Live contacts of several clients at once (bulk imports check "the same person twice" against them). */
export function listContactsOf(db: Kysely<DB>, clientIds: string[]) {
  if (!clientIds.length) return Promise.resolve([]);
  return db.selectFrom('client_contacts').selectAll().where('client_id', 'in', clientIds).where('deleted_at', 'is', null).execute();
}
