import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client, DuplicateCheck, HistoryEntry } from '../../contract/clients';
import type { Result } from '../../contract';
import { testRuntime } from '../support/runtime';

let rt: Awaited<ReturnType<typeof testRuntime>>;
let areaId: string;

beforeEach(async () => {
  rt = await testRuntime();
  areaId = (await rt.call<Area[]>('areas.list'))[0]!.id;
});
afterEach(() => rt.dispose());

const create = (fields: Record<string, unknown>) => rt.call<Client>('clients.create', { areaId, ...fields });
const errorOf = (result: Result<unknown>) => (result.ok ? null : result.error);

describe('duplicate rules', () => {
  it('blocks the same normalised name and the same email, and names why', async () => {
    const acme = await create({ companyName: 'Acme, S.A.', email: 'info@acme.com' });
    const byName = errorOf(await rt.dispatch('clients.create', { areaId, companyName: 'ACME SA', email: 'other@example.org' }));
    expect(byName?.code).toBe('DUPLICATE');
    expect(byName?.matches?.[0]).toMatchObject({ id: acme.id, reasons: ['name'] });
  });

  it('warns on a shared website or company email domain and a similar name, and lets the user save anyway', async () => {
    const rodriguez = await create({ companyName: 'Transportes Rodríguez S.L.', email: 'info@trodriguez.es', website: 'trodriguez.es' });
    const check = await rt.call<DuplicateCheck>('clients.checkDuplicates', { companyName: 'Transportes Rodrigues', email: 'ventas@trodriguez.es', website: 'https://www.trodriguez.es/contacto' });
    expect(check.blocking).toEqual([]);
    expect(check.warnings).toHaveLength(1);
    expect(check.warnings[0]!.reasons.sort()).toEqual(['domain', 'email_domain', 'similar_name']);

    const input = { areaId, companyName: 'Transportes Rodrigues', email: 'ventas@trodriguez.es' };
    const refused = errorOf(await rt.dispatch('clients.create', input));
    expect(refused?.code).toBe('DUPLICATE');
    expect(refused?.matches?.map((m) => m.id)).toEqual([rodriguez.id]);

    const saved = await rt.call<Client>('clients.create', { ...input, acknowledgedDuplicateIds: [rodriguez.id] });
    const history = await rt.call<{ entries: HistoryEntry[] }>('clients.history', { clientId: saved.id });
    expect(history.entries[0]!.note).toContain(rodriguez.code);
    expect(history.entries[0]!.note).toContain('similar_name');
  });

  it('ignores public mail providers as a shared domain', async () => {
    await create({ companyName: 'Panadería Lola', email: 'panaderialola@gmail.com' });
    const check = await rt.call<DuplicateCheck>('clients.checkDuplicates', { companyName: 'Talleres Pérez', email: 'tallerespérez@gmail.com' });
    expect(check).toEqual({ blocking: [], warnings: [] });
  });

  it('never matches a client with itself when it is edited', async () => {
    const acme = await create({ companyName: 'Acme', email: 'info@acme.com', website: 'acme.com' });
    const check = await rt.call<DuplicateCheck>('clients.checkDuplicates', { companyName: 'Acme', email: 'info@acme.com', website: 'acme.com', excludeId: acme.id });
    expect(check).toEqual({ blocking: [], warnings: [] });
    const updated = await rt.call<Client>('clients.update', { id: acme.id, version: acme.version, areaId, companyName: 'ACME S.A.', email: 'INFO@acme.com', website: 'acme.com' });
    expect(updated.companyName).toBe('ACME S.A.');
  });

  it('checks an edit only for the fields it changes: a saved look-alike does not hold back a phone change', async () => {
    const rodriguez = await create({ companyName: 'Transportes Rodríguez S.L.', email: 'info@trodriguez.es' });
    const rodrigues = await create({ companyName: 'Transportes Rodrigues', email: 'hola@rodrigues.com', acknowledgedDuplicateIds: [rodriguez.id] });
    // Name and email as stored: nothing to confirm again.
    const same = await rt.call<DuplicateCheck>('clients.checkDuplicates', { companyName: 'Transportes Rodrigues', email: 'hola@rodrigues.com', excludeId: rodrigues.id });
    expect(same).toEqual({ blocking: [], warnings: [] });
    const edited = await rt.call<Client>('clients.update', { id: rodrigues.id, version: rodrigues.version, areaId, companyName: 'Transportes Rodrigues', email: 'hola@rodrigues.com', phone: '912 345 678' });
    expect(edited.phone).toBe('+34 912 34 56 78');
    // A new name is checked again, and an email taken by another client still blocks.
    const renamed = await rt.call<DuplicateCheck>('clients.checkDuplicates', { companyName: 'Transportes Rodríguez', email: 'hola@rodrigues.com', excludeId: rodrigues.id });
    expect(renamed.blocking.map((m) => [m.id, m.reasons])).toEqual([[rodriguez.id, ['name']]]);
    const taken = errorOf(await rt.dispatch('clients.update', { id: rodrigues.id, version: edited.version, areaId, companyName: 'Transportes Rodrigues', email: 'INFO@trodriguez.es' }));
    expect(taken?.code).toBe('DUPLICATE');
    expect(taken?.matches?.[0]).toMatchObject({ id: rodriguez.id, reasons: ['email', 'email_domain'] });
  });
});

