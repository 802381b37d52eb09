import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addDevice, addTeam } from '../../server/src/admin';
import { startFaultyProxy, type FaultyProxy } from '../support/faultyProxy';
import type { DeviceDump, DeviceRequest } from '../support/syncDevice';
import { testDatabase } from './support/server';

// Convergence under faults, end to end: the real sync server (its own process, on the test PostgreSQL) and
// three laptops (three processes, three databases, each with its own sync job) making seeded random offline
// edits of every kind — the same records edited on two laptops, records removed on one while edited on
// another, the same company created on two — and syncing through a proxy that drops requests, loses answers
// after the server applied them, sends requests twice, delays and reorders them and answers 500; one laptop
// is killed (SIGKILL) in the middle of a push, before and after the server applied it, and the server is
// killed and restarted in the middle of the run. Then, with the network healthy, they sync until quiet and
// must all hold the same data as the server, every change made anywhere present, none applied twice.
// 2 seeds in npm test, 10 in npm run proofs (PROOFS=long); SYNC_PROOF_RUNS sets another count.

const runs = Number(process.env.SYNC_PROOF_RUNS ?? (process.env.PROOFS === 'long' ? 10 : 2));
const rounds = Number(process.env.PROOF_ROUNDS ?? 6);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const root = path.resolve(import.meta.dirname, '../..');
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** The sync server as its own process on the test database; `restart` kills it (SIGKILL) and starts it again. */
async function serverProcess(databaseUrl: string, documentsDir: string) {
  let child: ChildProcess | null = null;
  let port: number | null = null;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'serve', '--port', '0'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: databaseUrl, DOCUMENTS_DIR: documentsDir, LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_BURST: '1000000' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(buffer);
        if (match && port === null) {
          port = Number(match[1]);
          resolve();
        }
      });
      child.on('exit', (code) => port === null && reject(new Error(`server exited ${code}`)));
    });
  await start();
  return {
    target: () => (port === null ? null : { port }),
    kill() {
      child?.kill('SIGKILL');
      port = null;
    },
    async restart() {
      child?.kill('SIGKILL');
      port = null;
      await start();
    },
    stop() {
      child?.kill('SIGKILL');
    },
  };
}

/** One laptop: its process, restartable on the same database after a kill. */
class Device {
  private child!: ChildProcess;
  private next = 1;
  private waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  id = '';

  constructor(
    readonly dir: string,
    private readonly url: string,
    private readonly token: string,
  ) {}

  async start() {
    this.child = fork(path.join(root, 'tests/support/syncDevice.ts'), [this.dir, this.url, this.token], { execArgv: ['--import', 'tsx'], cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const child = this.child;
    this.id = await new Promise<string>((resolve, reject) => {
      child.on('message', (message: { ready?: string; id?: number; answer?: unknown }) => {
        if (message.ready) return resolve(message.ready);
        const w = this.waiting.get(message.id!);
        this.waiting.delete(message.id!);
        w?.resolve(message.answer);
      });
      child.on('exit', () => {
        reject(new Error('device exited before it was ready'));
        for (const w of this.waiting.values()) w.reject(new Error('device killed'));
        this.waiting.clear();
      });
    });
  }

  send<T>(request: DeviceRequest extends infer R ? (R extends DeviceRequest ? Omit<R, 'id'> : never) : never): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...request, id });
    });
  }

  call<T = unknown>(channel: string, input: unknown = {}) {
    return this.send<{ ok: true; data: T } | { ok: false; error: { code: string } }>({ op: 'call', channel, input });
  }

  kill() {
    this.child.kill('SIGKILL');
  }

  get alive() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the process is gone (at once if it already is). */
  exited(): Promise<void> {
    return this.alive ? new Promise((resolve) => this.child.once('exit', () => resolve())) : Promise.resolve();
  }

  async close() {
    if (this.child.exitCode === null && this.child.signalCode === null) await this.send({ op: 'close' }).catch(() => undefined);
  }
}

interface Stats {
  operations: number;
  answered: number;
  refused: number;
  syncs: number;
  kills: number;
  serverRestarts: number;
}

