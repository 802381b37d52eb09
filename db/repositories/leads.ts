import type { Kysely, Selectable } from 'kysely';
import type { DB, LeadsTable } from '../schema';
import { createRecord, updateRecord, type Actor, type Values } from '../sync/write';

export type LeadRecord = Selectable<LeadsTable>;
export type NewLead = Values<'lead'> & { id: string; company_name: string; stage: LeadRecord['stage']; created_at: string };

/** Live leads with the names the UI shows. */
export function selectLeads(db: Kysely<DB>) {
  return db
    .selectFrom('leads as l')
    .leftJoin('users as u', 'u.id', 'l.owner_id')
    .leftJoin('clients as c', 'c.id', 'l.client_id')
    .selectAll('l')
    .select(['u.name as owner_name', 'c.company_name as client_name'])
    .where('l.deleted_at', 'is', null);
}

export function findLeadRecord(db: Kysely<DB>, id: string) {
  return db.selectFrom('leads').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export function createLead(trx: Kysely<DB>, actor: Actor, values: NewLead, note: string | null = null) {
  return createRecord(trx, actor, 'lead', values, { note });
}

export function updateLead(trx: Kysely<DB>, actor: Actor, id: string, patch: Values<'lead'>, options: { version?: number; note?: string | null } = {}) {
  return updateRecord(trx, actor, 'lead', id, patch, options);
}
