import { expect, it } from 'vitest';
import { addTeam } from '../../server/src/admin';
import { syncedTables } from '../support/replay';
import { listeningTeamServer, type Laptop } from './support/laptop';

// A merge travels as one operation: laptop A merges two clients (contacts, events, postings move; the merged-away
// client becomes a tombstone), laptop B pulls and sees the same tables, the tombstone leading to the survivor and
// the merge's changes under one operation id; B undoes it, and A pulls the undo back.

const sync = listeningTeamServer();
type Rt = Laptop;
const laptop = sync.laptop;

async function clientWithRecords(rt: Rt, name: string, email: string) {
  const [area] = await rt.call<{ id: string }[]>('areas.list', {});
  const client = await rt.call<{ id: string; version: number }>('clients.create', { companyName: name, email, areaId: area!.id, acknowledgedDuplicateIds: [] });
  for (const person of ['Ana García', 'Luis Pérez']) await rt.call('contacts.create', { clientId: client.id, name: `${person} ${name}`, email: `${person.split(' ')[0]!.toLowerCase()}@${email.split('@')[1]}` });
  await rt.call('events.create', { clientId: client.id, type: 'meeting', title: `Kick-off ${name}`, occurredAt: '2026-11-02T10:00:00.000Z', ownerIds: [] });
  await rt.call('jobs.create', { clientId: client.id, title: 'Analyst', status: 'open' });
  return client;
}

it('a merge made on one laptop arrives whole on another, tombstone included, and its undo travels back', async () => {
  const team = await addTeam(sync.server.db, 'Merge team');
  const a = await laptop(team.name, 'ana@example.com');
  const b = await laptop(team.name, 'luis@example.com');
  try {
    const survivor = await clientWithRecords(a, 'Iberia Talent', 'info@iberiatalent.es');
    const first = await a.dispatch('clients.create', { companyName: 'Iberia Talent Group', email: 'hola@iberiatalent.es', areaId: (await a.call<{ id: string }[]>('areas.list', {}))[0]!.id });
    const matches = !first.ok ? (first.error.matches ?? []).map((m) => m.id) : [];
    const merged = await a.call<{ id: string; version: number }>('clients.create', { companyName: 'Iberia Talent Group', email: 'hola@iberiatalent.es', areaId: (await a.call<{ id: string }[]>('areas.list', {}))[0]!.id, acknowledgedDuplicateIds: matches });
    await a.call('contacts.create', { clientId: merged.id, name: 'Marta Ruiz', email: 'marta@iberiatalent.es' });
    await a.call('events.create', { clientId: merged.id, type: 'call', title: 'Call', occurredAt: '2026-11-03T10:00:00.000Z', ownerIds: [] });
    for (const rt of [a, b]) expect((await rt.ctx.sync.syncNow()).problem).toBeNull();

    const { mergeId } = await a.call<{ mergeId: string }>('clients.merge', { survivorId: survivor.id, mergedId: merged.id, survivorVersion: 1, mergedVersion: 1, takeFromMerged: ['email'] });
    for (const rt of [a, b]) expect((await rt.ctx.sync.syncNow()).problem).toBeNull();

    expect(await syncedTables(b.db)).toEqual(await syncedTables(a.db));
    const tomb = await b.call<{ mergedInto: { id: string; code: string } | null }>('clients.get', { id: merged.id });
    expect(tomb.mergedInto?.id).toBe(survivor.id);
    const contacts = await b.call<{ name: string }[]>('contacts.list', { clientId: survivor.id });
    expect(contacts.map((c) => c.name)).toContain('Marta Ruiz');
    const operation = await b.db.selectFrom('change_log').select(['operation_id']).where('operation_id', 'is not', null).execute();
    expect(new Set(operation.map((r) => r.operation_id)).size).toBe(1);
    expect(operation.length).toBeGreaterThanOrEqual(5);

    await b.call('merges.undo', { mergeId });
    for (const rt of [b, a]) expect((await rt.ctx.sync.syncNow()).problem).toBeNull();
    expect(await syncedTables(a.db)).toEqual(await syncedTables(b.db));
    expect((await a.call<{ mergedInto: unknown }>('clients.get', { id: merged.id })).mergedInto).toBeNull();
    expect((await a.call<{ name: string }[]>('contacts.list', { clientId: merged.id })).map((c) => c.name)).toEqual(['Marta Ruiz']);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  } finally {
    await a.dispose();
    await b.dispose();
  }
});
