// The sync server's figures (npm run bench, or alone: npm run bench -- --only server): how many changes a push
// of 1 000-change batches applies per second, and how long a new device takes to pull a whole team of N clients
// (3 contacts, 10 events and 2 jobs each, as create changes), each next to the same PostgreSQL doing the plain
// thing: a multi-row INSERT of the same rows, and a SELECT of the same change texts through the raw driver.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Change } from '../../contract/sync';
import { addDevice, addTeam } from '../../server/src/admin';
import { buildServer } from '../../server/src/app';
import { openPostgres } from '../../server/src/database';
import { FolderDocumentStore } from '../../server/src/documents';
import { startCluster } from '../server/support/postgres';
import { ChangeMaker } from '../support/syncChanges';
import { ratioText, round, type Row } from './stats';

const batchSize = 1000;
const perClient = 1 + 3 + 10 + 2;

/** The changes of one client and everything under it, as the device that created them would push them. */
function clientChanges(device: ChangeMaker, i: number): Change[] {
  const client = `client-${i}`;
  const changes = [device.create('client', client, { code: `CL-${String(i).padStart(6, '0')}`, company_name: `Company ${i} S.L.`, email: `info@company${i}.example.com` })];
  for (let k = 0; k < 3; k++) changes.push(device.create('contact', `contact-${i}-${k}`, { client_id: client, name: `Contact ${i}-${k}`, email: `person${k}@company${i}.example.com`, is_primary: k === 0 ? 1 : 0 }));
  for (let k = 0; k < 10; k++) changes.push(device.create('event', `event-${i}-${k}`, { client_id: client, title: `Meeting ${k} with company ${i}` }));
  for (let k = 0; k < 2; k++) changes.push(device.create('job', `job-${i}-${k}`, { client_id: client, code: `JB-${i}-${k}`, title: `Role ${k} at company ${i}` }));
  return changes;
}

/** Batches of 1 000 changes for `clients` clients, made as they are needed (the whole team would not fit in memory as JSON). */
function* batches(device: ChangeMaker, clients: number): Generator<Change[]> {
  let batch: Change[] = [];
  for (let i = 0; i < clients; i++) {
    for (const change of clientChanges(device, i)) {
      batch.push(change);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}

const percentile = (times: number[], q: number) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(q * times.length))]!;

