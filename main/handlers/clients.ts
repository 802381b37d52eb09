import { AppError } from '../../contract';
import type { Client, ClientRow } from '../../contract/clients';
import { normalizeCompanyName, normalizeEmail, websiteDomain } from '../../contract/normalize';
import { findArea } from '../../db/repositories/areas';
import { appendChange, diffFields } from '../../db/repositories/changeLog';
import { findBlockingDuplicates, findClientById, insertClient, listClients, type ClientRecord } from '../../db/repositories/clients';
import { nextCode } from '../../db/repositories/codes';
import { findUser } from '../../db/repositories/users';
import type { HandlerContext } from './context';
import { currentUserId } from './currentUser';
import type { HandlerMap } from './types';

type ClientView = Awaited<ReturnType<typeof findClientById>> & {};

export function toClient(row: ClientView): Client {
  return {
    id: row.id,
    code: row.code,
    companyName: row.company_name,
    email: row.email,
    areaId: row.area_id,
    areaName: row.area_name,
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

function toRow(row: ClientView): ClientRow {
  return {
    id: row.id,
    code: row.code,
    companyName: row.company_name,
    email: row.email,
    areaId: row.area_id,
    areaName: row.area_name,
    areaKey: row.area_key,
    status: row.status,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
  };
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

export const clientHandlers: HandlerMap<'clients.create' | 'clients.get' | 'clients.list'> = {
  'clients.create': async (ctx, input) => {
    const nameKey = normalizeCompanyName(input.companyName);
    const emailKey = normalizeEmail(input.email);
    const id = ctx.newId();
    const at = ctx.now().toISOString();
    const userId = await currentUserId(ctx);

    await ctx.db.transaction().execute(async (trx) => {
      const area = await findArea(trx, input.areaId);
      if (!area) throw new AppError('VALIDATION', 'Choose an area from the list.', { fields: [{ path: 'areaId', message: 'unknown_area' }] });
      if (input.ownerId) {
        const owner = await findUser(trx, input.ownerId);
        if (!owner || !owner.active) throw new AppError('VALIDATION', 'Choose an active team member as owner.', { fields: [{ path: 'ownerId', message: 'unknown_user' }] });
      }
      // Checked inside the write transaction: a duplicate created since the live check still blocks this save.
      const duplicates = await findBlockingDuplicates(trx, { nameKey, emailKey });
      if (duplicates.length) {
        throw new AppError('DUPLICATE', 'A client with the same email or company name already exists.', {
          matches: duplicates.map((d) => ({
            id: d.id,
            code: d.code,
            companyName: d.company_name,
            email: d.email,
            reasons: [...(d.email_key === emailKey ? ['email'] : []), ...(d.name_key === nameKey ? ['name'] : [])],
          })),
        });
      }
      const record: Omit<ClientRecord, 'seq'> = {
        id,
        code: await nextCode(trx, `CL-${ctx.deviceTag}`),
        company_name: input.companyName,
        email: input.email,
        area_id: input.areaId,
        phone: input.phone,
        website: input.website,
        comments: input.comments,
        status: input.status,
        owner_id: input.ownerId ?? userId,
        name_key: nameKey,
        email_key: emailKey,
        domain_key: websiteDomain(input.website) ?? null,
        default_fee_percent: null,
        default_guarantee_days: null,
        default_payment_terms_days: null,
        lead_id: null,
        created_at: at,
        updated_at: at,
        archived_at: null,
        last_activity_at: null,
        version: 1,
      };
      await insertClient(trx, record);
      await appendChange(trx, {
        id: ctx.newId(),
        entity: 'client',
        entityId: id,
        clientId: id,
        operation: 'create',
        changes: diffFields(null, record, [...auditedClientFields]),
        userId,
        deviceId: ctx.deviceId,
        changedAt: at,
      });
    });
    return loadClient(ctx, id);
  },

  'clients.get': (ctx, input) => loadClient(ctx, input.id),

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
    return {
      rows: page.map(toRow),
      nextCursor: rows.length > input.limit && last ? encodeCursor(String(last.sort_value), last.id) : null,
    };
  },
};
