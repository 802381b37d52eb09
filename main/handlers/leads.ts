import { sql, type Kysely } from 'kysely';
import { AppError, type DuplicateMatch, type FieldIssue } from '../../contract';
import type { Lead } from '../../contract/leads';
import { normalizePhone } from '../../contract/phone';
import { createClient, findClientRecord, updateClient } from '../../db/repositories/clients';
import { nextCode } from '../../db/repositories/codes';
import { createContact } from '../../db/repositories/contacts';
import { createEvent } from '../../db/repositories/events';
import { createLead, findLeadRecord, selectLeads, updateLead, type LeadRecord } from '../../db/repositories/leads';
import type { DB } from '../../db/schema';
import { StaleRecordError, type Actor } from '../../db/sync/write';
import { actorOf, savingVersion } from './actor';
import type { HandlerContext } from './context';
import { findCompanyDuplicates } from '../duplicates/companies';
import { decodeCursor, encodeCursor, isInstant } from './cursor';
import { loadEventsFor } from './events';
import { loadSettings } from './settings';
import type { HandlerMap } from './types';

type LeadRow = LeadRecord & { owner_name: string | null; client_name: string | null };

function toLead(r: LeadRow): Lead {
  return {
    id: r.id, companyName: r.company_name, contactName: r.contact_name, email: r.email, phone: r.phone, areaId: r.area_id, source: r.source, stage: r.stage,
    ownerId: r.owner_id, ownerName: r.owner_name, expectedValueMinor: r.expected_value_minor, expectedValueCurrency: r.expected_value_currency,
    lostReason: r.lost_reason, clientId: r.client_id, clientName: r.client_name,
    reviewCandidates: r.review_candidates ? (JSON.parse(r.review_candidates) as DuplicateMatch[]) : null,
    createdAt: r.created_at, updatedAt: r.updated_at, version: r.version,
  };
}

const gone = () => new AppError('NOT_FOUND', 'This lead does not exist any more.', { reason: 'lead_not_found' });

async function loadLead(db: Kysely<DB>, id: string): Promise<Lead> {
  const row = await selectLeads(db).where('l.id', '=', id).executeTakeFirst();
  if (!row) throw gone();
  return toLead(row);
}

/** Fields a converted lead shares with its client: they belong to the client from then on. */
const copiedFields = ['company_name', 'contact_name', 'email', 'phone', 'area_id', 'owner_id'] as const;

type Outcome = 'created' | 'linked' | 'existing' | 'review' | 'lost' | 'recorded';

function addEvent(ctx: HandlerContext, trx: Kysely<DB>, actor: Actor, at: { clientId: string | null; leadId: string | null }, fields: { type: string; title: string; notes: string | null; occurredAt: string }) {
  return createEvent(trx, actor, {
    id: ctx.newId(), client_id: at.clientId, lead_id: at.leadId, type: fields.type, title: fields.title, notes: fields.notes, occurred_at: fields.occurredAt,
    score: null, amount_minor: null, amount_currency: null, proposal_state: null, created_by: actor.userId, created_at: actor.at, deleted_at: null,
  });
}

async function linkLead(ctx: HandlerContext, trx: Kysely<DB>, actor: Actor, lead: LeadRecord, clientId: string, occurredAt: string) {
  await updateLead(trx, actor, lead.id, { client_id: clientId, stage: 'won', review_candidates: null }, { note: 'Linked to an existing client' });
  // The client keeps its own origin if it already had one.
  const client = await findClientRecord(trx, clientId);
  if (client && client.lead_id === null) await updateClient(trx, actor, clientId, { lead_id: lead.id });
  await addEvent(ctx, trx, actor, { clientId, leadId: null }, { type: 'won_deal', title: `Won deal: ${lead.company_name}`, notes: `Lead ${lead.company_name} was linked to this existing client.`, occurredAt });
}

async function createClientFromLead(ctx: HandlerContext, trx: Kysely<DB>, actor: Actor, lead: LeadRecord, occurredAt: string): Promise<string> {
  const missing: FieldIssue[] = [...(!lead.email ? [{ path: 'email', message: 'required' as const }] : []), ...(!lead.area_id ? [{ path: 'areaId', message: 'required' as const }] : [])];
  if (missing.length) throw new AppError('VALIDATION', 'Add the lead’s email and area before recording the won deal: the client needs them.', { reason: 'lead_needs_client_data', fields: missing });
  const settings = await loadSettings({ ...ctx, db: trx });
  const phone = normalizePhone(lead.phone, settings.defaultCountry);
  const id = ctx.newId();
  await createClient(
    trx,
    actor,
    {
      id, code: await nextCode(trx, 'CL'), company_name: lead.company_name, email: lead.email!, area_id: lead.area_id!, phone: phone.ok ? phone.value : lead.phone,
      website: null, comments: null, status: 'active', owner_id: lead.owner_id ?? actor.userId, default_fee_percent: null, default_guarantee_days: null,
      default_payment_terms_days: null, lead_id: lead.id, created_at: actor.at, archived_at: null,
    },
    'Created from a won deal',
  );
  if (lead.contact_name) {
    await createContact(trx, actor, { id: ctx.newId(), client_id: id, name: lead.contact_name, role: null, email: lead.email, phone: phone.ok ? phone.value : lead.phone, is_primary: 1, notes: null, created_at: actor.at, deleted_at: null }, 'Created from a won deal');
  }
  await addEvent(ctx, trx, actor, { clientId: id, leadId: null }, { type: 'won_deal', title: `Won deal: ${lead.company_name}`, notes: null, occurredAt });
  await updateLead(trx, actor, lead.id, { client_id: id, stage: 'won', review_candidates: null });
  return id;
}

