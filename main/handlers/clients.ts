import { AppError } from '../../contract';
import type { Client, ClientRow, ParsedClientFields } from '../../contract/clients';
import { foldForSearch, normalizeCompanyName, normalizeEmail, websiteDomain } from '../../contract/normalize';
import { normalizePhone } from '../../contract/phone';
import { findArea } from '../../db/repositories/areas';
import { appendChange, diffFields, type FieldChanges } from '../../db/repositories/changeLog';
import {
  clientSearchText,
  countClientRelations,
  findBlockingDuplicates,
  findClientById,
  findClientRecord,
  insertClient,
  listClients,
  matchingContacts,
  refreshClientSearchText,
  searchTerms,
  updateClientRow,
  type ClientListRow,
  type ClientRecord,
} from '../../db/repositories/clients';
import { satisfactionOf } from '../../db/repositories/events';
import { listClientHistory } from '../../db/repositories/history';
import { clientMetrics } from '../../db/repositories/metrics';
import { nextCode } from '../../db/repositories/codes';
import { findUser } from '../../db/repositories/users';
import type { HandlerContext } from './context';
import { currentUserId } from './currentUser';
import { findDuplicates } from './duplicates';
import { loadSettings } from './settings';
import type { HandlerMap } from './types';

type ClientView = Awaited<ReturnType<typeof findClientById>> & {};

export function toClient(row: ClientView): Client {
  return {
    id: row.id,
    code: row.code,
    companyName: row.company_name,
    email: row.email,
    areaId: row.area_id,
    areaName: row.area_name ?? '',
    areaKey: row.area_key,
    phone: row.phone,
    website: row.website,
    comments: row.comments,
    status: row.status,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    defaultFeePercent: row.default_fee_percent,
    defaultGuaranteeDays: row.default_guarantee_days,
    defaultPaymentTermsDays: row.default_payment_terms_days,
    leadId: row.lead_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at,
    lastActivityAt: row.last_activity_at,
    version: row.version,
  };
}

/** A list row straight from the list query's columns (the list's hot path: no intermediate Client object). */
function toRow(row: ClientListRow, matchedContact: ClientRow['matchedContact']): ClientRow {
  return {
    id: row.id,
    code: row.code,
    companyName: row.company_name,
    email: row.email,
    areaId: row.area_id,
    areaName: row.area_name ?? '',
    areaKey: row.area_key,
    status: row.status,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    openJobs: Number(row.open_jobs ?? 0),
    matchedContact,
  };
}

const nonAscii = /[\u0080-\uffff]/;

/** Whether every (folded) search term appears in the client's own name, email or code, accents and case aside. */
function matchesOwnFields(row: { company_name: string; email: string; code: string }, terms: string[]): boolean {
  const own = `${row.company_name} ${row.email} ${row.code}`;
  // Folding is what costs here (a Unicode normalisation per row); plain ASCII only needs lower case.
  const haystack = nonAscii.test(own) ? foldForSearch(own) : own.toLowerCase();
  return terms.every((term) => haystack.includes(term));
}

/** The fields whose changes the history shows, in the order the profile lists them. */
export const auditedClientFields = [
  'code', 'company_name', 'email', 'area_id', 'phone', 'website', 'comments', 'status', 'owner_id',
  'default_fee_percent', 'default_guarantee_days', 'default_payment_terms_days', 'lead_id', 'archived_at',
] as const satisfies (keyof ClientRecord)[];

export async function loadClient(ctx: HandlerContext, id: string): Promise<Client> {
  const row = await findClientById(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', 'This client does not exist or was removed.');
  return toClient(row);
}

function encodeCursor(value: string, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string | null): { value: string; id: string } | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the validation error below
  }
  throw new AppError('VALIDATION', 'The list position is not valid any more; reload the list.', { fields: [{ path: 'cursor', message: 'invalid_cursor' }] });
}

