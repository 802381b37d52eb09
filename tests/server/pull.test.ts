import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullResponseSchema, type Change } from '../../contract/sync';
import { authenticate } from '../../server/src/auth';
import { applyPush } from '../../server/src/push';
import { testServer, type TestDevice, type TestServer } from './support/server';

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

/** Every change of the team other than `deviceId`'s, accepted, in commit order: what a pull stream must equal. */
async function commitOrder(teamId: string, deviceId: string) {
  const rows = await server.db
    .selectFrom('changes')
    .select('change_id')
    .where('team_id', '=', teamId)
    .where('device_id', '<>', deviceId)
    .where('rejected', 'is', null)
    .orderBy('version')
    .orderBy('device_seq')
    .execute();
  return rows.map((row) => row.change_id);
}

/** Waits for a state the test can observe (not for time to pass): checked again after each turn of the event loop and a short pause. */
async function until(condition: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 6000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe('pull', () => {
  it("sends other devices' changes as pushed, in commit order, never the device's own or rejected ones", async () => {
    const team = await server.team();
    const [a, b, c] = [await server.device(team.name, 'dev-a'), await server.device(team.name, 'dev-b'), await server.device(team.name, 'dev-c')];
    const a1 = [a.create('client', 'c1'), a.change('client', 'c1', 'update', { phone: '+34 600 000 000' })];
    await a.push(a1);
    const b1 = [b.create('contact', 'k1'), b.change('nope', 'x', 'update', { y: 1 })];
    await b.push(b1);
    await a.push([a.change('client', 'c1', 'update', { comments: 'Second visit' })]);

    const page = await c.pull('0');
    expect(page.status).toBe(200);
    expect(() => pullResponseSchema.parse(page.body)).not.toThrow();
    expect(page.body.changes.map((x) => x.id)).toEqual([...a1.map((x) => x.id), b1[0]!.id, 'dev-a-3']);
    expect(page.body.changes[0]).toEqual(a1[0]);
    expect(page.body).toMatchObject({ more: false, remaining: 4, cursor: '3' });

    const own = await a.pull('0');
    expect(own.body.changes.map((x) => x.id)).toEqual([b1[0]!.id]);
    // Nothing new: the cursor stays, remaining is 0.
    expect((await c.pull('3')).body).toMatchObject({ changes: [], cursor: '3', more: false, remaining: 0 });
  });

  it('pages end at push boundaries (a page finishes the push it started) and count what remains', async () => {
    const team = await server.team();
    const [a, b, reader] = [await server.device(team.name), await server.device(team.name), await server.device(team.name)];
    const pushes: Change[][] = [];
    for (let i = 0; i < 4; i++) {
      const device = i % 2 ? b : a;
      const batch = Array.from({ length: 3 + i }, (_, k) => device.create('area', `${device.deviceId}-${i}-${k}`));
      pushes.push(batch);
      await device.push(batch);
    }
    const first = await reader.pull('0', 1);
    expect(first.body.changes).toHaveLength(3);
    expect(first.body).toMatchObject({ more: true, remaining: 3 + 4 + 5 + 6 });
    const second = await reader.pull(first.body.cursor, 5);
    expect(second.body.changes.map((x) => x.id)).toEqual([...pushes[1]!, ...pushes[2]!].map((x) => x.id));
    expect(second.body).toMatchObject({ more: true, remaining: 4 + 5 + 6 });
    const third = await reader.pull(second.body.cursor, 1000);
    expect(third.body.changes.map((x) => x.id)).toEqual(pushes[3]!.map((x) => x.id));
    expect(third.body.more).toBe(false);
  });

  it("the cursor passes the device's own pushes, and a cursor beyond the server's head comes back to it", async () => {
    const team = await server.team();
    const a = await server.device(team.name);
    for (let i = 0; i < 3; i++) await a.push([a.create('area', `x${i}`)]);
    expect((await a.pull('0')).body).toMatchObject({ changes: [], cursor: '3', more: false, remaining: 0 });
    expect((await a.pull('99')).body).toMatchObject({ changes: [], cursor: '3' });
  });

  it('refuses a malformed cursor or limit, and a token not bound to a device yet', async () => {
    const team = await server.team();
    const a = await server.device(team.name);
    expect((await a.pull('-1')).body.error).toBe('bad_request');
    expect((await a.pull('abc')).body.error).toBe('bad_request');
    expect((await a.pull('99999999999999999999')).status).toBe(400);
    expect((await a.pull('9999999999999999999')).status).toBe(400);
    expect((await a.pull('0', 5001)).status).toBe(400);
    expect((await server.call(a.token, 'GET', '/v1/pull?cursor=0&extra=1')).status).toBe(400);
    const unbound = await server.device(team.name, 'dev-unbound', { bind: false });
    expect(await unbound.pull('0')).toMatchObject({ status: 403, body: { error: 'forbidden' } });
  });

  it('a push that took a lower version but commits later is never stepped over by a reader', async () => {
    const team = await server.team();
    const [a, b, reader] = [await server.device(team.name), await server.device(team.name), await server.device(team.name)];
    await a.push([a.create('area', 'warm-up')]);
    const head = (await reader.pull('0')).body.cursor;

    // Push A takes the next version and is held open inside its transaction.
    const authA = await authenticate(server.db, `Bearer ${a.token}`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let took!: (version: string) => void;
    const tookVersion = new Promise<string>((resolve) => (took = resolve));
    const changeA = a.create('area', 'slow');
    const pushA = applyPush(server.db, { ...authA, deviceId: a.deviceId }, { deviceId: a.deviceId, serverEpoch: null, changes: [changeA] }, server.clock.now(), {
      afterVersion: async (version) => {
        took(version);
        await held;
      },
    });
    const versionA = await tookVersion;
    expect(versionA).toBe(String(Number(head) + 1));

    // Push B starts after A took its version: it waits for A's row lock instead of committing a higher version first.
    const changeB = b.create('area', 'fast');
    const pushB = b.push([changeB]);
    await until(async () => {
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(server.db);
      return Number(rows[0]!.n) > 0;
    }, 'push B waits for the version row');

    // Meanwhile a reader sees neither and keeps its cursor where it was.
    expect((await reader.pull(head)).body).toMatchObject({ changes: [], cursor: head });
    release();
    await pushA;
    expect((await pushB).body.lastApplied).toBe(1);
    const after = await reader.pull(head);
    expect(after.body.changes.map((x) => x.id)).toEqual([changeA.id, changeB.id]);
  });

  it('several devices pushing at once while others pull: no pull ever misses or repeats a committed change', async () => {
    const team = await server.team();
    const pushers = await Promise.all(Array.from({ length: 4 }, (_, i) => server.device(team.name, `pusher-${i}`)));
    const pullers = await Promise.all(Array.from({ length: 2 }, (_, i) => server.device(team.name, `puller-${i}`)));
    let pushing = true;
    const streams = new Map<TestDevice, Change[]>(pullers.map((p) => [p, []]));
    const pulling = pullers.map(async (puller, i) => {
      // Pulls in small pages for as long as pushes go on, then once more to the end.
      while (pushing) streams.get(puller)!.push(...(await puller.pullAll(5 + i * 13)));
      streams.get(puller)!.push(...(await puller.pullAll(5 + i * 13)));
    });
    await Promise.all(
      pushers.map(async (device) => {
        for (let batch = 0; batch < 12; batch++) {
          const changes = Array.from({ length: 1 + ((batch * 7) % 9) }, (_, k) => device.create('contact', `${device.deviceId}-${batch}-${k}`));
          const answer = await device.push(changes);
          expect(answer.status).toBe(200);
        }
      }),
    );
    pushing = false;
    await Promise.all(pulling);
    const expected = await commitOrder(team.id, 'puller-0');
    expect(expected.length).toBe(4 * [...Array(12).keys()].reduce((sum, batch) => sum + 1 + ((batch * 7) % 9), 0));
    for (const puller of pullers) expect(streams.get(puller)!.map((x) => x.id)).toEqual(expected);
  });
});