/** A seeded random edit on one laptop, of any kind, on what that laptop has (so colleagues' records too). */
async function randomEdit(device: Device, random: () => number, stats: Stats, n: number, sharedNames: string[]) {
  const dump = await device.send<DeviceDump>({ op: 'dump' });
  const pick = <T,>(list: T[]) => (list.length ? list[Math.floor(random() * list.length)] : undefined);
  const live = (entity: string, deletion = 'deleted_at') => dump.records[entity]!.filter((r) => r[deletion] === null);
  const clients = live('client', 'archived_at');
  const areaId = pick(dump.records.area!)?.id as string;
  const users = dump.records.user!.map((u) => u.id as string);
  const answered = (answer: { ok: boolean }) => {
    stats.operations++;
    if (answer.ok) stats.answered++;
    else stats.refused++;
  };
  const kind = Math.floor(random() * 12);
  const client = pick(clients);
  const version = async (channel: string, id: string) => {
    const got = await device.call<Record<string, unknown>>(channel, { id });
    return got.ok ? ((channel === 'clients.get' ? (got.data.client as Record<string, unknown>) : got.data) as Record<string, unknown>) : null;
  };
  if (kind <= 1 || !client) {
    // A new client; now and then one a colleague creates too (the same company, offline on two laptops).
    const name = random() < 0.3 && sharedNames.length ? pick(sharedNames)! : `Firma ${device.id.slice(-4)} ${n}`;
    const input = { companyName: name, email: `info@${name.toLowerCase().replace(/\W+/g, '')}.example`, areaId, phone: '912 345 678' };
    const first = await device.call('clients.create', input);
    if (!first.ok && first.error.code === 'DUPLICATE') {
      answered(await device.call('clients.create', { ...input, acknowledgedDuplicateIds: ((first.error as { matches?: { id: string }[] }).matches ?? []).map((m) => m.id) }));
    } else answered(first);
    return;
  }
  if (kind === 2 || kind === 3) {
    const current = await version('clients.get', client.id as string);
    if (!current) return;
    const change = [{ phone: `+34 91 ${String(n).padStart(3, '0')} 00 00` }, { comments: `Edited on ${device.id.slice(-4)} #${n}` }, { status: pick(['active', 'paused', 'inactive']) }, { website: `https://www.site${n}.example` }][Math.floor(random() * 4)];
    answered(await device.call('clients.update', { id: current.id, version: current.version, companyName: current.companyName, email: current.email, areaId: current.areaId, phone: current.phone, website: current.website, comments: current.comments, status: current.status, ownerId: current.ownerId, ...change, acknowledgedDuplicateIds: [] }));
    return;
  }
  if (kind === 4) {
    const current = await version('clients.get', client.id as string);
    if (current) answered(await device.call('clients.archive', { id: current.id, version: current.version }));
    return;
  }
  if (kind === 5) {
    answered(await device.call('contacts.create', { clientId: client.id, name: `Persona ${device.id.slice(-4)} ${n}`, email: `p${n}.${device.id.slice(-4)}@people.example`, isPrimary: random() < 0.3 }));
    return;
  }
  if (kind === 6) {
    const contact = pick(live('contact'));
    if (!contact) return;
    if (random() < 0.3) return answered(await device.call('contacts.delete', { id: contact.id }));
    // The contact's version, as the Contacts tab holds it.
    const list = await device.call<{ id: string; version: number }[]>('contacts.list', { clientId: contact.client_id });
    const seen = list.ok ? list.data.find((c) => c.id === contact.id) : undefined;
    if (seen) answered(await device.call('contacts.update', { id: contact.id, version: seen.version, name: contact.name, role: `Role ${n}`, email: contact.email, phone: contact.phone, isPrimary: random() < 0.3, notes: contact.notes }));
    return;
  }
  if (kind === 7) {
    const owners = users.filter(() => random() < 0.5);
    const attachments = random() < 0.4 ? [{ fileName: `nota-${n}.txt`, mimeType: 'text/plain', contentBase64: Buffer.from(`document ${device.id} ${n}`).toString('base64') }] : [];
    answered(await device.call('events.create', { clientId: client.id, type: 'meeting', title: `Reunión ${n}`, occurredAt: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00.000Z`, ownerIds: owners, attachments }));
    return;
  }
  if (kind === 8) {
    const event = pick(live('event'));
    if (!event) return;
    if (random() < 0.3) return answered(await device.call(random() < 0.5 ? 'events.delete' : 'events.restore', { id: event.id }));
    const timeline = await device.call<{ rows: { id: string; version: number; attachments: { id: string }[] }[] }>('events.list', { clientId: event.client_id, limit: 200 });
    const seen = timeline.ok ? timeline.data.rows.find((e) => e.id === event.id) : undefined;
    if (!seen) return;
    answered(await device.call('events.update', { id: event.id, version: seen.version, type: 'call', title: `Llamada ${n}`, occurredAt: event.occurred_at, ownerIds: users.filter(() => random() < 0.5), removeAttachmentIds: random() < 0.3 ? seen.attachments.slice(0, 1).map((a) => a.id) : [] }));
    return;
  }
  if (kind === 9) {
    answered(await device.call('jobs.create', { clientId: client.id, title: `Puesto ${n}`, status: 'open', salaryMinMinor: 3_000_000, salaryMaxMinor: 4_000_000, salaryCurrency: 'EUR', salaryPeriod: 'year', feeType: 'percentage', feePercent: 18, probability: 40 }));
    return;
  }
  const job = pick(live('job'));
  if (!job) return;
  if (kind === 10 && random() < 0.3) return answered(await device.call('jobs.delete', { id: job.id }));
  const current = await version('jobs.get', job.id as string);
  if (!current) return;
  const { id: _i, clientId: _c, clientName: _n, code: _code, ownerName: _o, forecast: _f, createdAt: _ca, updatedAt: _u, ...fields } = current;
  answered(await device.call('jobs.update', { ...fields, id: job.id, title: `Puesto editado ${n}`, openings: 1 + (n % 4) }));
}

describe('team sync under a bad network', () => {
  it('three laptops and the server end with the same data, every change applied once', async () => {
    const totals = { runs: 0, operations: 0, answered: 0, refused: 0, syncs: 0, kills: 0, serverRestarts: 0, changes: 0, faults: {} as Record<string, number>, divergences: 0, losses: 0, duplicates: 0, conflicts: 0 };
    for (let run = 1; run <= runs; run++) {
      const random = rng(run * 7919);
      const database = await testDatabase();
      cleanup.push(() => database.close());
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-convergence-'));
      cleanup.push(() => fs.rmSync(work, { recursive: true, force: true }));
      const server = await serverProcess(database.url, path.join(work, 'documents'));
      cleanup.push(() => server.stop());
      const proxy: FaultyProxy = await startFaultyProxy({ target: server.target, random: rng(run * 104729), faultRate: 0.3 });
      cleanup.push(() => proxy.close());

      const team = await addTeam(database.db, `Team ${run}`);
      const devices: Device[] = [];
      for (let d = 0; d < 3; d++) {
        const { token } = await addDevice(database.db, team.id, `recruiter${d}@agency.example`);
        const device = new Device(path.join(work, `laptop-${d}`), proxy.url, token);
        fs.mkdirSync(device.dir, { recursive: true });
        await device.start();
        devices.push(device);
      }
      cleanup.push(async () => {
        for (const device of devices) await device.close();
      });

      const stats: Stats = { operations: 0, answered: 0, refused: 0, syncs: 0, kills: 0, serverRestarts: 0 };
      const sharedNames = ['Compañía Compartida', 'Shared Holdings Ltd', 'Grupo Común'];
      let n = 0;
      const sync = async (device: Device) => {
        stats.syncs++;
        await device.send({ op: 'sync' }).catch(() => undefined);
      };
      for (let round = 0; round < rounds; round++) {
        for (const device of devices) for (let k = 0; k < 6; k++) await randomEdit(device, random, stats, n++, sharedNames);
        if (round === 1 || round === 3) {
          // A laptop dies in the middle of its push: before the server saw it, then after the server applied it.
          const victim = devices[round === 1 ? 0 : 1]!;
          proxy.onNextPush({ deviceId: victim.id, when: round === 1 ? 'before' : 'after', action: () => victim.kill() });
          // The push may not come at once (a fault on an earlier request ends the attempt, or nothing waits):
          // sync until the laptop dies in its push; if it never pushes, it dies anyway, between two requests.
          for (let attempt = 0; victim.alive && attempt < 10; attempt++) await sync(victim);
          proxy.onNextPush(null);
          if (victim.alive) victim.kill();
          await victim.exited();
          stats.kills++;
          await victim.start();
        }
        if (round === 2) {
          // The server goes away in the middle of a request and comes back.
          proxy.onNextRequest(() => server.kill());
          await sync(devices[2]!);
          await server.restart();
          stats.serverRestarts++;
        }
        for (const device of devices) if (random() < 0.7) await sync(device);
      }

      // The network heals: sync until nothing is waiting anywhere and a whole round brings nothing new.
      proxy.setFaultRate(0);
      let dumps: DeviceDump[] = [];
      for (let quiet = 0, attempt = 0; quiet < 2 && attempt < 12; attempt++) {
        for (const device of devices) await sync(device);
        const next = await Promise.all(devices.map((d) => d.send<DeviceDump>({ op: 'dump' })));
        const settled = next.every((d) => d.pending === 0) && JSON.stringify(next.map((d) => d.logIds.length)) === JSON.stringify(dumps.map((d) => d.logIds.length));
        quiet = settled ? quiet + 1 : 0;
        dumps = next;
      }

      // Same data on every laptop, and on the server.
      expect(dumps.every((d) => d.pending === 0 && d.parked === 0)).toBe(true);
      const rowsOf = (d: DeviceDump) => Object.entries(d.records).flatMap(([entity, rows]) => rows.map((r) => `${entity} ${JSON.stringify(r)}`));
      const reference = new Set(rowsOf(dumps[0]!));
      totals.divergences += dumps.slice(1).reduce((count, d) => count + rowsOf(d).filter((r) => !reference.has(r)).length + Math.abs(rowsOf(d).length - reference.size), 0);
      totals.conflicts += dumps.reduce((count, d) => count + d.conflicts, 0);
      for (const other of dumps.slice(1)) expect(other.records).toEqual(dumps[0]!.records);
      const serverRecords = await database.db.selectFrom('records').select(['entity', 'entity_id', 'fields']).where('team_id', '=', team.id).execute();
      for (const [entity, rows] of Object.entries(dumps[0]!.records)) {
        const onServer = serverRecords.filter((r) => r.entity === entity);
        expect(onServer.length).toBe(rows.length);
        const byId = new Map(onServer.map((r) => [r.entity_id, typeof r.fields === 'string' ? (JSON.parse(r.fields) as Record<string, unknown>) : r.fields]));
        for (const row of rows) {
          const id = entity === 'event_owner' ? `${row.event_id}:${row.user_id}` : (row.id as string);
          const fields = byId.get(id);
          expect(fields, `${entity} ${id} on the server`).toBeDefined();
          for (const [field, value] of Object.entries(fields!)) expect([entity, id, field, row[field]]).toEqual([entity, id, field, value]);
        }
      }
      // Every change made anywhere is on the server once, and on every other laptop.
      const onServer = await database.db.selectFrom('changes').select(['device_id', 'device_seq', 'change_id', 'rejected']).where('team_id', '=', team.id).execute();
      const serverIds = new Set(onServer.map((c) => c.change_id));
      const made = dumps.flatMap((d) => d.own.map((o) => ({ ...o, device: d.deviceId })));
      const lost = made.filter((c) => !serverIds.has(c.id) || dumps.some((d) => !d.logIds.includes(c.id)));
      totals.losses += lost.length;
      totals.duplicates += onServer.length - new Set(onServer.map((c) => `${c.device_id}:${c.device_seq}`)).size;
      expect(lost).toEqual([]);
      expect(onServer.filter((c) => c.rejected !== null)).toEqual([]);
      expect(onServer.length).toBe(made.length);
      expect(new Set(onServer.map((c) => `${c.device_id}:${c.device_seq}`)).size).toBe(onServer.length);
      // Documents travelled: every laptop has the file of every document it shows (removed ones come when restored).
      for (const device of devices) {
        for (const attachment of dumps[0]!.records.attachment!.filter((a) => a.deleted_at === null)) {
          const sha = attachment.sha256 as string;
          expect(fs.existsSync(path.join(device.dir, 'attachments', sha.slice(0, 2), sha)), `document ${sha} on ${device.id}`).toBe(true);
        }
      }

      totals.runs++;
      for (const key of ['operations', 'answered', 'refused', 'syncs', 'kills', 'serverRestarts'] as const) totals[key] += stats[key];
      totals.changes += made.length;
      for (const [kind, count] of Object.entries(proxy.faults)) if (kind !== 'pass') totals.faults[kind] = (totals.faults[kind] ?? 0) + count;
      while (cleanup.length) await cleanup.pop()!();
    }
    console.log(
      `sync convergence: ${totals.runs} runs × ${rounds} rounds, ${totals.operations} operations (${totals.answered} saved, ${totals.refused} refused), ${totals.changes} changes, ${totals.syncs} syncs; ` +
        `faults ${JSON.stringify(totals.faults)}, ${totals.kills} laptops killed mid-push, ${totals.serverRestarts} server restarts, ${totals.conflicts} field conflicts resolved; divergences ${totals.divergences}, losses ${totals.losses}, duplicates ${totals.duplicates}`,
    );
  }, Math.max(900_000, runs * 400_000));
});