/** Validates references, normalises the phone and applies the duplicate rules; throws what the user must fix. */
async function prepareClientFields(
  ctx: HandlerContext,
  trx: HandlerContext['db'],
  input: ParsedClientFields & { acknowledgedDuplicateIds: string[] },
  existing: ClientRecord | null,
) {
  const settings = await loadSettings({ ...ctx, db: trx });
  const phone = normalizePhone(input.phone, settings.defaultCountry);
  if (!phone.ok) throw new AppError('VALIDATION', 'The phone number is not valid.', { fields: [{ path: 'phone', message: phone.message }] });

  const area = await findArea(trx, input.areaId);
  if (!area || (!area.active && existing?.area_id !== input.areaId)) {
    throw new AppError('VALIDATION', 'Choose an area from the list.', { fields: [{ path: 'areaId', message: 'unknown_area' }] });
  }
  if (input.ownerId && input.ownerId !== existing?.owner_id) {
    const owner = await findUser(trx, input.ownerId);
    if (!owner || !owner.active) throw new AppError('VALIDATION', 'Choose an active team member as owner.', { fields: [{ path: 'ownerId', message: 'unknown_user' }] });
  }

  // Checked inside the write transaction: a duplicate saved since the live check still blocks this save.
  const duplicates = await findDuplicates(trx, { companyName: input.companyName, email: input.email, website: input.website, excludeId: existing?.id ?? null }, existing ?? undefined);
  if (duplicates.blocking.length) {
    throw new AppError('DUPLICATE', 'A client with the same email or company name already exists.', { matches: duplicates.blocking });
  }
  const unacknowledged = duplicates.warnings.filter((w) => !input.acknowledgedDuplicateIds.includes(w.id));
  if (unacknowledged.length) {
    throw new AppError('DUPLICATE', 'This client looks like existing clients; confirm to save anyway.', { matches: duplicates.warnings });
  }
  const note = duplicates.warnings.length
    ? `Saved despite possible duplicates: ${duplicates.warnings.map((w) => `${w.code} ${w.companyName} (${w.reasons.join(', ')})`).join('; ')}`
    : null;

  return {
    fields: {
      company_name: input.companyName,
      email: input.email,
      area_id: input.areaId,
      phone: phone.value,
      website: input.website,
      comments: input.comments,
      status: input.status,
      owner_id: input.ownerId,
      default_fee_percent: input.defaultFeePercent,
      default_guarantee_days: input.defaultGuaranteeDays,
      default_payment_terms_days: input.defaultPaymentTermsDays,
      name_key: normalizeCompanyName(input.companyName),
      email_key: normalizeEmail(input.email),
      domain_key: websiteDomain(input.website),
    },
    note,
  };
}

async function setArchived(ctx: HandlerContext, id: string, version: number, archive: boolean): Promise<Client> {
  const at = ctx.now().toISOString();
  const userId = await currentUserId(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const existing = await findClientRecord(trx, id);
    if (!existing) throw new AppError('NOT_FOUND', 'This client does not exist or was removed.');
    if (archive === (existing.archived_at !== null)) return;
    if (!archive) {
      // Restoring must not bring back a duplicate that was created while this client was archived.
      const duplicates = await findBlockingDuplicates(trx, { nameKey: existing.name_key, emailKey: existing.email_key, excludeId: id });
      if (duplicates.length) {
        throw new AppError('DUPLICATE', 'An active client with the same email or company name exists.', {
          matches: duplicates.map((d) => ({ id: d.id, code: d.code, companyName: d.company_name, email: d.email, reasons: [d.email_key === existing.email_key ? 'email' : 'name'] })),
        });
      }
    }
    const archivedAt = archive ? at : null;
    if (!(await updateClientRow(trx, id, version, { archived_at: archivedAt, updated_at: at }))) throw staleEdit();
    await appendChange(trx, {
      id: ctx.newId(),
      entity: 'client',
      entityId: id,
      clientId: id,
      operation: archive ? 'delete' : 'restore',
      changes: { archived_at: { old: existing.archived_at, new: archivedAt } },
      userId,
      deviceId: ctx.deviceId,
      changedAt: at,
    });
  });
  return loadClient(ctx, id);
}

