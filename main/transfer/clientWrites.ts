import type { Kysely } from 'kysely';
import { newId } from '../ids';
import { createClients, updateClient, type ClientRecord } from '../../db/repositories/clients';
import { reserveCodes } from '../../db/repositories/codes';
import { createContacts, setPrimaryContact, type ContactRecord } from '../../db/repositories/contacts';
import type { DB } from '../../db/schema';
import { StaleRecordError, type Actor } from '../../db/sync/write';

/** A client as the import's checks see it (normalised keys included); only its synced fields are written. */
export type NewClient = Omit<ClientRecord, 'seq'>;
export type NewContact = Omit<ContactRecord, 'seq' | 'version'>;

/**
 * Everything one batch of a clients import writes, decided by the checks on the main thread and written in
 * one transaction by the import's writer (a worker thread with its own connection). Plain data: it crosses
 * to the worker by structured clone.
 */
export interface ClientWritePlan {
  /**
   * New clients, each with its contacts and the note of its history entry (and, when given, of each contact's,
   * in the order of `contacts`). `code` is filled in when written.
   */
  creates: { record: NewClient; contacts: NewContact[]; line: number; note: string | null; contactNotes?: (string | null)[] }[];
  /** Existing clients the batch changes: the version read before the run, the changed fields, and the new contacts. */
  updates: { id: string; version: number; patch: Partial<NewClient> | null; note: string | null; newContacts: NewContact[]; contactNotes?: (string | null)[]; lines: number[] }[];
  /** Who, where and when, for the history entries. */
  by: { userId: string | null; deviceId: string; changedAt: string; fileName: string };
}

/** The fields the write path takes (contract/sync.ts); keys, search text, version and times are derived there. */
function synced<T extends Partial<NewClient>>(r: T): Omit<T, 'name_key' | 'email_key' | 'domain_key' | 'search_text' | 'version' | 'updated_at' | 'last_activity_at'> {
  const { name_key: _n, email_key: _e, domain_key: _d, search_text: _s, version: _v, updated_at: _u, last_activity_at: _l, ...fields } = r;
  return fields;
}

/**
 * Writes a plan in the caller's transaction through the write path (db/sync), which logs every record.
 * Throws (and the caller's transaction rolls back) if a client changed since it was read.
 */
export async function writeClientBatch(trx: Kysely<DB>, plan: ClientWritePlan, newId: () => string): Promise<void> {
  const actor: Actor = { userId: plan.by.userId, deviceId: plan.by.deviceId, at: plan.by.changedAt, newId };
  const imported = (lines: number | number[]) => `Imported from ${plan.by.fileName}, line ${[lines].flat().join(', ')}.`;

  const codes = await reserveCodes(trx, 'CL', plan.creates.length);
  await createClients(trx, actor, plan.creates.map((c, i) => ({ values: { ...synced(c.record), code: codes[i]! }, note: c.note, contacts: c.contacts })));
  // Their clients' search text already holds them (createClients above).
  await createContacts(trx, actor, plan.creates.flatMap((c) => c.contacts.map((contact, k) => ({ values: contact, note: c.contactNotes?.[k] ?? imported(c.line) }))), { skipAfter: true });

  for (const u of plan.updates) {
    // The version read before the run: the run's own earlier batches counted, nothing else may have written since.
    if (u.patch) {
      try {
        await updateClient(trx, actor, u.id, synced(u.patch), { version: u.version, note: u.note });
      } catch (error) {
        if (error instanceof StaleRecordError) throw new Error(`Client ${u.id} changed during the import`);
        throw error;
      }
    }
    if (!u.newContacts.length) continue;
    await createContacts(trx, actor, u.newContacts.map((contact, k) => ({ values: contact, note: u.contactNotes?.[k] ?? imported(u.lines) })));
    for (const contact of u.newContacts) if (contact.is_primary) await setPrimaryContact(trx, actor, u.id, contact.id);
  }
}

/** The plans of several checked batches of one run, in order, in the caller's transaction (the import's writer). */
export async function writeClientBatches(trx: Kysely<DB>, plans: ClientWritePlan[]): Promise<void> {
  for (const plan of plans) await writeClientBatch(trx, plan, newId);
}