/**
 * Converts a won lead, inside the caller's transaction. The lead row is read again in the transaction and the
 * database allows one client per lead, so a repeated Won Deal, a retry after a crash or two quick clicks
 * always end with the one client the first created.
 */
async function convert(ctx: HandlerContext, trx: Kysely<DB>, actor: Actor, leadId: string, occurredAt: string, force: { linkTo?: string; create?: boolean } = {}): Promise<{ outcome: Outcome; clientId: string | null }> {
  const lead = await findLeadRecord(trx, leadId);
  if (!lead) throw gone();
  if (lead.client_id) return { outcome: 'existing', clientId: lead.client_id };
  const existingByLead = await trx.selectFrom('clients').select('id').where('lead_id', '=', lead.id).executeTakeFirst();
  if (existingByLead) {
    await updateLead(trx, actor, lead.id, { client_id: existingByLead.id, stage: 'won' });
    return { outcome: 'existing', clientId: existingByLead.id };
  }
  if (force.linkTo) {
    const target = await trx.selectFrom('clients').select('id').where('id', '=', force.linkTo).executeTakeFirst();
    if (!target) throw new AppError('NOT_FOUND', 'This client does not exist or was removed.', { reason: 'client_not_found' });
    await linkLead(ctx, trx, actor, lead, target.id, occurredAt);
    return { outcome: 'linked', clientId: target.id };
  }
  const duplicates = await findCompanyDuplicates(trx, { companyName: lead.company_name, email: lead.email ?? '' });
  if (duplicates.blocking.length) {
    await linkLead(ctx, trx, actor, lead, duplicates.blocking[0]!.id, occurredAt);
    return { outcome: 'linked', clientId: duplicates.blocking[0]!.id };
  }
  if (duplicates.warnings.length && !force.create) {
    await updateLead(trx, actor, lead.id, { stage: 'won', review_candidates: JSON.stringify(duplicates.warnings) });
    return { outcome: 'review', clientId: null };
  }
  return { outcome: 'created', clientId: await createClientFromLead(ctx, trx, actor, lead, occurredAt) };
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
      const { value: createdAt, id } = decodeCursor(input.cursor, isInstant)!;
      query = query.where(sql<boolean>`(l.created_at < ${createdAt} OR (l.created_at = ${createdAt} AND l.id < ${id}))`);
    }
    const rows = await query.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(input.limit + 1).execute();
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return { rows: page.map(toLead), nextCursor: rows.length > input.limit && last ? encodeCursor(last.created_at, last.id) : null };
  },

  'leads.get': (ctx, input) => loadLead(ctx.db, input.id),

  'leads.create': async (ctx, input) => {
    const id = ctx.newId();
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      await createLead(trx, actor, {
        id, company_name: input.companyName, contact_name: input.contactName, email: input.email, phone: input.phone, area_id: input.areaId, source: input.source, stage: input.stage,
        owner_id: input.ownerId ?? actor.userId, expected_value_minor: input.expectedValueMinor, expected_value_currency: input.expectedValueCurrency, lost_reason: null, client_id: null,
        review_candidates: null, created_at: actor.at, deleted_at: null,
      });
    });
    return loadLead(ctx.db, id);
  },

  'leads.update': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await savingVersion(
      () =>
        ctx.db.transaction().execute(async (trx) => {
          const existing = await findLeadRecord(trx, input.id);
          if (!existing) throw gone();
          if (existing.version !== input.version) throw new StaleRecordError('lead', input.id, existing);
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
          await updateLead(trx, actor, input.id, patch, { version: input.version });
        }),
      () => loadLead(ctx.db, input.id),
      { reason: 'lead_changed', message: 'This lead was changed meanwhile; reload it and apply your change again.' },
    );
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
    const actor = await actorOf(ctx);
    let outcome: Outcome = 'recorded';
    let clientId: string | null = null;
    await ctx.db.transaction().execute(async (trx) => {
      const lead = await findLeadRecord(trx, input.leadId);
      if (!lead) throw gone();
      await addEvent(ctx, trx, actor, { clientId: null, leadId: lead.id }, { type: input.type, title: input.title, notes: input.type === 'lost_deal' ? input.lostReason : input.notes, occurredAt: input.occurredAt });
      if (input.type === 'won_deal') {
        ({ outcome, clientId } = await convert(ctx, trx, actor, lead.id, input.occurredAt));
      } else if (input.type === 'lost_deal' && !lead.client_id) {
        await updateLead(trx, actor, lead.id, { stage: 'lost', lost_reason: input.lostReason });
        outcome = 'lost';
      } else {
        clientId = lead.client_id;
      }
    });
    return { lead: await loadLead(ctx.db, input.leadId), outcome, clientId };
  },

  'leads.resolveReview': async (ctx, input) => {
    const actor = await actorOf(ctx);
    let result: { outcome: Outcome; clientId: string | null } = { outcome: 'existing', clientId: null };
    await ctx.db.transaction().execute(async (trx) => {
      if (input.action === 'link' && !input.clientId) throw new AppError('VALIDATION', 'Choose the client to link the lead to.', { fields: [{ path: 'clientId', message: 'required' }] });
      result = await convert(ctx, trx, actor, input.leadId, actor.at, input.action === 'link' ? { linkTo: input.clientId! } : { create: true });
    });
    return { lead: await loadLead(ctx.db, input.leadId), ...result };
  },
};