function staleEdit() {
  return new AppError('CONFLICT', 'This client was changed meanwhile; reload it and apply your change again.');
}

export const clientHandlers: HandlerMap<
  'clients.create' | 'clients.update' | 'clients.checkDuplicates' | 'clients.get' | 'clients.archive' | 'clients.restore' | 'clients.history' | 'clients.metrics' | 'clients.list'
> = {
  'clients.create': async (ctx, input) => {
    const id = ctx.newId();
    const at = ctx.now().toISOString();
    const userId = await currentUserId(ctx);

    await ctx.db.transaction().execute(async (trx) => {
      const { fields, note } = await prepareClientFields(ctx, trx, input, null);
      const record: Omit<ClientRecord, 'seq'> = {
        ...fields,
        id,
        code: await nextCode(trx, `CL-${ctx.deviceTag}`),
        owner_id: fields.owner_id ?? userId,
        lead_id: null,
        created_at: at,
        updated_at: at,
        archived_at: null,
        last_activity_at: null,
        version: 1,
        search_text: '',
      };
      record.search_text = clientSearchText(record, []);
      await insertClient(trx, record);
      await appendChange(trx, {
        id: ctx.newId(),
        entity: 'client',
        entityId: id,
        clientId: id,
        operation: 'create',
        changes: diffFields(null, record, [...auditedClientFields]),
        note,
        userId,
        deviceId: ctx.deviceId,
        changedAt: at,
      });
    });
    return loadClient(ctx, id);
  },

  'clients.update': async (ctx, input) => {
    const at = ctx.now().toISOString();
    const userId = await currentUserId(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const existing = await findClientRecord(trx, input.id);
      if (!existing) throw new AppError('NOT_FOUND', 'This client does not exist or was removed.');
      if (existing.version !== input.version) throw staleEdit();
      const { fields, note } = await prepareClientFields(ctx, trx, input, existing);
      const changes = diffFields(existing, { ...existing, ...fields }, [...auditedClientFields]);
      if (!Object.keys(changes).length) return;
      if (!(await updateClientRow(trx, input.id, input.version, { ...fields, updated_at: at }))) throw staleEdit();
      await refreshClientSearchText(trx, input.id);
      await appendChange(trx, {
        id: ctx.newId(),
        entity: 'client',
        entityId: input.id,
        clientId: input.id,
        operation: 'update',
        changes,
        note,
        userId,
        deviceId: ctx.deviceId,
        changedAt: at,
      });
    });
    return loadClient(ctx, input.id);
  },

  'clients.checkDuplicates': (ctx, input) => findDuplicates(ctx.db, input),

  'clients.get': async (ctx, input) => {
    const client = await loadClient(ctx, input.id);
    const [counts, satisfaction] = await Promise.all([countClientRelations(ctx.db, input.id), satisfactionOf(ctx.db, input.id)]);
    return { client, counts, satisfaction };
  },

  'clients.archive': (ctx, input) => setArchived(ctx, input.id, input.version, true),
  'clients.restore': (ctx, input) => setArchived(ctx, input.id, input.version, false),

  'clients.history': async (ctx, input) => {
    const before = input.cursor === null ? null : Number(input.cursor);
    if (before !== null && !Number.isInteger(before)) throw new AppError('VALIDATION', 'Invalid history position.', { fields: [{ path: 'cursor', message: 'invalid_cursor' }] });
    const rows = await listClientHistory(ctx.db, input.clientId, input.limit + 1, before);
    const page = rows.slice(0, input.limit);
    const names = await referenceNames(ctx, page.map((r) => r.changes));
    const labels = await entityLabels(ctx, page);
    return {
      entries: page.map((row) => ({
        id: row.id,
        entity: row.entity,
        entityId: row.entity_id,
        entityLabel: labels.get(row.entity_id) ?? null,
        operation: row.operation,
        changes: Object.entries(JSON.parse(row.changes) as FieldChanges).map(([field, change]) => ({
          field,
          old: displayValue(field, change.old, names),
          new: displayValue(field, change.new, names),
        })),
        note: row.note,
        userName: row.user_name,
        changedAt: row.changed_at,
      })),
      nextCursor: rows.length > input.limit && page.length ? String(page.at(-1)!.seq) : null,
    };
  },

  'clients.metrics': (ctx, input) => {
    const now = ctx.now();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    const thirtyDaysAgo = new Date(now.getTime() - 30 * 86_400_000).toISOString();
    return clientMetrics(ctx.db, input, { monthStart, thirtyDaysAgo });
  },

  'clients.list': async (ctx, input) => {
    const rows = await listClients(ctx.db, {
      search: input.search,
      statuses: input.statuses,
      areaIds: input.areaIds,
      ownerIds: input.ownerIds,
      createdFrom: input.createdFrom,
      createdTo: input.createdTo,
      includeArchived: input.includeArchived,
      sort: input.sort,
      direction: input.direction,
      limit: input.limit + 1,
      after: decodeCursor(input.cursor),
    });
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    // Rows found through a contact say which contact matched.
    const terms = searchTerms(input.search);
    const viaContact = terms.length ? page.filter((r) => !matchesOwnFields(r, terms)).map((r) => r.id) : [];
    const contacts = viaContact.length ? await matchingContacts(ctx.db, viaContact, input.search) : [];
    const contactOf = new Map(contacts.map((c) => [c.client_id, { name: c.name, email: c.email }]));
    return {
      rows: page.map((r) => toRow(r, contactOf.get(r.id) ?? null)),
      nextCursor: rows.length > input.limit && last ? encodeCursor(String(last.sort_value), last.id) : null,
    };
  },
};

