import { sql } from 'kysely';
import { AppError, type DuplicateMatch } from '../../contract';
import type { Lead } from '../../contract/leads';
import { normalizeCompanyName, normalizeEmail, websiteDomain } from '../../contract/normalize';
import { normalizePhone } from '../../contract/phone';
import { appendChange, diffFields } from '../../db/repositories/changeLog';
import { clientSearchText, insertClient, type ClientRecord } from '../../db/repositories/clients';
import { nextCode } from '../../db/repositories/codes';
import { refreshLastActivity } from '../../db/repositories/events';
import type { DB, LeadsTable } from '../../db/schema';
import type { Kysely, Selectable } from 'kysely';
import type { HandlerContext } from './context';
import { currentUserId } from './currentUser';
import { findDuplicates } from './duplicates';
import { loadEventsFor } from './events';
import { loadSettings } from './settings';
import type { HandlerMap } from './types';

type LeadRow = Selectable<LeadsTable> & { owner_name: string | null; client_name: string | null };

function selectLeads(db: Kysely<DB>) {
  return db
    .selectFrom('leads as l')
    .leftJoin('users as u', 'u.id', 'l.owner_id')
    .leftJoin('clients as c', 'c.id', 'l.client_id')
    .selectAll('l')
    .select(['u.name as owner_name', 'c.company_name as client_name'])
    .where('l.deleted_at', 'is', null);
}

