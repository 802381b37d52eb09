import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client } from '../../contract/clients';
import type { Contact } from '../../contract/contacts';
import type { ClientEvent } from '../../contract/events';
import type { Lead } from '../../contract/leads';
import { testRuntime } from '../support/runtime';

let rt: Awaited<ReturnType<typeof testRuntime>>;
let areaId: string;

beforeEach(async () => {
  rt = await testRuntime();
  areaId = (await rt.call<Area[]>('areas.list'))[0]!.id;
});
afterEach(() => rt.dispose());

const lead = (fields: Record<string, unknown> = {}) => rt.call<Lead>('leads.create', { companyName: 'Northwind Traders', contactName: 'Emma Smith', email: 'emma@northwind.co.uk', phone: '020 7946 0018', areaId, ...fields });
const won = (leadId: string) => rt.call<{ lead: Lead; outcome: string; clientId: string | null }>('leads.recordEvent', { leadId, type: 'won_deal', title: 'Contract signed', occurredAt: '2026-11-20T10:00:00.000Z' });
const clientCount = async () => Number((await rt.db.selectFrom('clients').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('won deal conversion', () => {
  it('creates the client from the lead with its primary contact, links both ways and shows the event on the client', async () => {
    const l = await lead();
    const result = await won(l.id);
    expect(result.outcome).toBe('created');
    expect(result.lead).toMatchObject({ stage: 'won', clientId: result.clientId, clientName: 'Northwind Traders' });
    const { client } = await rt.call<{ client: Client }>('clients.get', { id: result.clientId });
    expect(client).toMatchObject({ companyName: 'Northwind Traders', email: 'emma@northwind.co.uk', areaId, leadId: l.id });
    const contacts = await rt.call<Contact[]>('contacts.list', { clientId: client.id });
    expect(contacts).toEqual([expect.objectContaining({ name: 'Emma Smith', isPrimary: true })]);
    const timeline = await rt.call<{ rows: ClientEvent[] }>('events.list', { clientId: client.id });
    expect(timeline.rows.map((e) => e.type)).toEqual(['won_deal']);
    const leadEvents = await rt.call<ClientEvent[]>('leads.events', { leadId: l.id });
    expect(leadEvents.map((e) => e.type)).toEqual(['won_deal']);
  });

  it('never creates a second client: a repeated Won Deal and two at once give one client', async () => {
    const l = await lead();
    const first = await won(l.id);
    const again = await won(l.id);
    expect(again).toMatchObject({ outcome: 'existing', clientId: first.clientId });
    const other = await lead({ companyName: 'Globex Iberia', email: 'info@globex.es', contactName: null });
    const [a, b] = await Promise.all([won(other.id), won(other.id)]);
    expect(a.clientId).toBe(b.clientId);
    expect([a.outcome, b.outcome].sort()).toEqual(['created', 'existing']);
    expect(await clientCount()).toBe(2);
  });

  it('links to an existing client with the same email or name instead of creating one', async () => {
    const existing = await rt.call<Client>('clients.create', { companyName: 'Northwind Traders Ltd', email: 'hello@northwind.co.uk', areaId });
    const l = await lead();
    const result = await won(l.id);
    expect(result).toMatchObject({ outcome: 'linked', clientId: existing.id });
    expect(await clientCount()).toBe(1);
    const timeline = await rt.call<{ rows: ClientEvent[] }>('events.list', { clientId: existing.id });
    expect(timeline.rows[0]!.notes).toContain('linked');
  });

  it('puts a lead that only resembles clients in the review queue, then links or creates on request', async () => {
    const similar = await rt.call<Client>('clients.create', { companyName: 'Transportes Rodríguez S.L.', email: 'info@trodriguez.es', areaId });
    const l = await lead({ companyName: 'Transportes Rodrigues', email: 'ventas@rodrigues-transportes.com' });
    const pending = await won(l.id);
    expect(pending.outcome).toBe('review');
    expect(pending.lead.reviewCandidates?.map((c) => c.id)).toEqual([similar.id]);
    expect((await rt.call<{ rows: Lead[] }>('leads.list', { toReview: true })).rows.map((r) => r.id)).toEqual([l.id]);
    const created = await rt.call<{ outcome: string; clientId: string }>('leads.resolveReview', { leadId: l.id, action: 'create' });
    expect(created.outcome).toBe('created');
    expect((await rt.call<{ rows: Lead[] }>('leads.list', { toReview: true })).rows).toEqual([]);

    const l2 = await lead({ companyName: 'Transportes Rodriguez Norte', email: 'norte@rodriguez-norte.es' });
    expect((await won(l2.id)).outcome).toBe('review');
    const linked = await rt.call<{ outcome: string; clientId: string }>('leads.resolveReview', { leadId: l2.id, action: 'link', clientId: similar.id });
    expect(linked).toMatchObject({ outcome: 'linked', clientId: similar.id });
  });

  it('needs email and area to create a client, and writes nothing when they are missing', async () => {
    const l = await lead({ email: null, areaId: null });
    const refused = await rt.dispatch('leads.recordEvent', { leadId: l.id, type: 'won_deal', title: 'Signed', occurredAt: '2026-11-20T10:00:00.000Z' });
    expect(refused.ok ? null : refused.error.fields?.map((f) => f.path)).toEqual(['email', 'areaId']);
    expect(await clientCount()).toBe(0);
    expect(await rt.call<ClientEvent[]>('leads.events', { leadId: l.id })).toEqual([]);
  });
});

describe('lost deals and converted leads', () => {
  it('marks a lost deal with its reason', async () => {
    const l = await lead();
    const missingReason = await rt.dispatch('leads.recordEvent', { leadId: l.id, type: 'lost_deal', title: 'Lost', occurredAt: '2026-11-20T10:00:00.000Z' });
    expect(missingReason.ok ? null : missingReason.error.fields).toEqual([{ path: 'lostReason', message: 'required' }]);
    const result = await rt.call<{ lead: Lead; outcome: string }>('leads.recordEvent', { leadId: l.id, type: 'lost_deal', title: 'Lost', occurredAt: '2026-11-20T10:00:00.000Z', lostReason: 'Went with another agency' });
    expect(result.outcome).toBe('lost');
    expect(result.lead).toMatchObject({ stage: 'lost', lostReason: 'Went with another agency' });
  });

  it('keeps the fields copied to the client read-only on a converted lead', async () => {
    await won((await lead()).id);
    // Winning the deal changed the lead (stage, client): the form edits the lead as it is now.
    const l = (await rt.call<{ rows: Lead[] }>('leads.list', {})).rows[0]!;
    const refused = await rt.dispatch('leads.update', { id: l.id, version: l.version, companyName: 'Renamed', contactName: 'Emma Smith', email: 'emma@northwind.co.uk', phone: '020 7946 0018', areaId, ownerId: l.ownerId, stage: 'new' });
    expect(refused.ok ? null : refused.error.fields).toEqual([{ path: 'companyName', message: 'readonly' }]);
    const allowed = await rt.call<Lead>('leads.update', { id: l.id, version: l.version, companyName: 'Northwind Traders', contactName: 'Emma Smith', email: 'emma@northwind.co.uk', phone: '020 7946 0018', areaId, source: 'Referral', ownerId: l.ownerId, stage: 'new' });
    expect(allowed).toMatchObject({ source: 'Referral', stage: 'won' });
  });
});
