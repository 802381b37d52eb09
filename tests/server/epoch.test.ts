import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Change } from '../../contract/sync';
import { resetEpoch } from '../../server/src/admin';
import { openPostgres } from '../../server/src/database';
import { testDatabase, testServer, type TestServer } from './support/server';

// A server restored from an older backup: with a new epoch, devices push their history again from the start and
// re-pull from the beginning; the server applies what it lacks, once.

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('epoch', () => {
  it('every answer carries the epoch; epoch reset changes it', async () => {
    const server = await testServer();
    cleanups.push(() => server.close());
    const team = await server.team();
    const device = await server.device(team.name);
    const before = (await device.hello()).body.serverEpoch;
    expect((await device.push([device.create('area', 'a1')])).body.serverEpoch).toBe(before);
    expect((await device.pull('0')).body.serverEpoch).toBe(before);
    const after = await resetEpoch(server.db);
    expect(after).not.toBe(before);
    expect((await device.hello()).body.serverEpoch).toBe(after);
  });

  it('after a restore from an older backup, re-pushed history fills what the server lost and nothing twice', async () => {
    const database = await testDatabase();
    const dbName = new URL(database.url).pathname.slice(1);
    const backupName = `${dbName}_backup`;
    let server: TestServer = await testServer({ database });
    const team = await server.team();
    const a = await server.device(team.name, 'dev-a');
    const b = await server.device(team.name, 'dev-b');
    const history: Change[] = [a.create('client', 'c1'), a.change('client', 'c1', 'update', { phone: '+34 1' }), a.create('contact', 'k1')];
    await a.push(history);
    const epochBefore = (await a.hello()).body.serverEpoch;

    // Back up (a copy of the database), then go on: more changes the backup will not have.
    await server.close();
    await database.db.destroy();
    await admin(`CREATE DATABASE ${backupName} TEMPLATE ${dbName}`);
    let reopened = await openPostgres(database.url);
    server = await testServer({ database: reopened });
    a.call = b.call = server.call;
    history.push(a.change('client', 'c1', 'update', { comments: 'Lost in the crash' }), a.create('contact', 'k2'));
    expect((await a.push(history.slice(3))).body.lastApplied).toBe(5);
    expect((await b.pullAll()).map((c) => c.id)).toEqual(history.map((c) => c.id));

    // Disaster: the database is restored from the backup, and the admin resets the epoch.
    await server.close();
    await reopened.close();
    await admin(`DROP DATABASE ${dbName} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${dbName} TEMPLATE ${backupName}`);
    await admin(`DROP DATABASE ${backupName}`);
    reopened = await openPostgres(database.url);
    server = await testServer({ database: reopened });
    cleanups.push(async () => {
      await server.close();
      await reopened.close();
      await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    });
    a.call = b.call = server.call;
    const epochAfter = await resetEpoch(server.db);
    expect(epochAfter).not.toBe(epochBefore);

    // A device that sees another epoch pushes its whole history again, from its first change.
    const hello = await a.hello();
    expect(hello.body.serverEpoch).toBe(epochAfter);
    const next = a.create('area', 'after-restore');
    const repush = await a.push([...history, next]);
    expect(repush.body).toMatchObject({ lastApplied: 6, rejected: [], serverEpoch: epochAfter });
    const rows = await server.db.selectFrom('changes').select(['device_seq', 'change_id']).where('team_id', '=', team.id).orderBy('device_seq').execute();
    expect(rows.map((r) => Number(r.device_seq))).toEqual([1, 2, 3, 4, 5, 6]);
    const record = await server.db.selectFrom('records').select('fields').where('team_id', '=', team.id).where('entity_id', '=', 'c1').executeTakeFirstOrThrow();
    expect(record.fields.comments).toBe('Lost in the crash');

    // The other device, seeing the new epoch, pulls again from the start and gets everything once.
    b.cursor = '0';
    expect((await b.pullAll()).map((c) => c.id)).toEqual([...history, next].map((c) => c.id));
  });
});
