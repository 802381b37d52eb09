import type { Kysely } from 'kysely';
import { appendChanges, diffFields, type ChangeEntry } from '../../db/repositories/changeLog';
import { clientSearchText, insertClients, refreshClientSearchText, updateClientRow, type ClientRecord } from '../../db/repositories/clients';
import { reserveCodes } from '../../db/repositories/codes';
import { insertContacts, setPrimaryContact, type ContactRecord } from '../../db/repositories/contacts';
import type { DB } from '../../db/schema';
import { auditedClientFields } from '../handlers/clients';

export type NewClient = Omit<ClientRecord, 'seq'>;
export type NewContact = Omit<ContactRecord, 'seq'>;

export const importedContactFields = ['name', 'role', 'email', 'phone', 'is_primary'] as const;

/**
 * Everything one batch of a clients import writes, decided by the checks on the main thread and written in
 * one transaction by the import's writer (a worker thread with its own connection). Plain data: it crosses
 * to the worker by structured clone.
 */
export interface ClientWritePlan {
  /** Prefix of the codes the new clients get (reserved in the writing transaction). */
  codePrefix: string;
  /**
   * New clients, each with its contacts and the note of its history entry (and, when given, of each contact's,
   * in the order of `contacts`). `code` and `search_text` are filled in when written.
   */
  creates: { record: NewClient; contacts: NewContact[]; line: number; note: string | null; contactNotes?: (string | null)[] }[];
  /** Existing clients the batch changes: the version read before the run, the new values, and their history entries. */
  updates: {
    id: string;
    version: number;
    patch: Partial<Omit<ClientRecord, 'seq' | 'id' | 'code' | 'version'>> | null;
    change: ChangeEntry | null;
    newContacts: NewContact[];
    contactChanges: ChangeEntry[];
  }[];
  /** Ids for the creates' history entries (one per client and one per contact), handed out by the context's id source. */
  logIds: string[];
  /** Who, where and when, for the creates' history entries. */
  by: { userId: string | null; deviceId: string; changedAt: string; fileName: string };
}

/** How many ids a plan's creates need for their history entries. */
export const logIdsNeeded = (creates: ClientWritePlan['creates']) => creates.reduce((n, c) => n + 1 + c.contacts.length, 0);

/** Writes a plan in the caller's transaction. Throws (and the caller's transaction rolls back) if a client changed since it was read. */
export async function writeClientBatch(trx: Kysely<DB>, plan: ClientWritePlan): Promise<void> {
  const log: ChangeEntry[] = [];
  let next = 0;
  const entry = (e: Omit<ChangeEntry, 'id' | 'userId' | 'deviceId' | 'changedAt'>): ChangeEntry => {
    const id = plan.logIds[next++];
    if (!id) throw new Error('The write plan has too few ids for its history entries');
    return { ...e, id, userId: plan.by.userId, deviceId: plan.by.deviceId, changedAt: plan.by.changedAt };
  };

  const codes = await reserveCodes(trx, plan.codePrefix, plan.creates.length);
  const contacts: NewContact[] = [];
  plan.creates.forEach((c, i) => {
    const record = { ...c.record, code: codes[i]! };
    record.search_text = clientSearchText(record, c.contacts);
    c.record = record;
    log.push(entry({ entity: 'client', entityId: record.id, clientId: record.id, operation: 'create', changes: diffFields(null, record, [...auditedClientFields]), note: c.note }));
    c.contacts.forEach((contact, k) => {
      contacts.push(contact);
      const note = c.contactNotes?.[k] ?? `Imported from ${plan.by.fileName}, line ${c.line}.`;
      log.push(entry({ entity: 'contact', entityId: contact.id, clientId: record.id, operation: 'create', changes: diffFields(null, contact, [...importedContactFields]), note }));
    });
  });
  await insertClients(trx, plan.creates.map((c) => c.record));
  await insertContacts(trx, contacts);

  for (const u of plan.updates) {
    // The version read before the run: the run's own earlier batches counted, nothing else may have written since.
    if (u.patch && !(await updateClientRow(trx, u.id, u.version, u.patch))) throw new Error(`Client ${u.id} changed during the import`);
    if (u.change) log.push(u.change);
    if (u.newContacts.length) {
      await insertContacts(trx, u.newContacts);
      for (const contact of u.newContacts) if (contact.is_primary) await setPrimaryContact(trx, u.id, contact.id, plan.by.changedAt);
      log.push(...u.contactChanges);
    }
    if (u.patch || u.newContacts.length) await refreshClientSearchText(trx, u.id);
  }
  await appendChanges(trx, log);
}
