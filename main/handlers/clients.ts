import { AppError } from '../../contract';
import type { Client, ClientRow, ParsedClientFields } from '../../contract/clients';
import { foldForSearch } from '../../contract/normalize';
import { normalizePhone } from '../../contract/phone';
import { findArea } from '../../db/repositories/areas';
import {
  countClientRelations,
  createClient,
  findClientById,
  findClientRecord,
  listClients,
  matchingContacts,
  searchTerms,
  setClientArchived,
  updateClient,
  type ClientListRow,
  type ClientRecord,
} from '../../db/repositories/clients';
import { StaleRecordError } from '../../db/sync/write';
import { satisfactionOf } from '../../db/repositories/events';
import { clientMetrics } from '../../db/repositories/metrics';
import { nextCode } from '../../db/repositories/codes';
import { findUser } from '../../db/repositories/users';
import { mergedInto } from '../../db/repositories/merges';
import { findCompanyDuplicates } from '../duplicates/companies';
import { actorOf, savingVersion } from './actor';
import type { HandlerContext } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import { clientHistory } from './history';
import { loadSettings } from './settings';
import type { HandlerMap } from './types';

/** Where a merged-away client lives on: the survivor of its merge, followed through later merges. */
async function survivorOf(ctx: HandlerContext, id: string) {
  let merge = await mergedInto(ctx.db, id);
  if (!merge) return null;
  const mergeId = merge.id;
  let survivorId = merge.survivor_id;
  for (let hops = 0; hops < 20 && (merge = await mergedInto(ctx.db, survivorId)); hops++) survivorId = merge.survivor_id;
  const survivor = await findClientRecord(ctx.db, survivorId);
  return survivor ? { mergeId, id: survivor.id, code: survivor.code, companyName: survivor.company_name } : null;
}

const notFound = () => new AppError('NOT_FOUND', 'This client does not exist or was removed.', { reason: 'client_not_found' });

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

export async function loadClient(ctx: HandlerContext, id: string): Promise<Client> {
  const row = await findClientById(ctx.db, id);
  if (!row) throw notFound();
  return toClient(row);
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
  const duplicates = await findCompanyDuplicates(trx, { companyName: input.companyName, email: input.email, website: input.website, excludeId: existing?.id ?? null }, existing ?? undefined);
  if (duplicates.blocking.length) {
    throw new AppError('DUPLICATE', 'A client with the same email or company name already exists.', { reason: 'duplicate_client', matches: duplicates.blocking });
  }
  const unacknowledged = duplicates.warnings.filter((w) => !input.acknowledgedDuplicateIds.includes(w.id));
  if (unacknowledged.length) {
    throw new AppError('DUPLICATE', 'This client looks like existing clients; confirm to save anyway.', { reason: 'possible_duplicate', matches: duplicates.warnings });
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
    },
    note,
  };
}

async function setArchived(ctx: HandlerContext, id: string, version: number, archive: boolean): Promise<Client> {
  const actor = await actorOf(ctx);
  await savingVersion(() => ctx.db.transaction().execute(async (trx) => {
    const existing = await findClientRecord(trx, id);
    if (!existing) throw notFound();
    if (archive === (existing.archived_at !== null)) return;
    if (!archive) {
      // Restoring must not bring back a duplicate that was created while this client was archived.
      const duplicates = await findCompanyDuplicates(trx, { companyName: existing.company_name, email: existing.email, website: existing.website, excludeId: id });
      if (duplicates.blocking.length) {
        throw new AppError('DUPLICATE', 'An active client with the same email or company name exists.', { reason: 'restore_duplicate', matches: duplicates.blocking });
      }
    }
    await setClientArchived(trx, actor, id, archive, { version });
  }), () => loadClient(ctx, id), stale);
  return loadClient(ctx, id);
}

const stale = { reason: 'client_changed', message: 'This client was changed meanwhile; reload it and apply your change again.' } as const;

export const clientHandlers: HandlerMap<
  'clients.create' | 'clients.update' | 'clients.checkDuplicates' | 'clients.get' | 'clients.archive' | 'clients.restore' | 'clients.history' | 'clients.metrics' | 'clients.list' | 'clients.mergedByCode'
> = {
  'clients.create': async (ctx, input) => {
    const id = ctx.newId();
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const { fields, note } = await prepareClientFields(ctx, trx, input, null);
      const code = await nextCode(trx, 'CL');
      await createClient(trx, actor, { ...fields, id, code, owner_id: fields.owner_id ?? actor.userId, lead_id: null, created_at: actor.at, archived_at: null }, note);
    });
    return loadClient(ctx, id);
  },

  'clients.update': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await savingVersion(
      () =>
        ctx.db.transaction().execute(async (trx) => {
          const existing = await findClientRecord(trx, input.id);
          if (!existing) throw notFound();
          // Checked before the duplicate rules: a stale form is answered with what changed, not with a warning.
          if (existing.version !== input.version) throw new StaleRecordError('client', input.id, existing);
          const { fields, note } = await prepareClientFields(ctx, trx, input, existing);
          await updateClient(trx, actor, input.id, fields, { version: input.version, note });
        }),
      () => loadClient(ctx, input.id),
      stale,
    );
    return loadClient(ctx, input.id);
  },

  'clients.checkDuplicates': async (ctx, input) => {
    // An edit is checked on the fields it changes only (see findCompanyDuplicates).
    const stored = input.excludeId ? await findClientRecord(ctx.db, input.excludeId) : undefined;
    return findCompanyDuplicates(ctx.db, input, stored ?? undefined);
  },

  'clients.get': async (ctx, input) => {
    const client = await loadClient(ctx, input.id);
    const [counts, satisfaction] = await Promise.all([countClientRelations(ctx.db, input.id), satisfactionOf(ctx.db, input.id)]);
    return { client, counts, satisfaction, mergedInto: client.archivedAt ? await survivorOf(ctx, input.id) : null };
  },

  'clients.mergedByCode': async (ctx, input) => {
    const code = input.code.trim().toUpperCase();
    if (!code) return null;
    const merged = await ctx.db.selectFrom('clients').select(['id', 'code', 'company_name']).where('code', '=', code).where('archived_at', 'is not', null).executeTakeFirst();
    const survivor = merged ? await survivorOf(ctx, merged.id) : null;
    return merged && survivor ? { code: merged.code, companyName: merged.company_name, survivor: { id: survivor.id, code: survivor.code, companyName: survivor.companyName } } : null;
  },
  'clients.archive': (ctx, input) => setArchived(ctx, input.id, input.version, true),
  'clients.restore': (ctx, input) => setArchived(ctx, input.id, input.version, false),

  'clients.history': (ctx, input) => clientHistory(ctx, input),

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
