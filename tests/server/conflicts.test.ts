import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackClocks } from '../../server/src/lww';
import { testServer, type TestServer } from './support/server';

// Per-field last writer wins by hybrid logical clock, ties broken by device id; a delete wins over concurrent
// edits; the losing values stay in the server's history.

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

const base = Date.UTC(2026, 0, 1, 11);

async function record(teamId: string, entity: string, entityId: string) {
  const row = await server.db.selectFrom('records').select(['fields', 'clocks']).where('team_id', '=', teamId).where('entity', '=', entity).where('entity_id', '=', entityId).executeTakeFirstOrThrow();
  return { fields: row.fields, clocks: unpackClocks(row.fields, row.clocks) };
}

async function lost(teamId: string, changeId: string) {
  const row = await server.db.selectFrom('changes').select(['lost', 'body']).where('team_id', '=', teamId).where('change_id', '=', changeId).executeTakeFirstOrThrow();
  return { lost: row.lost, body: JSON.parse(row.body) as { changes: Record<string, { new: unknown }> } };
}

describe('conflicts', () => {
  it('merges per field: concurrent edits of different fields both survive', async () => {
    const team = await server.team();
    const [a, b] = [await server.device(team.name, 'dev-a'), await server.device(team.name, 'dev-b')];
    await a.push([a.create('client', 'c1', {}, { ms: base })]);
    await b.push([b.change('client', 'c1', 'update', { phone: '+34 911 000 000' }, { ms: base + 10 })]);
    await a.push([a.change('client', 'c1', 'update', { website: 'acme.example' }, { ms: base + 5 })]);
    expect((await record(team.id, 'client', 'c1')).fields).toMatchObject({ phone: '+34 911 000 000', website: 'acme.example', company_name: 'Company c1' });
  });

  it('the later clock wins a field whatever the arrival order, and the loser is kept with the clock that beat it', async () => {
    const team = await server.team();
    const [a, b] = [await server.device(team.name, 'dev-a'), await server.device(team.name, 'dev-b')];
    await a.push([a.create('client', 'c1', {}, { ms: base })]);
    const later = b.change('client', 'c1', 'update', { company_name: 'Acme (B)' }, { ms: base + 20 });
    const earlier = a.change('client', 'c1', 'update', { company_name: 'Acme (A)', phone: '+34 1' }, { ms: base + 10 });
    await b.push([later]);
    await a.push([earlier]); // arrives last, written first
    const merged = await record(team.id, 'client', 'c1');
    expect(merged.fields).toMatchObject({ company_name: 'Acme (B)', phone: '+34 1' });
    expect(merged.clocks.company_name).toBe(later.hlc);
    const history = await lost(team.id, earlier.id);
    expect(history.lost).toEqual({ company_name: later.hlc });
    expect(history.body.changes.company_name!.new).toBe('Acme (A)');
    expect((await lost(team.id, later.id)).lost).toBeNull();
  });

  it('equal wall time and counter: the device id breaks the tie, the same way on every device', async () => {
    const team = await server.team();
    const [a, b] = [await server.device(team.name, 'dev-a'), await server.device(team.name, 'dev-b')];
    await a.push([a.create('area', 'x', {}, { ms: base })]);
    const fromB = b.change('area', 'x', 'update', { name: 'B' }, { ms: base + 50 });
    const fromA = a.change('area', 'x', 'update', { name: 'A' }, { ms: base + 50 });
    expect(fromA.hlc.slice(0, 22)).toBe(fromB.hlc.slice(0, 22));
    await b.push([fromB]);
    await a.push([fromA]);
    expect((await record(team.id, 'area', 'x')).fields.name).toBe('B'); // 'dev-b' > 'dev-a'
    expect((await lost(team.id, fromA.id)).lost).toEqual({ name: fromB.hlc });
  });

  it('a delete wins over a concurrent edit with a later clock; the edit is merged under it', async () => {
    const team = await server.team();
    const [a, b] = [await server.device(team.name, 'dev-a'), await server.device(team.name, 'dev-b')];
    await a.push([a.create('client', 'c1', {}, { ms: base })]);
    await a.push([a.change('client', 'c1', 'delete', { archived_at: '2026-01-01T11:00:01.000Z' }, { ms: base + 1000 })]);
    await b.push([b.change('client', 'c1', 'update', { comments: 'Edited offline' }, { ms: base + 2000 })]);
    const merged = await record(team.id, 'client', 'c1');
    expect(merged.fields.archived_at).toBe('2026-01-01T11:00:01.000Z');
    expect(merged.fields.comments).toBe('Edited offline');
    // A restore stamped before the delete (a third device, offline since) loses to it; a later one clears it.
    const c = await server.device(team.name, 'dev-c');
    const stale = c.change('client', 'c1', 'restore', { archived_at: null }, { ms: base + 500 });
    await c.push([stale]);
    expect((await record(team.id, 'client', 'c1')).fields.archived_at).toBe('2026-01-01T11:00:01.000Z');
    expect((await lost(team.id, stale.id)).lost).toEqual({ archived_at: expect.stringContaining('dev-a') });
    await b.push([b.change('client', 'c1', 'restore', { archived_at: null }, { ms: base + 3000 })]);
    expect((await record(team.id, 'client', 'c1')).fields.archived_at).toBeNull();
  });

  it('event owners are records keyed <event_id>:<user_id>', async () => {
    const team = await server.team();
    const a = await server.device(team.name);
    const answer = await a.push([
      a.change('event_owner', 'e1:u1', 'create', { event_id: 'e1', user_id: 'u1', deleted_at: null }),
      a.change('event_owner', 'e1:u2', 'create', { event_id: 'e1', user_id: 'u1', deleted_at: null }),
      a.change('event_owner', 'e1:u1', 'delete', { deleted_at: '2026-01-01T00:00:00.000Z' }),
    ]);
    expect(answer.body.rejected.map((r) => [r.deviceSeq, r.reason])).toEqual([[2, 'invalid_change']]);
    expect((await record(team.id, 'event_owner', 'e1:u1')).fields).toEqual({ event_id: 'e1', user_id: 'u1', deleted_at: '2026-01-01T00:00:00.000Z' });
  });
});
