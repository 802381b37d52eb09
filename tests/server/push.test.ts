import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxClockSkewMs } from '../../contract/sync';
import { testServer, type TestServer } from './support/server';

// Idempotence and order of pushes: each change is applied exactly once, whatever the network does to a push.

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

async function appliedSeqs(deviceId: string) {
  const rows = await server.db.selectFrom('changes').select('device_seq').where('device_id', '=', deviceId).orderBy('device_seq').execute();
  return rows.map((row) => Number(row.device_seq));
}

describe('push', () => {
  it('applies a push once and answers after the commit with the last applied sequence', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const changes = [device.create('area', 'a1'), device.change('area', 'a1', 'update', { name: 'Tech' })];
    const answer = await device.push(changes);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lastApplied: 2, rejected: [] });
    expect(await appliedSeqs(device.deviceId)).toEqual([1, 2]);
  });

  it('the same push twice: the second applies nothing and answers the same', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const changes = [device.create('area', 'a1'), device.change('area', 'a1', 'update', { name: 'Tech' })];
    const first = await device.push(changes);
    const second = await device.push(changes);
    expect(second.status).toBe(200);
    expect(second.body.lastApplied).toBe(first.body.lastApplied);
    expect(await appliedSeqs(device.deviceId)).toEqual([1, 2]);
    const pushes = await server.db.selectFrom('pushes').select('version').where('device_id', '=', device.deviceId).execute();
    expect(pushes).toHaveLength(1);
  });

  it('two copies of one push at once: one applies it, the other waits for its commit and skips it', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const changes = Array.from({ length: 50 }, (_, i) => device.create('contact', `k${i}`));
    const answers = await Promise.all([device.push(changes), device.push(changes), device.push(changes)]);
    for (const answer of answers) expect(answer.body).toMatchObject({ lastApplied: 50, rejected: [] });
    expect(await appliedSeqs(device.deviceId)).toEqual(changes.map((c) => c.deviceSeq));
  });

  it('pushes out of order: the later one is refused as a gap (nothing written) and applied once the earlier one arrived', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const first = [device.create('area', 'a1'), device.create('area', 'a2')];
    const second = [device.create('area', 'a3')];
    const early = await device.push(second);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'gap', lastApplied: 0 });
    expect(await appliedSeqs(device.deviceId)).toEqual([]);
    expect((await device.push(first)).body.lastApplied).toBe(2);
    expect((await device.push(second)).body.lastApplied).toBe(3);
    expect(await appliedSeqs(device.deviceId)).toEqual([1, 2, 3]);
  });

  it('a gap after some applied changes answers the last applied one, so the device resends from there', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const changes = Array.from({ length: 6 }, (_, i) => device.create('area', `a${i}`));
    await device.push(changes.slice(0, 2));
    const gap = await device.push(changes.slice(4));
    expect(gap).toMatchObject({ status: 409, body: { error: 'gap', lastApplied: 2 } });
    const resend = await device.push(changes.slice(gap.body.lastApplied));
    expect(resend.body.lastApplied).toBe(6);
    expect(await appliedSeqs(device.deviceId)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a response lost after the commit: the retry, overlapping new changes, applies only the new ones', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const changes = Array.from({ length: 5 }, (_, i) => device.create('area', `a${i}`));
    await device.push(changes.slice(0, 3)); // the device never sees this answer
    const retry = await device.push(changes);
    expect(retry.body).toMatchObject({ lastApplied: 5, rejected: [] });
    expect(await appliedSeqs(device.deviceId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('the applied(device, seq) key throws on a double apply', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    await device.push([device.create('area', 'a1')]);
    const row = await server.db.selectFrom('changes').selectAll().where('device_id', '=', device.deviceId).executeTakeFirstOrThrow();
    await expect(server.db.insertInto('changes').values({ ...row, lost: null }).execute()).rejects.toThrow(/duplicate key/);
  });

  it('a change invalid for good is rejected with its reason and still advances the sequence', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const changes = [
      device.create('area', 'a1'),
      device.change('planet', 'p1', 'update', { name: 'Mars' }),
      device.change('client', 'c1', 'update', { status: 'sleeping' }),
      device.change('client', 'c1', 'update', { colour: 'blue' }),
      device.change('area', 'a1', 'delete', { active: 0 }),
      device.change('client', 'c1', 'create', { company_name: 'Acme' }),
      device.change('area', 'a1', 'update', { name: 'Tech' }),
    ];
    const answer = await device.push(changes);
    expect(answer.status).toBe(200);
    expect(answer.body.lastApplied).toBe(7);
    expect(answer.body.rejected.map((r) => [r.deviceSeq, r.reason])).toEqual([
      [2, 'unknown_entity'],
      [3, 'invalid_value'],
      [4, 'unknown_field'],
      [5, 'invalid_change'],
      [6, 'missing_field'],
    ]);
    // The device goes on: its next change is accepted.
    expect((await device.push([device.change('area', 'a1', 'update', { sort_order: 3 })])).body).toMatchObject({ lastApplied: 8, rejected: [] });
    // A retry whose first answer was lost still learns what was refused.
    const retry = await device.push(changes);
    expect(retry.body.rejected.map((r) => r.deviceSeq)).toEqual([2, 3, 4, 5, 6]);
    const record = await server.db.selectFrom('records').select('fields').where('team_id', '=', team.id).where('entity', '=', 'area').where('entity_id', '=', 'a1').executeTakeFirstOrThrow();
    expect(record.fields).toMatchObject({ name: 'Tech', sort_order: 3 });
  });

  it('a change whose id the server already has is skipped, and the sequence still advances', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const first = device.create('area', 'a1');
    await device.push([first]);
    const again = { ...device.change('area', 'a1', 'update', { name: 'Other' }), id: first.id };
    expect((await device.push([again])).body).toMatchObject({ lastApplied: 2, rejected: [] });
    expect(await appliedSeqs(device.deviceId)).toEqual([1]);
  });

  it('refuses a whole push holding a clock more than 5 minutes ahead (clock_skew), writing nothing', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const now = server.clock.now();
    const changes = [device.create('area', 'a1', {}, { ms: now }), device.create('area', 'a2', {}, { ms: now + maxClockSkewMs + 1 })];
    const answer = await device.push(changes);
    expect(answer).toMatchObject({ status: 409, body: { error: 'clock_skew', serverTime: now } });
    expect(await appliedSeqs(device.deviceId)).toEqual([]);
    // Exactly at the limit is still accepted.
    const fixed = { ...changes[1]!, hlc: changes[1]!.hlc.replace(/^\d{15}/, String(now + maxClockSkewMs).padStart(15, '0')) };
    expect((await device.push([changes[0]!, fixed])).body.lastApplied).toBe(2);
  });
});
