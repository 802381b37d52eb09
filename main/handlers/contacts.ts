import { AppError } from '../../contract';
import type { Contact } from '../../contract/contacts';
import { normalizeCompanyName, normalizeEmail } from '../../contract/normalize';
import { normalizePhone } from '../../contract/phone';
import { appendChange, diffFields } from '../../db/repositories/changeLog';
import { findClientRecord, refreshClientSearchText } from '../../db/repositories/clients';
import { findContact, insertContact, listContacts, setPrimaryContact, updateContactRow, type ContactRecord } from '../../db/repositories/contacts';
import type { HandlerContext } from './context';
import { currentUserId } from './currentUser';
import { loadSettings } from './settings';
import type { HandlerMap } from './types';

const auditedContactFields = ['name', 'role', 'email', 'phone', 'is_primary', 'notes'] as const satisfies (keyof ContactRecord)[];

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
  };
}

type ContactInput = { name: string; role: string | null; email: string | null; phone: string | null; isPrimary: boolean; notes: string | null };

/** The same person twice in one client: the same email, or the same name when either has no email. */
function samePerson(a: { name: string; email_key: string | null }, b: { name: string; email_key: string | null }): boolean {
  if (a.email_key && b.email_key) return a.email_key === b.email_key;
  return normalizeCompanyName(a.name) === normalizeCompanyName(b.name);
}

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
  return { fields: { name: input.name, role: input.role, email: input.email, email_key: emailKey, phone: phone.value, notes: input.notes }, others };
}

async function requireClient(trx: HandlerContext['db'], clientId: string) {
  const client = await findClientRecord(trx, clientId);
  if (!client) throw new AppError('NOT_FOUND', 'This client does not exist or was removed.');
  return client;
}

export const contactHandlers: HandlerMap<'contacts.list' | 'contacts.create' | 'contacts.update' | 'contacts.delete'> = {
  'contacts.list': async (ctx, input) => (await listContacts(ctx.db, input.clientId)).map(toContact),

  'contacts.create': async (ctx, input) => {
    const id = ctx.newId();
    const at = ctx.now().toISOString();
    const userId = await currentUserId(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      await requireClient(trx, input.clientId);
      const { fields, others } = await prepareContact(ctx, trx, input.clientId, input, null);
      // The first contact is the primary one: a client with contacts always has exactly one.
      const primary = input.isPrimary || others.length === 0;
      const row: Omit<ContactRecord, 'seq'> = { id, client_id: input.clientId, ...fields, is_primary: 0, created_at: at, updated_at: at, deleted_at: null };
      await insertContact(trx, row);
      if (primary) await setPrimaryContact(trx, input.clientId, id, at);
      await refreshClientSearchText(trx, input.clientId);
      await appendChange(trx, {
        id: ctx.newId(),
        entity: 'contact',
        entityId: id,
        clientId: input.clientId,
        operation: 'create',
        changes: diffFields(null, { ...row, is_primary: primary ? 1 : 0 }, [...auditedContactFields]),
        userId,
        deviceId: ctx.deviceId,
        changedAt: at,
      });
    });
    return toContact((await findContact(ctx.db, id))!);
  },

  'contacts.update': async (ctx, input) => {
    const at = ctx.now().toISOString();
    const userId = await currentUserId(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const existing = await findContact(trx, input.id);
      if (!existing) throw new AppError('NOT_FOUND', 'This contact does not exist any more.');
      const { fields } = await prepareContact(ctx, trx, existing.client_id, input, existing.id);
      // Unticking "primary" on the only primary is ignored: promote another contact to change it.
      const primary = input.isPrimary || existing.is_primary === 1;
      const after = { ...existing, ...fields, is_primary: primary ? 1 : 0 };
      const changes = diffFields(existing, after, [...auditedContactFields]);
      if (!Object.keys(changes).length) return;
      await updateContactRow(trx, existing.id, { ...fields, updated_at: at });
      if (primary && existing.is_primary !== 1) await setPrimaryContact(trx, existing.client_id, existing.id, at);
      await refreshClientSearchText(trx, existing.client_id);
      await appendChange(trx, {
        id: ctx.newId(),
        entity: 'contact',
        entityId: existing.id,
        clientId: existing.client_id,
        operation: 'update',
        changes,
        userId,
        deviceId: ctx.deviceId,
        changedAt: at,
      });
    });
    return toContact((await findContact(ctx.db, input.id))!);
  },

  'contacts.delete': async (ctx, input) => {
    const at = ctx.now().toISOString();
    const userId = await currentUserId(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const existing = await findContact(trx, input.id);
      if (!existing) throw new AppError('NOT_FOUND', 'This contact does not exist any more.');
      await updateContactRow(trx, existing.id, { deleted_at: at, updated_at: at, is_primary: 0 });
      if (existing.is_primary === 1) {
        // Removing the primary contact hands the role to the longest-standing remaining contact.
        const next = (await listContacts(trx, existing.client_id)).sort((a, b) => a.created_at.localeCompare(b.created_at))[0];
        if (next) await setPrimaryContact(trx, existing.client_id, next.id, at);
      }
      await refreshClientSearchText(trx, existing.client_id);
      await appendChange(trx, {
        id: ctx.newId(),
        entity: 'contact',
        entityId: existing.id,
        clientId: existing.client_id,
        operation: 'delete',
        changes: { name: { old: existing.name, new: null } },
        userId,
        deviceId: ctx.deviceId,
        changedAt: at,
      });
    });
    return { id: input.id };
  },
};