describe('editing', () => {
  it('records each changed field with old and new values, area and owner as names', async () => {
    const areas = await rt.call<Area[]>('areas.list');
    const client = await create({ companyName: 'Acme', email: 'info@acme.com', phone: '912345678' });
    expect(client.phone).toBe('+34 912 34 56 78');
    await rt.call('clients.update', { id: client.id, version: client.version, companyName: 'Acme Iberia', email: 'info@acme.com', areaId: areas[1]!.id, status: 'paused', phone: '912345678' });
    const { entries } = await rt.call<{ entries: HistoryEntry[] }>('clients.history', { clientId: client.id });
    expect(entries.map((e) => e.operation)).toEqual(['update', 'create']);
    const changes = Object.fromEntries(entries[0]!.changes.map((c) => [c.field, [c.old, c.new]]));
    expect(changes).toEqual({
      company_name: ['Acme', 'Acme Iberia'],
      area_id: [`area:${areas[0]!.key}`, `area:${areas[1]!.key}`],
      status: ['active', 'paused'],
      // The form sends every field: leaving the owner empty clears it, shown by name.
      owner_id: [client.ownerName, null],
    });
    expect(client.ownerName).toBeTruthy();
  });

  it('refuses a save over a newer version with CONFLICT and keeps the newer data', async () => {
    const client = await create({ companyName: 'Acme', email: 'info@acme.com' });
    await rt.call('clients.update', { id: client.id, version: client.version, companyName: 'Acme One', email: 'info@acme.com', areaId });
    const stale = errorOf(await rt.dispatch('clients.update', { id: client.id, version: client.version, companyName: 'Acme Two', email: 'info@acme.com', areaId }));
    expect(stale?.code).toBe('CONFLICT');
    expect((await rt.call<{ client: Client }>('clients.get', { id: client.id })).client.companyName).toBe('Acme One');
  });

  it('rejects an invalid phone with a field error and writes nothing', async () => {
    const client = await create({ companyName: 'Acme', email: 'info@acme.com' });
    const error = errorOf(await rt.dispatch('clients.update', { id: client.id, version: client.version, companyName: 'Acme', email: 'info@acme.com', areaId, phone: '12' }));
    expect(error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'phone', message: 'invalid_phone' }] });
    const { entries } = await rt.call<{ entries: HistoryEntry[] }>('clients.history', { clientId: client.id });
    expect(entries).toHaveLength(1);
  });

  it('validates commercial terms bounds', async () => {
    const error = errorOf(await rt.dispatch('clients.create', { areaId, companyName: 'Acme', email: 'a@acme.com', defaultFeePercent: 120, defaultGuaranteeDays: -1 }));
    expect(error?.fields?.map((f) => f.path).sort()).toEqual(['defaultFeePercent', 'defaultGuaranteeDays']);
  });
});

describe('archive and restore', () => {
  it('hides archived clients from the list unless asked, and restores them', async () => {
    const client = await create({ companyName: 'Acme', email: 'info@acme.com' });
    const archived = await rt.call<Client>('clients.archive', { id: client.id, version: client.version });
    expect(archived.archivedAt).not.toBeNull();
    expect((await rt.call<{ rows: unknown[] }>('clients.list', {})).rows).toHaveLength(0);
    expect((await rt.call<{ rows: unknown[] }>('clients.list', { includeArchived: true })).rows).toHaveLength(1);

    const restored = await rt.call<Client>('clients.restore', { id: client.id, version: archived.version });
    expect(restored.archivedAt).toBeNull();
    const { entries } = await rt.call<{ entries: HistoryEntry[] }>('clients.history', { clientId: client.id });
    expect(entries.map((e) => e.operation)).toEqual(['restore', 'delete', 'create']);
  });

  it('does not restore a client whose email was taken while it was archived', async () => {
    const old = await create({ companyName: 'Acme', email: 'info@acme.com' });
    const archived = await rt.call<Client>('clients.archive', { id: old.id, version: old.version });
    await create({ companyName: 'Acme New', email: 'info@acme.com' });
    expect(errorOf(await rt.dispatch('clients.restore', { id: old.id, version: archived.version }))?.code).toBe('DUPLICATE');
  });
});
