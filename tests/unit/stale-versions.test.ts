import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import { clientSchema, type Client } from '../../contract/clients';
import { contactSchema, type Contact } from '../../contract/contacts';
import { eventSchema, type ClientEvent } from '../../contract/events';
import { jobSchema, type Job } from '../../contract/jobs';
import { leadSchema, type Lead } from '../../contract/leads';
import { testRuntime } from '../support/runtime';

// Removing or archiving names the version the user saw, like a save: a record someone changed meanwhile is
// answered CONFLICT with the record as it is now, and nothing is removed.

let rt: Awaited<ReturnType<typeof testRuntime>>;
let client: Client;

beforeEach(async () => {
  rt = await testRuntime();
  const areaId = (await rt.call<Area[]>('areas.list'))[0]!.id;
  client = await rt.call<Client>('clients.create', { companyName: 'Acme', email: 'info@acme.com', areaId });
});
afterEach(() => rt.dispose());

const refused = async (channel: string, input: unknown) => {
  const answer = await rt.dispatch(channel, input);
  return answer.ok ? null : answer.error;
};

describe('stale removals and archives', () => {
  it('a contact changed meanwhile is not deleted', async () => {
    const seen = await rt.call<Contact>('contacts.create', { clientId: client.id, name: 'Ana García' });
    await rt.call('contacts.update', { id: seen.id, version: seen.version, name: 'Ana García', role: 'CFO' });
    expect(await refused('contacts.delete', { id: seen.id, version: seen.version })).toMatchObject({ code: 'CONFLICT', reason: 'contact_changed', current: { role: 'CFO', version: seen.version + 1 } });
    expect(await rt.call<Contact[]>('contacts.list', { clientId: client.id })).toHaveLength(1);
    await rt.call('contacts.delete', { id: seen.id, version: seen.version + 1 });
    expect(await rt.call<Contact[]>('contacts.list', { clientId: client.id })).toHaveLength(0);
  });

  it('an event or a posting changed meanwhile is not deleted', async () => {
    const event = await rt.call<ClientEvent>('events.create', { clientId: client.id, type: 'call', title: 'Intro', occurredAt: '2026-03-01T10:00:00.000Z' });
    await rt.call('events.update', { id: event.id, version: event.version, type: 'call', title: 'Intro call', occurredAt: event.occurredAt });
    expect(await refused('events.delete', { id: event.id, version: event.version })).toMatchObject({ code: 'CONFLICT', reason: 'event_changed', current: { title: 'Intro call' } });

    const job = await rt.call<Job>('jobs.create', { clientId: client.id, title: 'Backend', status: 'open' });
    await rt.call('jobs.update', { id: job.id, version: job.version, title: 'Backend Engineer', status: 'open' });
    expect(await refused('jobs.delete', { id: job.id, version: job.version })).toMatchObject({ code: 'CONFLICT', reason: 'job_changed', current: { title: 'Backend Engineer' } });
    // Without a version (an older caller), a removal still goes through.
    await rt.call('jobs.delete', { id: job.id });
  });

  it('archiving a client changed meanwhile answers with the client as it is now', async () => {
    await rt.call('clients.update', { id: client.id, version: client.version, companyName: 'Acme Iberia', email: client.email, areaId: client.areaId });
    expect(await refused('clients.archive', { id: client.id, version: client.version })).toMatchObject({ code: 'CONFLICT', reason: 'client_changed', current: { companyName: 'Acme Iberia', archivedAt: null } });
  });
});

// The editors trust `current` only once their channel's output schema accepts it (useEditConflict).
describe('a stale save of each editor', () => {
  it('answers CONFLICT with the record as it is now, in the shape the editor checks', async () => {
    const contact = await rt.call<Contact>('contacts.create', { clientId: client.id, name: 'Ana García' });
    const event = await rt.call<ClientEvent>('events.create', { clientId: client.id, type: 'call', title: 'Intro', occurredAt: '2026-03-01T10:00:00.000Z' });
    const job = await rt.call<Job>('jobs.create', { clientId: client.id, title: 'Backend', status: 'open' });
    const lead = await rt.call<Lead>('leads.create', { companyName: 'Beta Logistics' });
    // Each editor: the fields a save sends, and the change someone else saved meanwhile.
    const editors = [
      { channel: 'clients.update', schema: clientSchema, reason: 'client_changed', version: client.version, input: { id: client.id, companyName: 'Acme', email: client.email, areaId: client.areaId }, change: { companyName: 'Acme Iberia' } },
      { channel: 'contacts.update', schema: contactSchema, reason: 'contact_changed', version: contact.version, input: { id: contact.id, name: 'Ana García' }, change: { name: 'Ana G.' } },
      { channel: 'events.update', schema: eventSchema, reason: 'event_changed', version: event.version, input: { id: event.id, type: 'call', title: 'Intro', occurredAt: event.occurredAt }, change: { title: 'Intro call' } },
      { channel: 'jobs.update', schema: jobSchema, reason: 'job_changed', version: job.version, input: { id: job.id, title: 'Backend', status: 'open' }, change: { title: 'Backend Engineer' } },
      { channel: 'leads.update', schema: leadSchema, reason: 'lead_changed', version: lead.version, input: { id: lead.id, companyName: 'Beta Logistics' }, change: { companyName: 'Beta Logistics S.L.' } },
    ] as const;
    for (const editor of editors) {
      await rt.call(editor.channel, { ...editor.input, ...editor.change, version: editor.version });
      const error = await refused(editor.channel, { ...editor.input, version: editor.version });
      expect(error, editor.channel).toMatchObject({ code: 'CONFLICT', reason: editor.reason });
      const current = editor.schema.safeParse(error?.current);
      expect(current.success, editor.channel).toBe(true);
      expect(current.data, editor.channel).toMatchObject({ id: editor.input.id, version: editor.version + 1, ...editor.change });
    }
  });
});

