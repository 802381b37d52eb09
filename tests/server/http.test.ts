import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloResponseSchema, maxPushChanges, syncErrorSchema } from '../../contract/sync';
import { revokeDevice } from '../../server/src/admin';
import { hashToken } from '../../server/src/tokens';
import { testServer, type TestServer } from './support/server';

// Bad input gets a clear 4xx with a typed error and writes nothing; the team comes from the token only.

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

async function writes() {
  const [changes, pushes] = await Promise.all([
    server.db.selectFrom('changes').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    server.db.selectFrom('pushes').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return Number(changes.n) + Number(pushes.n);
}

function expectError(answer: { status: number; body: unknown }, status: number, error: string) {
  expect(answer.status).toBe(status);
  expect(syncErrorSchema.parse(answer.body).error).toBe(error);
}

describe('authentication and device binding', () => {
  it('hello checks the token and binds it to the device id on first use', async () => {
    const team = await server.team('Binding team');
    const device = await server.device(team.name, 'laptop-1', { bind: false });
    const hello = await device.hello();
    expect(hello.status).toBe(200);
    expect(helloResponseSchema.parse(hello.body)).toMatchObject({ team: 'Binding team', deviceId: 'laptop-1', userEmail: 'laptop-1@example.com' });
    const row = await server.db.selectFrom('devices').selectAll().where('id', '=', device.tokenId).executeTakeFirstOrThrow();
    expect(row.device_id).toBe('laptop-1');
    expect(row.token_hash).toBe(hashToken(device.token));
    expect(JSON.stringify(row)).not.toContain(device.token);
    // From then on the token works for that device id only.
    expectError(await server.call(device.token, 'GET', '/v1/hello?deviceId=laptop-2'), 403, 'forbidden');
    expectError(await device.push([device.create('area', 'a1')], 'laptop-2'), 403, 'forbidden');
  });

  it('code tags are unique in a team: the first hello claims one, a taken one is swapped for a free one, and a device keeps its own', async () => {
    const team = await server.team();
    const other = await server.team();
    const hello = async (device: { token: string }, id: string, tag?: string) =>
      helloResponseSchema.parse((await server.call(device.token, 'GET', `/v1/hello?deviceId=${id}${tag ? `&codeTag=${tag}` : ''}`)).body).codeTag;
    const [a, b, c] = [await server.device(team.name, 'tag-a'), await server.device(team.name, 'tag-b'), await server.device(other.name, 'tag-c')];
    expect(await hello(a, 'tag-a')).toBeNull();
    expect(await hello(a, 'tag-a', '7KQ2')).toBe('7KQ2');
    const swapped = await hello(b, 'tag-b', '7KQ2');
    expect(swapped).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(swapped).not.toBe('7KQ2');
    // Another team may use the same tag; a device that proposes another tag later keeps the one it holds.
    expect(await hello(c, 'tag-c', '7KQ2')).toBe('7KQ2');
    expect(await hello(a, 'tag-a', 'ZZZZ')).toBe('7KQ2');
    expect(await hello(b, 'tag-b')).toBe(swapped);
    // Not a tag: refused before anything is written.
    expectError(await server.call(a.token, 'GET', '/v1/hello?deviceId=tag-a&codeTag=OOPS'), 400, 'bad_request');
  });

  it('a device id that cannot end a clock is refused at binding', async () => {
    const team = await server.team();
    const device = await server.device(team.name, 'laptop 1', { bind: false });
    expectError(await device.hello(), 400, 'bad_request');
    expect((await server.db.selectFrom('devices').select('device_id').where('id', '=', device.tokenId).executeTakeFirstOrThrow()).device_id).toBeNull();
  });

  it('the first push binds an unbound token too, and a second live token cannot take a bound device id', async () => {
    const team = await server.team();
    const first = await server.device(team.name, 'laptop-x', { bind: false });
    expect((await first.push([first.create('area', 'a1')])).status).toBe(200);
    const second = await server.device(team.name, 'laptop-x', { bind: false });
    expectError(await second.hello(), 403, 'forbidden');
    // Once the first is revoked (a reinstalled laptop gets a new token), the new one binds and keeps the sequence.
    await revokeDevice(server.db, first.tokenId);
    expect((await second.hello()).status).toBe(200);
    second.seq = 1;
    expect((await second.push([second.create('area', 'a2')])).body.lastApplied).toBe(2);
  });

  it('no token, a malformed one, an unknown one: 401', async () => {
    expectError(await server.call(null, 'GET', '/v1/hello?deviceId=x'), 401, 'unauthorized');
    expectError(await server.call(null, 'GET', '/v1/hello?deviceId=x', undefined, { authorization: 'Basic abc' }), 401, 'unauthorized');
    expectError(await server.call('short', 'GET', '/v1/hello?deviceId=x'), 401, 'unauthorized');
    expectError(await server.call('A'.repeat(43), 'GET', '/v1/pull?cursor=0'), 401, 'unauthorized');
    expectError(await server.call('A'.repeat(43), 'POST', '/v1/push', { nonsense: true }), 401, 'unauthorized');
  });

  it('a revoked token is locked out at once', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    expect((await device.push([device.create('area', 'a1')])).status).toBe(200);
    const revoked = await revokeDevice(server.db, device.deviceId.slice(0, 8));
    expect(revoked.id).toBe(device.tokenId);
    const before = await writes();
    expectError(await device.push([device.create('area', 'a2')]), 401, 'unauthorized');
    expectError(await device.pull('0'), 401, 'unauthorized');
    expectError(await device.hello(), 401, 'unauthorized');
    expect(await writes()).toBe(before);
  });

  it("the team comes from the token: another team's device id is refused, and its changes are never seen", async () => {
    const [teamA, teamB] = [await server.team(), await server.team()];
    const a = await server.device(teamA.name, 'team-a-laptop');
    const b = await server.device(teamB.name, 'team-b-laptop');
    await b.push([b.create('client', 'secret')]);
    const before = await writes();
    expectError(await a.push([{ ...a.create('area', 'a1'), deviceId: 'team-b-laptop' }], 'team-b-laptop'), 403, 'forbidden');
    expect(await writes()).toBe(before);
    expect((await a.pull('0')).body.changes).toEqual([]);
  });
});

describe('bad input', () => {
  it('malformed JSON, wrong types, unknown keys, a change of another device, a gap inside a push: 400 and nothing written', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const good = device.create('area', 'a1');
    const before = await writes();
    const cases: [string, unknown][] = [
      ['malformed JSON', '{"deviceId": "x", "changes": ['],
      ['empty body', ''],
      ['not an object', '[]'],
      ['wrong type', { deviceId: device.deviceId, changes: 'all of them' }],
      ['wrong field type', { deviceId: device.deviceId, changes: [{ ...good, deviceSeq: 'one' }] }],
      ['bad clock', { deviceId: device.deviceId, changes: [{ ...good, hlc: 'yesterday' }] }],
      ['bad operation', { deviceId: device.deviceId, changes: [{ ...good, operation: 'upsert' }] }],
      ['unknown key', { deviceId: device.deviceId, changes: [good], extra: true }],
      ['missing deviceId', { changes: [good] }],
      ['change of another device', { deviceId: device.deviceId, changes: [{ ...good, deviceId: 'someone-else' }] }],
      ['gap inside a push', { deviceId: device.deviceId, changes: [good, { ...good, id: 'other', deviceSeq: 3 }] }],
    ];
    for (const [name, payload] of cases) {
      const answer = await server.call(device.token, 'POST', '/v1/push', payload, typeof payload === 'string' ? { 'content-type': 'application/json' } : {});
      expect(answer.status, name).toBe(400);
      expect(syncErrorSchema.parse(answer.body).error, name).toBe('bad_request');
    }
    const text = await server.call(device.token, 'POST', '/v1/push', 'hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(await writes()).toBe(before);
  });

  it('an oversized batch or body: 413 too_large, nothing written', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const before = await writes();
    const batch = Array.from({ length: maxPushChanges + 1 }, (_, i) => ({ ...device.create('area', `a${i}`) }));
    expectError(await device.push(batch), 413, 'too_large');
    const huge = { deviceId: device.deviceId, changes: [{ ...device.create('area', 'big'), note: 'x'.repeat(9 * 1024 * 1024) }] };
    expectError(await server.call(device.token, 'POST', '/v1/push', huge), 413, 'too_large');
    expect(await writes()).toBe(before);
    // Exactly the limit is fine.
    device.seq = 0;
    const full = Array.from({ length: maxPushChanges }, (_, i) => device.create('area', `a${i}`));
    expect((await device.push(full)).body.lastApplied).toBe(maxPushChanges);
  });

  it('an unknown route is a typed 404', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    expectError(await server.call(device.token, 'GET', '/v1/nothing'), 404, 'not_found');
    expectError(await server.call(null, 'GET', '/nothing'), 404, 'not_found');
  });
});