export async function measureServer(options: { clients: number; databaseUrl?: string; log?: (line: string) => void }): Promise<Row[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const cluster = options.databaseUrl ? null : await startCluster({ prefix: 'clients-bench-pg-' });
  const adminUrl = options.databaseUrl ?? cluster!.url;
  const dbName = `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const database = await openPostgres(url.toString());
  const raw = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // A connection dropped while idle (the server stopped under us) fails the next query instead of the process.
  raw.on('error', (error) => log(`  sync server bench: raw connection lost: ${error.message}`));
  const app = await buildServer({
    db: database.db,
    documents: new FolderDocumentStore(path.join(os.tmpdir(), `${dbName}-documents`)),
    limits: { requestsPerMinute: 1e9, requestBurst: 1e9 },
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const rows: Row[] = [];
  try {
    const team = await addTeam(database.db, 'Bench agency');
    const writer = await addDevice(database.db, team.name, 'writer@example.com');
    const reader = await addDevice(database.db, team.name, 'reader@example.com');
    const request = async (token: string, path: string, body?: unknown) => {
      const response = await fetch(`${address}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const json = (await response.json()) as Record<string, unknown>;
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    };
    await request(writer.token, '/v1/hello?deviceId=bench-writer');
    await request(reader.token, '/v1/hello?deviceId=bench-reader');

    // Push: the writer sends the whole team in 1 000-change batches, one after the other, as its sync job would.
    // Each batch is then written again by the ceiling, a plain multi-row INSERT of the same rows (the change texts
    // and their keys) into an unindexed table: timed in alternation, so a change in the machine's speed (it is
    // shared) lands on both sides instead of in the ratio.
    await raw.query(`CREATE TABLE ceiling (team_id text, device_id text, device_seq bigint, change_id text, version bigint, hlc text, entity text, entity_id text, body text)`);
    const device = new ChangeMaker('bench-writer', () => Date.now() - 60_000);
    const pushTimes: number[] = [];
    const insertTimes: number[] = [];
    let changes = 0;
    let version = 0;
    let lastLog = performance.now();
    for (const batch of batches(device, options.clients)) {
      let start = performance.now();
      const answer = await request(writer.token, '/v1/push', { deviceId: 'bench-writer', serverEpoch: null, changes: batch });
      pushTimes.push(performance.now() - start);
      if (answer.lastApplied !== batch.at(-1)!.deviceSeq) throw new Error(`push answered ${JSON.stringify(answer)}`);

      version++;
      start = performance.now();
      const values: unknown[] = [];
      const tuples = batch.map((change, i) => {
        values.push(team.id, change.deviceId, change.deviceSeq, change.id, version, change.hlc, change.entity, change.entityId, JSON.stringify(change));
        return `(${Array.from({ length: 9 }, (_, k) => `$${i * 9 + k + 1}`).join(',')})`;
      });
      await raw.query(`INSERT INTO ceiling VALUES ${tuples.join(',')}`, values);
      insertTimes.push(performance.now() - start);

      changes += batch.length;
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        log(`  sync server: pushed ${changes} of ${options.clients * perClient} changes`);
      }
    }
    const sum = (times: number[]) => times.reduce((a, b) => a + b, 0);
    const pushRate = changes / (sum(pushTimes) / 1000);
    const insertRate = changes / (sum(insertTimes) / 1000);
    rows.push({
      case: `sync server: push, 1 000-change batches (${changes} changes, ${options.clients} clients), ms per batch`,
      p50: round(percentile(pushTimes, 0.5), 1),
      p95: round(percentile(pushTimes, 0.95), 1),
      target: `no target (${Math.round(pushRate)} changes/s)`,
      baseline: `multi-row INSERT of the same rows: ${Math.round(insertRate)} rows/s`,
      baselineP50: round(percentile(insertTimes, 0.5), 1),
      baselineP95: round(percentile(insertTimes, 0.95), 1),
      ratio: ratioText(pushRate / insertRate, "the INSERT's rate"),
    });

    // A server that has been running has vacuumed and analysed its tables by the time a new device joins; without
    // this the pull below would race autovacuum working through the load just written.
    await raw.query('VACUUM (ANALYZE) changes, pushes, records, ceiling');

    // Pull: a new device takes the whole team, page by page (the largest page a device may ask for). After each
    // page, its ceiling reads the same change texts through the raw driver and parses them the same way.
    let cursor = '0';
    let pulled = 0;
    const pullTimes: number[] = [];
    const readTimes: number[] = [];
    for (;;) {
      let start = performance.now();
      const page = (await request(reader.token, `/v1/pull?cursor=${cursor}&limit=5000`)) as { changes: Change[]; cursor: string; more: boolean };
      pullTimes.push(performance.now() - start);
      pulled += page.changes.length;

      start = performance.now();
      const { rows: same } = await raw.query<{ body: string }>(
        `SELECT body FROM changes WHERE team_id = $1 AND version > $2 AND version <= $3 ORDER BY version, device_seq`,
        [team.id, cursor, page.cursor],
      );
      JSON.parse(`[${same.map((r) => r.body).join(',')}]`);
      readTimes.push(performance.now() - start);

      cursor = page.cursor;
      if (!page.more) break;
    }
    if (pulled !== changes) throw new Error(`pulled ${pulled} of ${changes} changes`);
    const pullMs = sum(pullTimes);
    const readMs = sum(readTimes);
    const insertMs = sum(insertTimes);
    rows.push({
      case: `sync server: first pull of a ${options.clients}-client team (${pulled} changes, ${pullTimes.length} pages of ≤ 5 000)`,
      p50: round(pullMs, 0),
      p95: round(pullMs, 0),
      target: `no target (${Math.round(pulled / (pullMs / 1000))} changes/s)`,
      baseline: `SELECT of the same rows, raw driver (INSERT of them: ${round(insertMs, 0)} ms)`,
      baselineP50: round(readMs, 0),
      baselineP95: round(readMs, 0),
      ratio: ratioText(pullMs / readMs, `the SELECT's time (${round(pullMs / insertMs)}× the INSERT's)`),
    });
    return rows;
  } finally {
    await app.close();
    await raw.end();
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await cluster?.stop();
  }
}