function toLead(r: LeadRow): Lead {
  return {
    id: r.id, companyName: r.company_name, contactName: r.contact_name, email: r.email, phone: r.phone, areaId: r.area_id, source: r.source, stage: r.stage,
    ownerId: r.owner_id, ownerName: r.owner_name, expectedValueMinor: r.expected_value_minor, expectedValueCurrency: r.expected_value_currency,
    lostReason: r.lost_reason, clientId: r.client_id, clientName: r.client_name,
    reviewCandidates: r.review_candidates ? (JSON.parse(r.review_candidates) as DuplicateMatch[]) : null,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

async function loadLead(db: Kysely<DB>, id: string): Promise<Lead> {
  const row = await selectLeads(db).where('l.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'This lead does not exist any more.');
  return toLead(row);
}

/** Fields a converted lead shares with its client: they belong to the client from then on. */
const copiedFields = ['company_name', 'contact_name', 'email', 'phone', 'area_id', 'owner_id'] as const;
const auditedLeadFields = [...copiedFields, 'source', 'stage', 'expected_value_minor', 'expected_value_currency', 'lost_reason', 'client_id'] as const;

type Outcome = 'created' | 'linked' | 'existing' | 'review' | 'lost' | 'recorded';

async function addClientEvent(ctx: HandlerContext, trx: Kysely<DB>, clientId: string, title: string, notes: string | null, at: string, occurredAt: string, userId: string | null) {
  await trx
    .insertInto('events')
    .values({ id: ctx.newId(), client_id: clientId, lead_id: null, type: 'won_deal', title, notes, occurred_at: occurredAt, score: null, amount_minor: null, amount_currency: null, proposal_state: null, created_by: userId, created_at: at, updated_at: at, deleted_at: null })
    .execute();
  await refreshLastActivity(trx, clientId);
}

async function linkLead(ctx: HandlerContext, trx: Kysely<DB>, lead: Selectable<LeadsTable>, clientId: string, at: string, occurredAt: string, userId: string | null) {
  await trx.updateTable('leads').set({ client_id: clientId, stage: 'won', review_candidates: null, updated_at: at }).where('id', '=', lead.id).execute();
  // The client keeps its own origin if it already had one.
  await trx.updateTable('clients').set({ lead_id: lead.id }).where('id', '=', clientId).where('lead_id', 'is', null).execute();
  await addClientEvent(ctx, trx, clientId, `Won deal: ${lead.company_name}`, `Lead ${lead.company_name} was linked to this existing client.`, at, occurredAt, userId);
  await appendChange(trx, { id: ctx.newId(), entity: 'lead', entityId: lead.id, clientId, operation: 'update', changes: { client_id: { old: null, new: clientId }, stage: { old: lead.stage, new: 'won' } }, note: 'Linked to an existing client', userId, deviceId: ctx.deviceId, changedAt: at });
}

async function createClientFromLead(ctx: HandlerContext, trx: Kysely<DB>, lead: Selectable<LeadsTable>, at: string, occurredAt: string, userId: string | null): Promise<string> {
  const missing = [...(!lead.email ? [{ path: 'email', message: 'required' }] : []), ...(!lead.area_id ? [{ path: 'areaId', message: 'required' }] : [])];
  if (missing.length) throw new AppError('VALIDATION', 'Add the lead’s email and area before recording the won deal: the client needs them.', { fields: missing });
  const settings = await loadSettings({ ...ctx, db: trx });
  const phone = normalizePhone(lead.phone, settings.defaultCountry);
  const id = ctx.newId();
  const record: Omit<ClientRecord, 'seq'> = {
    id, code: await nextCode(trx, `CL-${ctx.deviceTag}`), company_name: lead.company_name, email: lead.email!, area_id: lead.area_id!, phone: phone.ok ? phone.value : lead.phone,
    website: null, comments: null, status: 'active', owner_id: lead.owner_id ?? userId, name_key: normalizeCompanyName(lead.company_name), email_key: normalizeEmail(lead.email!),
    domain_key: websiteDomain(null), default_fee_percent: null, default_guarantee_days: null, default_payment_terms_days: null, lead_id: lead.id,
    created_at: at, updated_at: at, archived_at: null, last_activity_at: null, version: 1, search_text: '',
  };
  const contacts = lead.contact_name ? [{ name: lead.contact_name, email: lead.email }] : [];
  record.search_text = clientSearchText(record, contacts);
  await insertClient(trx, record);
  if (lead.contact_name) {
    await trx.insertInto('client_contacts').values({ id: ctx.newId(), client_id: id, name: lead.contact_name, role: null, email: lead.email, email_key: lead.email ? normalizeEmail(lead.email) : null, phone: record.phone, is_primary: 1, notes: null, created_at: at, updated_at: at, deleted_at: null }).execute();
  }
  await addClientEvent(ctx, trx, id, `Won deal: ${lead.company_name}`, null, at, occurredAt, userId);
  await trx.updateTable('leads').set({ client_id: id, stage: 'won', review_candidates: null, updated_at: at }).where('id', '=', lead.id).execute();
  await appendChange(trx, { id: ctx.newId(), entity: 'client', entityId: id, clientId: id, operation: 'create', changes: diffFields(null, record, ['code', 'company_name', 'email', 'area_id', 'phone', 'owner_id', 'lead_id']), note: 'Created from a won deal', userId, deviceId: ctx.deviceId, changedAt: at });
  return id;
}

/**
 * Converts a won lead, inside the caller's transaction. The lead row is read again in the transaction and the
 * database allows one client per lead, so a repeated Won Deal, a retry after a crash or two quick clicks
 * always end with the one client the first created.
 */
async function convert(ctx: HandlerContext, trx: Kysely<DB>, leadId: string, at: string, occurredAt: string, userId: string | null, force: { linkTo?: string; create?: boolean } = {}): Promise<{ outcome: Outcome; clientId: string | null }> {
  const lead = await trx.selectFrom('leads').selectAll().where('id', '=', leadId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!lead) throw new AppError('NOT_FOUND', 'This lead does not exist any more.');
  if (lead.client_id) return { outcome: 'existing', clientId: lead.client_id };
  const existingByLead = await trx.selectFrom('clients').select('id').where('lead_id', '=', lead.id).executeTakeFirst();
  if (existingByLead) {
    await trx.updateTable('leads').set({ client_id: existingByLead.id, stage: 'won', updated_at: at }).where('id', '=', lead.id).execute();
    return { outcome: 'existing', clientId: existingByLead.id };
  }
  if (force.linkTo) {
    const target = await trx.selectFrom('clients').select('id').where('id', '=', force.linkTo).executeTakeFirst();
    if (!target) throw new AppError('NOT_FOUND', 'This client does not exist or was removed.');
    await linkLead(ctx, trx, lead, target.id, at, occurredAt, userId);
    return { outcome: 'linked', clientId: target.id };
  }
  const duplicates = await findDuplicates(trx, { companyName: lead.company_name, email: lead.email ?? '' });
  if (duplicates.blocking.length) {
    await linkLead(ctx, trx, lead, duplicates.blocking[0]!.id, at, occurredAt, userId);
    return { outcome: 'linked', clientId: duplicates.blocking[0]!.id };
  }
  if (duplicates.warnings.length && !force.create) {
    await trx.updateTable('leads').set({ stage: 'won', review_candidates: JSON.stringify(duplicates.warnings), updated_at: at }).where('id', '=', lead.id).execute();
    return { outcome: 'review', clientId: null };
  }
  return { outcome: 'created', clientId: await createClientFromLead(ctx, trx, lead, at, occurredAt, userId) };
}

export const leadHandlers: HandlerMap<'leads.list' | 'leads.get' | 'leads.create' | 'leads.update' | 'leads.events' | 'leads.recordEvent' | 'leads.resolveReview'> = {
  'leads.list': async (ctx, input) => {
    let query = selectLeads(ctx.db);
    if (input.stages.length) query = query.where('l.stage', 'in', input.stages);
    if (input.ownerIds.length) query = query.where('l.owner_id', 'in', input.ownerIds);
    if (input.toReview) query = query.where('l.review_candidates', 'is not', null);
    for (const term of input.search.trim().split(/\s+/).filter(Boolean)) {
      const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(sql<boolean>`(l.company_name LIKE ${like} ESCAPE '\\' OR ifnull(l.contact_name, '') LIKE ${like} ESCAPE '\\' OR ifnull(l.email, '') LIKE ${like} ESCAPE '\\')`);
    }
    if (input.cursor) {
      const [createdAt, id] = input.cursor.split('|');
      query = query.where(sql<boolean>`(l.created_at < ${createdAt} OR (l.created_at = ${createdAt} AND l.id < ${id}))`);
    }
    const rows = await query.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(input.limit + 1).execute();
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return { rows: page.map(toLead), nextCursor: rows.length > input.limit && last ? `${last.created_at}|${last.id}` : null };
  },

  'leads.get': (ctx, input) => loadLead(ctx.db, input.id),

  'leads.create': async (ctx, input) => {
    const id = ctx.newId();
    const at = ctx.now().toISOString();
    const userId = await currentUserId(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const row = {
        id, company_name: input.companyName, contact_name: input.contactName, email: input.email, phone: input.phone, area_id: input.areaId, source: input.source, stage: input.stage,
        owner_id: input.ownerId ?? userId, expected_value_minor: input.expectedValueMinor, expected_value_currency: input.expectedValueCurrency, lost_reason: null, client_id: null,
        review_candidates: null, created_at: at, updated_at: at, deleted_at: null,
      };
      await trx.insertInto('leads').values(row).execute();
      await appendChange(trx, { id: ctx.newId(), entity: 'lead', entityId: id, clientId: null, operation: 'create', changes: diffFields(null, row, [...auditedLeadFields]), userId, deviceId: ctx.deviceId, changedAt: at });
    });
    return loadLead(ctx.db, id);
  },

  'leads.update': async (ctx, input) => {
    const at = ctx.now().toISOString();
    const userId = await currentUserId(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('leads').selectAll().where('id', '=', input.id).where('deleted_at', 'is', null).executeTakeFirst();
      if (!existing) throw new AppError('NOT_FOUND', 'This lead does not exist any more.');
      const patch = {
        company_name: input.companyName, contact_name: input.contactName, email: input.email, phone: input.phone, area_id: input.areaId, source: input.source,
        // Won and lost are outcomes of events; editing keeps them.
        stage: existing.stage === 'won' || existing.stage === 'lost' ? existing.stage : input.stage,
        owner_id: input.ownerId, expected_value_minor: input.expectedValueMinor, expected_value_currency: input.expectedValueCurrency,
      };
      if (existing.client_id) {
        const changed = copiedFields.filter((f) => (existing[f] ?? null) !== (patch[f] ?? null));
        if (changed.length) {
          throw new AppError('VALIDATION', 'This lead became a client: its company data is edited on the client now.', { fields: changed.map((f) => ({ path: f.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), message: 'readonly' })) });
        }
      }
      const changes = diffFields(existing, { ...existing, ...patch }, [...auditedLeadFields]);
      if (!Object.keys(changes).length) return;
      await trx.updateTable('leads').set({ ...patch, updated_at: at }).where('id', '=', input.id).execute();
      await appendChange(trx, { id: ctx.newId(), entity: 'lead', entityId: input.id, clientId: existing.client_id, operation: 'update', changes, userId, deviceId: ctx.deviceId, changedAt: at });
    });
    return loadLead(ctx.db, input.id);
  },

  'leads.events': async (ctx, input) => {
    const rows = await ctx.db
      .selectFrom('events as e')
      .leftJoin('users as u', 'u.id', 'e.created_by')
      .selectAll('e')
      .select('u.name as created_by_name')
      .where('e.lead_id', '=', input.leadId)
      .where('e.deleted_at', 'is', null)
      .orderBy('e.occurred_at', 'desc')
      .limit(500)
      .execute();
    return loadEventsFor(ctx, rows);
  },

  'leads.recordEvent': async (ctx, input) => {
    const at = ctx.now().toISOString();
    const userId = await currentUserId(ctx);
    let outcome: Outcome = 'recorded';
    let clientId: string | null = null;
    await ctx.db.transaction().execute(async (trx) => {
      const lead = await trx.selectFrom('leads').selectAll().where('id', '=', input.leadId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!lead) throw new AppError('NOT_FOUND', 'This lead does not exist any more.');
      await trx
        .insertInto('events')
        .values({ id: ctx.newId(), client_id: null, lead_id: lead.id, type: input.type, title: input.title, notes: input.type === 'lost_deal' ? input.lostReason : input.notes, occurred_at: input.occurredAt, score: null, amount_minor: null, amount_currency: null, proposal_state: null, created_by: userId, created_at: at, updated_at: at, deleted_at: null })
        .execute();
      if (input.type === 'won_deal') {
        ({ outcome, clientId } = await convert(ctx, trx, lead.id, at, input.occurredAt, userId));
      } else if (input.type === 'lost_deal' && !lead.client_id) {
        await trx.updateTable('leads').set({ stage: 'lost', lost_reason: input.lostReason, updated_at: at }).where('id', '=', lead.id).execute();
        await appendChange(trx, { id: ctx.newId(), entity: 'lead', entityId: lead.id, clientId: null, operation: 'update', changes: { stage: { old: lead.stage, new: 'lost' }, lost_reason: { old: lead.lost_reason, new: input.lostReason } }, userId, deviceId: ctx.deviceId, changedAt: at });
        outcome = 'lost';
      } else {
        clientId = lead.client_id;
      }
    });
    return { lead: await loadLead(ctx.db, input.leadId), outcome, clientId };
  },

  'leads.resolveReview': async (ctx, input) => {
    const at = ctx.now().toISOString();
    const userId = await currentUserId(ctx);
    let result: { outcome: Outcome; clientId: string | null } = { outcome: 'existing', clientId: null };
    await ctx.db.transaction().execute(async (trx) => {
      if (input.action === 'link' && !input.clientId) throw new AppError('VALIDATION', 'Choose the client to link the lead to.', { fields: [{ path: 'clientId', message: 'required' }] });
      result = await convert(ctx, trx, input.leadId, at, at, userId, input.action === 'link' ? { linkTo: input.clientId! } : { create: true });
    });
    return { lead: await loadLead(ctx.db, input.leadId), ...result };
  },
};