describe('rate limits', () => {
  it('a device over its rate gets 429 with Retry-After, and recovers as the clock moves', async () => {
    const limited = await testServer({ limits: { requestsPerMinute: 60, requestBurst: 3 } });
    try {
      let now = Date.UTC(2026, 0, 1, 12);
      limited.clock.now = () => now;
      const team = await limited.team();
      const device = await limited.device(team.name); // hello: 1 of 3
      expect((await device.pull('0')).status).toBe(200);
      expect((await device.pull('0')).status).toBe(200);
      const refused = await device.pull('0');
      expectError(refused, 429, 'rate_limited');
      expect(refused.headers['retry-after']).toBe('1');
      // Another device has its own bucket.
      expect((await (await limited.device(team.name)).pull('0')).status).toBe(200);
      now += 1000;
      expect((await device.pull('0')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('an address that keeps failing authentication is refused before any lookup', async () => {
    const limited = await testServer({ limits: { authFailuresPerMinute: 5 } });
    try {
      for (let i = 0; i < 5; i++) expectError(await limited.call(`${'B'.repeat(40)}${i}`, 'GET', '/v1/pull'), 401, 'unauthorized');
      expectError(await limited.call(`${'B'.repeat(40)}x`, 'GET', '/v1/pull'), 429, 'rate_limited');
    } finally {
      await limited.close();
    }
  });
});
