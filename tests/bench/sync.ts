// The sync job's figures (npm run bench; alone: npm run bench -- --only sync): a laptop pushes a team of N
// clients (each with its contact) to the real server, then 10 000 edits made offline; a new laptop takes the
// whole team in its first pull. Each next to the import's write ceiling measured in the same run on the same
// machine: the same clients and contacts with their change-log rows written by the import's own repository
// functions with no checks at all (what the laptop itself spent creating them).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { updateRecord } from '../../db/sync/write';
import { startRuntime, type Runtime } from '../../main/runtime';
import { saveSyncConfig } from '../../main/sync/config';
import { addDevice, addTeam } from '../../server/src/admin';
import { buildServer } from '../../server/src/app';
import { openPostgres } from '../../server/src/database';
import { FolderDocumentStore } from '../../server/src/documents';
import { startCluster } from '../server/support/postgres';
import { ratioText, round, type Row } from './stats';
import { clientRows, writeCeiling } from './transfer';

async function laptop(dir: string, url: string, token: string): Promise<Runtime> {
  fs.mkdirSync(dir, { recursive: true });
  // Syncs when the bench says so: no debounce or interval run in the middle of a measurement.
  const runtime = await startRuntime({ databaseFile: path.join(dir, 'clients.sqlite'), dataDir: dir, shell: 'browser', appVersion: 'bench', sync: { debounceMs: 3_600_000, intervalMs: 3_600_000 } });
  await saveSyncConfig(runtime.ctx.db, runtime.ctx.secrets, { url, token, enabled: true });
  await runtime.ctx.sync.refresh();
  return runtime;
}

async function timedSync(runtime: Runtime): Promise<number> {
  const start = performance.now();
  const status = await runtime.ctx.sync.syncNow();
  if (status.problem || status.pending) throw new Error(`sync did not finish: ${JSON.stringify(status)}`);
  return performance.now() - start;
}

export async function measureSyncJob(options: { clients: number; databaseUrl?: string; log?: (line: string) => void }): Promise<Row[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`  sync job: ${line}\n`));
  const cluster = options.databaseUrl ? null : await startCluster({ prefix: 'clients-bench-sync-pg-' });
  const adminUrl = options.databaseUrl ?? cluster!.url;
  const dbName = `bench_sync_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const database = await openPostgres(url.toString());
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-bench-sync-'));
  const app = await buildServer({ db: database.db, documents: new FolderDocumentStore(path.join(work, 'documents')), limits: { requestsPerMinute: 1e9, requestBurst: 1e9 } });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const rows: Row[] = [];
  const laptops: Runtime[] = [];
  try {
    const team = await addTeam(database.db, 'Bench agency');
    const writer = await laptop(path.join(work, 'writer'), address, (await addDevice(database.db, team.name, 'writer@example.com')).token);
    laptops.push(writer);
    const n = options.clients;

    // The ceiling: the laptop writes the team itself, as an import of a file of n clients with no checks would.
    const ceilingMs = await writeCeiling(writer, clientRows(n, 7, [], [], []).rows);
    const ceiling = n / (ceilingMs / 1000);
    log(`write ceiling: ${n} clients with contact and change log in ${round(ceilingMs / 1000, 1)} s, ${Math.round(ceiling)} clients/s`);

    const pushMs = await timedSync(writer);
    const pushed = n / (pushMs / 1000);
    log(`push: ${n} clients (${2 * n} changes) in ${round(pushMs / 1000, 1)} s, ${Math.round(pushed)} clients/s`);
    rows.push({
      case: `sync job: first push of a team of ${n} clients with their contacts (${2 * n} changes; clients/s, ${round(pushMs / 1000, 1)} s)`,
      p50: Math.round(pushed),
      p95: Math.round(pushed),
      target: 'no target',
      baseline: `import write ceiling: ${Math.round(ceiling)} clients/s`,
      ratio: ratioText(pushed / ceiling, 'the ceiling'),
    });

    // 10 000 edits made offline (a phone each, in transactions of 1 000 as a busy day of saves would leave them).
    const ids = (await writer.ctx.db.selectFrom('clients').select('id').orderBy('id').limit(10_000).execute()).map((r) => r.id);
    const actor = { deviceId: writer.ctx.deviceId, userId: null, at: new Date().toISOString(), newId: writer.ctx.newId };
    for (let from = 0; from < ids.length; from += 1000) {
      await writer.ctx.db.transaction().execute(async (trx) => {
        for (const [i, id] of ids.slice(from, from + 1000).entries()) await updateRecord(trx, actor, 'client', id, { phone: `+34 91${String(from + i).padStart(7, '0')}` });
      });
    }
    const editsMs = await timedSync(writer);
    log(`push: ${ids.length} edits in ${round(editsMs / 1000, 1)} s`);
    rows.push({
      case: `sync job: push of ${ids.length} local edits (ms)`,
      p50: round(editsMs, 0),
      p95: round(editsMs, 0),
      target: 'no target',
      baseline: `the ceiling writing as many clients: ${round((ids.length / ceiling) * 1000, 0)} ms`,
      ratio: ratioText(editsMs / ((ids.length / ceiling) * 1000), "the ceiling's time"),
    });

    // A colleague's new laptop: its first pull takes the whole team.
    const reader = await laptop(path.join(work, 'reader'), address, (await addDevice(database.db, team.name, 'reader@example.com')).token);
    laptops.push(reader);
    const pullMs = await timedSync(reader);
    const count = Number((await reader.ctx.db.selectFrom('clients').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    if (count !== n) throw new Error(`the first pull brought ${count} clients, not ${n}`);
    const pulled = n / (pullMs / 1000);
    log(`first pull: ${n} clients (${2 * n + ids.length} changes) in ${round(pullMs / 1000, 1)} s, ${Math.round(pulled)} clients/s`);
    rows.push({
      case: `sync job: first pull of a team of ${n} clients with their contacts and ${ids.length} edits (clients/s, ${round(pullMs / 1000, 1)} s)`,
      p50: Math.round(pulled),
      p95: Math.round(pulled),
      target: 'no target',
      baseline: `import write ceiling: ${Math.round(ceiling)} clients/s`,
      ratio: ratioText(pulled / ceiling, 'the ceiling'),
    });
  } finally {
    for (const runtime of laptops) await runtime.close();
    await app.close();
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`).catch(() => undefined);
    await admin.end();
    await cluster?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