/** History shows names, not ids: area and owner ids in the log are resolved when read. */
async function referenceNames(ctx: HandlerContext, changeJsons: string[]) {
  const ids = new Set<string>();
  for (const json of changeJsons) {
    const changes = JSON.parse(json) as FieldChanges;
    for (const field of ['area_id', 'owner_id']) {
      for (const v of [changes[field]?.old, changes[field]?.new]) if (typeof v === 'string') ids.add(v);
    }
  }
  const names = new Map<string, string>();
  if (!ids.size) return names;
  const [areas, users] = await Promise.all([
    ctx.db.selectFrom('areas').select(['id', 'name', 'key']).where('id', 'in', [...ids]).execute(),
    ctx.db.selectFrom('users').select(['id', 'name']).where('id', 'in', [...ids]).execute(),
  ]);
  // Built-in areas travel as "area:<key>" so the renderer can translate them.
  for (const a of areas) names.set(a.id, a.key ? `area:${a.key}` : a.name);
  for (const u of users) names.set(u.id, u.name);
  return names;
}

function displayValue(field: string, value: unknown, names: Map<string, string>): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if ((field === 'area_id' || field === 'owner_id') && typeof value === 'string') return names.get(value) ?? value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Names of the contacts, codes and titles of the job postings and events (even removed ones) that history entries refer to. */
async function entityLabels(ctx: HandlerContext, rows: { entity: string; entity_id: string }[]) {
  const ids = (entity: string) => [...new Set(rows.filter((r) => r.entity === entity).map((r) => r.entity_id))];
  const labels = new Map<string, string>();
  const [contactIds, jobIds, eventIds] = [ids('contact'), ids('job'), ids('event')];
  if (contactIds.length) for (const c of await ctx.db.selectFrom('client_contacts').select(['id', 'name']).where('id', 'in', contactIds).execute()) labels.set(c.id, c.name);
  if (jobIds.length) for (const j of await ctx.db.selectFrom('jobs').select(['id', 'code', 'title']).where('id', 'in', jobIds).execute()) labels.set(j.id, `${j.code} ${j.title}`);
  if (eventIds.length) for (const e of await ctx.db.selectFrom('events').select(['id', 'title']).where('id', 'in', eventIds).execute()) labels.set(e.id, e.title);
  return labels;
}
