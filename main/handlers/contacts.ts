import { AppError } from '../../contract';
import type { Contact } from '../../contract/contacts';
import { normalizeEmail } from '../../contract/normalize';
import { blocksAsSamePerson, colleagueKeys } from '../../contract/people';
import { normalizePhone } from '../../contract/phone';
import { findClientRecord } from '../../db/repositories/clients';
import { createContact, findContact, listContacts, removeContact, setPrimaryContact, updateContact, type ContactRecord } from '../../db/repositories/contacts';
import { StaleRecordError } from '../../db/sync/write';
import { actorOf, savingVersion } from './actor';
import type { HandlerContext } from './context';
import { loadSettings } from './settings';
import type { HandlerMap } from './types';

function toContact(row: ContactRecord): Contact {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    role: row.role,
    email: row.email,
    phone: row.phone,
    isPrimary: row.is_primary === 1,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

type ContactInput = { name: string; role: string | null; email: string | null; phone: string | null; isPrimary: boolean; notes: string | null };

/** The same person twice in one client, by the one same-person rule (contract/people.ts): what it blocks is refused. */
const samePerson = (a: { name: string; email_key: string | null }, b: { name: string; email_key: string | null }) => blocksAsSamePerson(colleagueKeys(a), colleagueKeys(b));

async function prepareContact(ctx: HandlerContext, trx: HandlerContext['db'], clientId: string, input: ContactInput, selfId: string | null) {
  const settings = await loadSettings({ ...ctx, db: trx });
  const phone = normalizePhone(input.phone, settings.defaultCountry);
  if (!phone.ok) throw new AppError('VALIDATION', 'The phone number is not valid.', { fields: [{ path: 'phone', message: phone.message }] });
  const emailKey = input.email ? normalizeEmail(input.email) : null;
  const others = (await listContacts(trx, clientId)).filter((c) => c.id !== selfId);
  const twin = others.find((c) => samePerson(c, { name: input.name, email_key: emailKey }));
  if (twin) {
    throw new AppError('VALIDATION', `${twin.name} is already a contact of this client.`, {
      fields: [{ path: twin.email_key && emailKey ? 'email' : 'name', message: 'duplicate_contact' }],
    });
  }
  return { fields: { name: input.name, role: input.role, email: input.email, phone: phone.value, notes: input.notes }, others };
}

async function requireClient(trx: HandlerContext['db'], clientId: string) {
  const client = await findClientRecord(trx, clientId);
  if (!client) throw new AppError('NOT_FOUND', 'This client does not exist or was removed.', { reason: 'client_not_found' });
  return client;
}

const stale = { reason: 'contact_changed', message: 'This contact was changed meanwhile; reload it and apply your change again.' } as const;
const gone = () => new AppError('NOT_FOUND', 'This contact does not exist any more.', { reason: 'contact_not_found' });

async function loadContact(ctx: HandlerContext, id: string): Promise<Contact> {
  const row = await findContact(ctx.db, id);
  if (!row) throw gone();
  return toContact(row);
}

export const contactHandlers: HandlerMap<'contacts.list' | 'contacts.create' | 'contacts.update' | 'contacts.delete'> = {
  'contacts.list': async (ctx, input) => (await listContacts(ctx.db, input.clientId)).map(toContact),

  'contacts.create': async (ctx, input) => {
    const id = ctx.newId();
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      await requireClient(trx, input.clientId);
      const { fields, others } = await prepareContact(ctx, trx, input.clientId, input, null);
      // The first contact is the primary one: a client with contacts always has exactly one.
      const primary = input.isPrimary || others.length === 0;
      await createContact(trx, actor, { id, client_id: input.clientId, ...fields, is_primary: others.length === 0 ? 1 : 0, created_at: actor.at, deleted_at: null });
      if (primary && others.length) await setPrimaryContact(trx, actor, input.clientId, id);
    });
    return loadContact(ctx, id);
  },

  'contacts.update': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await savingVersion(
      () =>
        ctx.db.transaction().execute(async (trx) => {
          const existing = await findContact(trx, input.id);
          if (!existing) throw gone();
          if (existing.version !== input.version) throw new StaleRecordError('contact', input.id, existing);
          const { fields } = await prepareContact(ctx, trx, existing.client_id, input, existing.id);
          await updateContact(trx, actor, existing.id, fields, { version: input.version });
          // Unticking "primary" on the only primary is ignored: promote another contact to change it.
          if (input.isPrimary && existing.is_primary !== 1) await setPrimaryContact(trx, actor, existing.client_id, existing.id);
        }),
      () => loadContact(ctx, input.id),
      stale,
    );
    return loadContact(ctx, input.id);
  },

  'contacts.delete': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await savingVersion(
      () =>
        ctx.db.transaction().execute(async (trx) => {
          const existing = await findContact(trx, input.id);
          if (!existing) throw gone();
          await removeContact(trx, actor, existing.id, { version: input.version });
          if (existing.is_primary === 1) {
            // Removing the primary contact hands the role to the longest-standing remaining contact.
            const next = (await listContacts(trx, existing.client_id)).sort((a, b) => a.created_at.localeCompare(b.created_at))[0];
            if (next) await setPrimaryContact(trx, actor, existing.client_id, next.id);
          }
        }),
      () => loadContact(ctx, input.id),
      stale,
    );
    return { id: input.id };
  },
};
