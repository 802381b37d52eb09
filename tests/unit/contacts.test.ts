import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client, HistoryEntry } from '../../contract/clients';
import type { Contact } from '../../contract/contacts';
import { testRuntime } from '../support/runtime';

let rt: Awaited<ReturnType<typeof testRuntime>>;
let client: Client;

beforeEach(async () => {
  rt = await testRuntime();
  const areaId = (await rt.call<Area[]>('areas.list'))[0]!.id;
  client = await rt.call<Client>('clients.create', { companyName: 'Acme', email: 'info@acme.com', areaId });
});
afterEach(() => rt.dispose());

const add = (fields: Record<string, unknown>) => rt.call<Contact>('contacts.create', { clientId: client.id, ...fields });
const list = () => rt.call<Contact[]>('contacts.list', { clientId: client.id });
const primaries = async () => (await list()).filter((c) => c.isPrimary).map((c) => c.name);

describe('contacts', () => {
  it('makes the first contact primary and keeps exactly one primary', async () => {
    await add({ name: 'Ana García', email: 'ana@acme.com' });
    expect(await primaries()).toEqual(['Ana García']);
    const luis = await add({ name: 'Luis Pérez', email: 'luis@acme.com' });
    expect(await primaries()).toEqual(['Ana García']);
    await rt.call('contacts.update', { id: luis.id, version: luis.version, name: 'Luis Pérez', email: 'luis@acme.com', isPrimary: true });
    expect(await primaries()).toEqual(['Luis Pérez']);
  });

  it('hands the primary role on when the primary contact is deleted', async () => {
    const ana = await add({ name: 'Ana García' });
    await add({ name: 'Luis Pérez' });
    await rt.call('contacts.delete', { id: ana.id });
    expect(await primaries()).toEqual(['Luis Pérez']);
    expect((await list()).map((c) => c.name)).toEqual(['Luis Pérez']);
  });

  it('prevents the same person twice in one client, by email in any case or by name', async () => {
    await add({ name: 'Ana García', email: 'ana@acme.com' });
    const sameEmail = await rt.dispatch('contacts.create', { clientId: client.id, name: 'A. García', email: ' ANA@acme.com ' });
    expect(sameEmail.ok ? null : sameEmail.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'email', message: 'duplicate_contact' }] });
    await add({ name: 'Luis Pérez' });
    const sameName = await rt.dispatch('contacts.create', { clientId: client.id, name: 'luis perez' });
    expect(sameName.ok ? null : sameName.error.code).toBe('VALIDATION');
  });

  it('validates email and phone like the client form', async () => {
    const bad = await rt.dispatch('contacts.create', { clientId: client.id, name: 'Ana', email: 'nope', phone: '12' });
    expect(bad.ok ? null : bad.error.fields?.map((f) => f.path)).toEqual(['email']);
    const badPhone = await rt.dispatch('contacts.create', { clientId: client.id, name: 'Ana', phone: '12' });
    expect(badPhone.ok ? null : badPhone.error.fields).toEqual([{ path: 'phone', message: 'invalid_phone' }]);
    expect(await list()).toEqual([]);
  });

  it('stores a phone with an extension once, however it was typed, here and in the client modal', async () => {
    const ana = await add({ name: 'Ana', phone: '001-808-617-6467x12895' });
    expect(ana.phone).toBe('+1 808 617 6467 ext. 12895');
    // Saving it back unchanged (what the edit form does) keeps it as it is.
    expect((await rt.call<Contact>('contacts.update', { id: ana.id, version: ana.version, name: 'Ana', phone: ana.phone })).phone).toBe('+1 808 617 6467 ext. 12895');
    const updated = await rt.call<Client>('clients.update', { id: client.id, version: client.version, companyName: 'Acme', email: 'info@acme.com', areaId: client.areaId, phone: '912 345 678 ext. 21' });
    expect(updated.phone).toBe('+34 912 34 56 78 ext. 21');
  });

  it('writes contact changes into the client history under the contact name', async () => {
    const ana = await add({ name: 'Ana García', role: 'HR' });
    await rt.call('contacts.update', { id: ana.id, version: ana.version, name: 'Ana García', role: 'Head of HR' });
    await rt.call('contacts.delete', { id: ana.id });
    const { entries } = await rt.call<{ entries: HistoryEntry[] }>('clients.history', { clientId: client.id });
    expect(entries.slice(0, 3).map((e) => [e.entity, e.operation, e.entityLabel])).toEqual([
      ['contact', 'delete', 'Ana García'],
      ['contact', 'update', 'Ana García'],
      ['contact', 'create', 'Ana García'],
    ]);
    expect(entries[1]!.changes).toEqual([{ field: 'role', old: 'HR', new: 'Head of HR' }]);
  });
});
