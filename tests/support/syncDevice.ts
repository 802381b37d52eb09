// One laptop of a sync test, as a process of its own (so a test can kill it with SIGKILL in the middle of a
// push): a real runtime on its own database file, its sync job pointed at a server, driven by its parent over
// IPC. `node --import tsx tests/support/syncDevice.ts DIR URL TOKEN`.
import path from 'node:path';
import { countPending } from '../../db/sync/outbox';
import { entitySpecs } from '../../db/sync/entities';
import { createDispatcher } from '../../main/dispatch';
import { startRuntime } from '../../main/runtime';
import { saveSyncConfig } from '../../main/sync/config';

export type DeviceRequest =
  | { id: number; op: 'call'; channel: string; input: unknown }
  | { id: number; op: 'sync' }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

export interface DeviceDump {
  deviceId: string;
  pending: number;
  /** Every synced record, its synced fields only (what every device and the server must agree on). */
  records: Record<string, Record<string, unknown>[]>;
  /** Ids and sequences of the changes this device made. */
  own: { id: string; seq: number }[];
  /** Ids of every change in its log. */
  logIds: string[];
  parked: number;
  /** Fields of colleagues' changes that lost to a later value here (each kept in the history). */
  conflicts: number;
}

const [dir, url, token] = process.argv.slice(2) as [string, string, string];

const runtime = await startRuntime({
  databaseFile: path.join(dir, 'clients.sqlite'),
  dataDir: dir,
  shell: 'browser',
  appVersion: 'test',
  // Syncs when the test says so (and on the job's own retries after a failure): nothing sized by time.
  sync: { debounceMs: 3_600_000, intervalMs: 3_600_000, maxBackoffMs: 200 },
});
const { ctx } = runtime;
const dispatch = createDispatcher(ctx, { logError: (channel, error) => console.error(`[device ${ctx.deviceId}] ${channel}`, error) });
await saveSyncConfig(ctx.db, ctx.secrets, { url, token, enabled: true });
await ctx.sync.refresh();

async function dump(): Promise<DeviceDump> {
  const records: DeviceDump['records'] = {};
  for (const spec of Object.values(entitySpecs)) {
    const rows = (await ctx.db.selectFrom(spec.table).selectAll().execute()) as Record<string, unknown>[];
    records[spec.entity] = rows
      .map((row) => Object.fromEntries([...spec.keys, ...spec.fields].map((f) => [f, row[f] ?? null])))
      .sort((a, b) => JSON.stringify(spec.keys.map((k) => a[k])).localeCompare(JSON.stringify(spec.keys.map((k) => b[k]))));
  }
  const log = await ctx.db.selectFrom('change_log').select(['id', 'device_id', 'device_seq']).execute();
  return {
    deviceId: ctx.deviceId,
    pending: await countPending(ctx.db, ctx.deviceId),
    records,
    own: log.filter((r) => r.device_id === ctx.deviceId && r.device_seq !== null).map((r) => ({ id: r.id, seq: r.device_seq! })),
    logIds: log.map((r) => r.id),
    parked: Number((await ctx.db.selectFrom('sync_parked').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    conflicts: (await ctx.db.selectFrom('change_log').select('changes').where('changes', 'like', '%"lost":true%').execute()).reduce((n, r) => n + (r.changes.match(/"lost":true/g)?.length ?? 0), 0),
  };
}

process.on('message', (request: DeviceRequest) => {
  void (async () => {
    let answer: unknown;
    if (request.op === 'call') answer = await dispatch(request.channel, request.input);
    else if (request.op === 'sync') answer = await ctx.sync.syncNow();
    else if (request.op === 'dump') answer = await dump();
    else {
      await runtime.close();
      process.send!({ id: request.id, answer: null }, () => process.exit(0));
      return;
    }
    process.send!({ id: request.id, answer });
  })();
});
process.send!({ ready: ctx.deviceId });
