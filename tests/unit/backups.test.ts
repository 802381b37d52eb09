import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backup, BackupStatus } from '../../contract/backups';
import type { Client } from '../../contract/clients';
import type { Area } from '../../contract/areas';
import { workerCopyWriter, type BackupScheduler, type CopyWriter } from '../../main/backups/backupService';
import { copiesToKeep } from '../../main/backups/rotation';
import { startRuntime } from '../../main/runtime';
import { migrations } from '../../db/migrations';
import { fixtureFile } from '../fixtures/schema-fixtures';
import { testRuntime } from '../support/runtime';

type Rt = Awaited<ReturnType<typeof testRuntime>>;
const open: Rt[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.dispose();
});

/** A copy written on this thread with SQLite's VACUUM INTO: the same file the worker writes, without a thread per copy. */
const inPlace: CopyWriter = async (source, target) => {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
};

/** The hourly check, called by the test instead of a timer. */
function manualScheduler() {
  const ticks: (() => void)[] = [];
  const scheduler: BackupScheduler = {
    every(ms, tick) {
      expect(ms).toBe(60 * 60 * 1000);
      ticks.push(tick);
      return () => ticks.splice(ticks.indexOf(tick), 1);
    },
  };
  return { scheduler, tick: () => ticks.forEach((tick) => tick()), count: () => ticks.length };
}

async function runtime(clock: { now: Date }, extra: Parameters<typeof testRuntime>[0] = {}) {
  const rt = await testRuntime({ now: () => clock.now, writeBackup: inPlace, ...extra });
  open.push(rt);
  return rt;
}

/** Waits for every copy queued so far (the service writes one thing at a time). */
const settled = (rt: Rt) => rt.ctx.backups.withoutCopies(async () => undefined);
const status = (rt: Rt) => rt.call<BackupStatus>('backups.list');
const day = (n: number, hour = 8) => new Date(Date.UTC(2026, 0, 1 + n, hour, 0, 0));

async function addClient(rt: Rt, companyName: string) {
  const areas = await rt.call<Area[]>('areas.list');
  return rt.call<Client>('clients.create', { companyName, email: `info@${companyName.toLowerCase().replace(/\W/g, '')}.com`, areaId: areas[0]!.id });
}
const names = async (rt: Rt) => (await rt.call<{ rows: Client[] }>('clients.list', { sort: 'company_name', direction: 'asc' })).rows.map((c) => c.companyName);

describe('daily copies', () => {
  it('takes one at start-up, then one a day from the hourly check, and keeps 7 daily and 4 weekly over 40 days', async () => {
    const clock = { now: day(0) };
    const timer = manualScheduler();
    const rt = await runtime(clock, { automaticBackups: true, backupScheduler: timer.scheduler });
    await settled(rt);
    expect((await status(rt)).backups.map((b) => [b.createdAt, b.kind])).toEqual([[day(0).toISOString(), 'daily']]);
    expect(timer.count()).toBe(1);

    for (let d = 0; d < 40; d++) {
      // Several checks a day; only the first one on a new day writes a copy.
      for (const hour of [8, 13, 22]) {
        clock.now = day(d, hour);
        timer.tick();
        await settled(rt);
      }
      // "Back up now" twice on two days: the later one of day 38 is kept beside that day's automatic copy.
      if (d === 20 || d === 38) {
        for (const hour of [14, 23]) {
          clock.now = day(d, hour);
          expect((await rt.call<{ backup: Backup | null }>('backups.create')).backup?.kind).toBe('manual');
        }
      }
    }
    const kept = (await status(rt)).backups;
    const dailies = kept.filter((b) => b.kind === 'daily');
    expect(kept).toHaveLength(12);
    // Newest first: the last seven days, one automatic copy each, and day 38's last manual one…
    expect(dailies.slice(0, 7).map((b) => b.createdAt)).toEqual([39, 38, 37, 36, 35, 34, 33].map((d) => day(d).toISOString()));
    expect(kept.filter((b) => b.kind === 'manual').map((b) => b.createdAt)).toEqual([day(38, 23).toISOString()]);
    // …then the newest copy (Sunday's) of each of the four whole weeks before them: the dailies start on
    // Tuesday 3 February, so the weeks are those of 26, 19, 12 and 5 January.
    expect(dailies.slice(7).map((b) => b.createdAt)).toEqual([day(31), day(24), day(17), day(10)].map((d) => d.toISOString()));
    expect(new Set(dailies.slice(7).map((b) => Math.floor((Date.parse(b.createdAt) / 86_400_000 + 3) / 7))).size).toBe(4);
    // Only the kept files are in the folder: nothing half written, nothing rotated out left behind.
    expect(fs.readdirSync(rt.ctx.backups.folder).sort()).toEqual(kept.map((b) => b.id).sort());
    expect(kept.every((b) => b.sizeBytes > 0)).toBe(true);
  });

  it('takes none at start-up when the day already has one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-backups-'));
    const clock = { now: day(3, 9) };
    const start = async () => {
      const started = await startRuntime({ databaseFile: path.join(dir, 'clients.sqlite'), dataDir: dir, shell: 'browser', appVersion: 'test', now: () => clock.now, writeBackup: inPlace, automaticBackups: true, backupScheduler: manualScheduler().scheduler });
      await started.ctx.backups.withoutCopies(async () => undefined);
      return started;
    };
    try {
      await (await start()).close();
      expect(fs.readdirSync(path.join(dir, 'backups'))).toHaveLength(1);
      // The same data folder started again later that day, then the next day.
      clock.now = day(3, 17);
      await (await start()).close();
      expect(fs.readdirSync(path.join(dir, 'backups'))).toHaveLength(1);
      clock.now = day(4, 7);
      await (await start()).close();
      expect(fs.readdirSync(path.join(dir, 'backups'))).toHaveLength(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rotation keeps the newest copy of each kind for each day, and the newest of each earlier week', () => {
    const copies = [
      { id: 'a', createdAt: '2026-03-10T08:00:00.000Z', kind: 'daily' },
      { id: 'b', createdAt: '2026-03-10T20:00:00.000Z', kind: 'manual' },
      { id: 'b2', createdAt: '2026-03-10T19:00:00.000Z', kind: 'manual' },
      { id: 'c', createdAt: '2026-03-09T08:00:00.000Z', kind: 'daily' },
      { id: 'd', createdAt: '2026-02-01T08:00:00.000Z', kind: 'daily' },
      { id: 'e', createdAt: '2026-02-02T08:00:00.000Z', kind: 'before_restore' },
    ];
    // Two days (10 March: a and b; 9 March: c), then one whole week before them (e, the newest of 2 Feb's week).
    expect([...copiesToKeep(copies, 2, 1)].sort()).toEqual(['a', 'b', 'c', 'e']);
    expect(copiesToKeep([], 7, 4).size).toBe(0);
  });

  it('writes the copy on a worker thread with its own connection: a consistent database with every row', async () => {
    const rt = await runtime({ now: day(1) }, { writeBackup: workerCopyWriter });
    await addClient(rt, 'Copied Company');
    const created = await rt.call<{ backup: Backup | null; status: BackupStatus }>('backups.create');
    expect(created.backup).toMatchObject({ kind: 'manual' });
    const copy = new Database(path.join(rt.ctx.backups.folder, created.backup!.id), { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT company_name FROM clients').all()).toEqual([{ company_name: 'Copied Company' }]);
    } finally {
      copy.close();
    }
  });
});

describe('a copy that fails', () => {
  it('is reported with its reason until a copy succeeds, and leaves no half-written file', async () => {
    let fail: { code: string } | null = { code: 'ENOSPC' };
    const writer: CopyWriter = async (source, target) => {
      if (fail) {
        fs.writeFileSync(target, 'half a copy');
        throw Object.assign(new Error('no space left on device'), fail);
      }
      await inPlace(source, target);
    };
    const clock = { now: day(5, 10) };
    const rt = await runtime(clock, { writeBackup: writer });
    const failed = await rt.call<{ backup: Backup | null; status: BackupStatus }>('backups.create');
    expect(failed.backup).toBeNull();
    expect(failed.status.lastFailure).toEqual({ at: day(5, 10).toISOString(), reason: 'disk_full', detail: 'no space left on device' });
    expect(fs.readdirSync(rt.ctx.backups.folder)).toEqual([]);
    // A copy cut short by a crash is cleared by the next attempt.
    fs.writeFileSync(path.join(rt.ctx.backups.folder, 'clients-2026-01-01T00-00-00-000Z-daily.sqlite.partial'), 'cut short');

    fail = { code: 'EACCES' };
    clock.now = day(5, 11);
    expect((await rt.ctx.backups.runDue()) ?? null).toBeNull();
    expect((await status(rt)).lastFailure).toMatchObject({ reason: 'no_permission' });

    fail = null;
    clock.now = day(5, 12);
    expect((await rt.ctx.backups.runDue())?.kind).toBe('daily');
    expect((await status(rt)).lastFailure).toBeNull();
    expect(fs.readdirSync(rt.ctx.backups.folder)).toEqual(['clients-2026-01-06T12-00-00-000Z-daily.sqlite']);
  });

  it('is reported when the backups folder cannot be made', async () => {
    const rt = await runtime({ now: day(2) });
    fs.writeFileSync(rt.ctx.backups.folder, 'a file where the folder should be');
    const failed = await rt.call<{ backup: Backup | null; status: BackupStatus }>('backups.create');
    expect(failed.backup).toBeNull();
    expect(failed.status.lastFailure?.reason).toBe('failed');
    expect(failed.status.backups).toEqual([]);
  });
});

describe('restoring a copy', () => {
  it('copies the current data first, puts the copy in place, and goes on with the restored data', async () => {
    const clock = { now: day(10, 9) };
    const rt = await runtime(clock);
    await addClient(rt, 'Kept Before');
    const { backup } = await rt.call<{ backup: Backup }>('backups.create');
    clock.now = day(10, 10);
    await addClient(rt, 'Added After');
    expect(await names(rt)).toEqual(['Added After', 'Kept Before']);

    clock.now = day(10, 11);
    const { restored, safetyCopy } = await rt.call<{ restored: Backup; safetyCopy: Backup }>('backups.restore', { id: backup.id });
    expect(restored.id).toBe(backup.id);
    expect(safetyCopy).toMatchObject({ kind: 'before_restore', createdAt: day(10, 11).toISOString() });
    expect(await names(rt)).toEqual(['Kept Before']);
    // The safety copy holds what the restore replaced.
    const safety = new Database(path.join(rt.ctx.backups.folder, safetyCopy.id), { readonly: true });
    expect(safety.prepare('SELECT company_name FROM clients ORDER BY company_name').all()).toEqual([{ company_name: 'Added After' }, { company_name: 'Kept Before' }]);
    safety.close();
    // The reopened database takes writes, and nothing of the old one's WAL came along.
    await addClient(rt, 'Written Later');
    expect(await names(rt)).toEqual(['Kept Before', 'Written Later']);
    expect(rt.database.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(fs.existsSync(`${rt.ctx.databaseFile}.restoring`)).toBe(false);
  });

  it('holds other requests until the copy is in place, then answers them from it', async () => {
    const clock = { now: day(11, 9) };
    const rt = await runtime(clock);
    const { backup } = await rt.call<{ backup: Backup }>('backups.create');
    clock.now = day(11, 10);
    await addClient(rt, 'Gone After Restore');
    // Sent together: the restore runs alone, the list waits for it instead of failing on a closed database.
    const restoring = rt.dispatch('backups.restore', { id: backup.id });
    const listing = rt.dispatch('clients.list', {});
    const [restore, list] = await Promise.all([restoring, listing]);
    expect(restore.ok).toBe(true);
    expect(list).toMatchObject({ ok: true, data: { rows: [] } });
  });

  it('migrates a copy from an older version when it opens it, after a backup of it at its own schema', async () => {
    const rt = await runtime({ now: day(12, 9) });
    const id = 'clients-2026-01-02T09-00-00-000Z-daily.sqlite';
    fs.mkdirSync(rt.ctx.backups.folder, { recursive: true });
    fs.copyFileSync(fixtureFile(migrations[0]!.name), path.join(rt.ctx.backups.folder, id));
    await rt.call('backups.restore', { id });
    expect(await names(rt)).toEqual(['Banco Santander', 'Telefónica S.A.']);
    expect(rt.ctx.schemaVersion).toBe(migrations.length);
    expect(fs.readdirSync(`${rt.ctx.databaseFile}-backups`)).toEqual([expect.stringMatching(/^before-0002-/)]);
  });

  it('refuses a copy it cannot use, a missing one, and one while an import runs, changing nothing', async () => {
    const rt = await runtime({ now: day(13, 9) });
    await addClient(rt, 'Stays Here');
    fs.mkdirSync(rt.ctx.backups.folder, { recursive: true });
    const foreign = 'clients-2026-01-03T09-00-00-000Z-manual.sqlite';
    const other = new Database(path.join(rt.ctx.backups.folder, foreign));
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    other.close();
    const refused = await rt.dispatch('backups.restore', { id: foreign });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: [{ path: 'id', message: 'backup_not_usable' }] } });
    const missing = await rt.dispatch('backups.restore', { id: 'clients-2026-01-04T09-00-00-000Z-manual.sqlite' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await rt.dispatch('backups.restore', { id: '../clients.sqlite' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const { backup } = await rt.call<{ backup: Backup }>('backups.create');
    const task = rt.ctx.tasks.start('import', async (control) => {
      await new Promise<void>((resolve) => control.signal.addEventListener('abort', () => resolve()));
      throw new Error('stopped');
    });
    expect(await rt.dispatch('backups.restore', { id: backup.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: [{ path: 'id', message: 'task_running' }] } });
    rt.ctx.tasks.cancel(task.id);
    await rt.ctx.tasks.settled(task.id);
    expect(await names(rt)).toEqual(['Stays Here']);
    // No safety copy was taken for the refused restores.
    expect((await status(rt)).backups.filter((b) => b.kind === 'before_restore')).toEqual([]);
  });

  it('puts the data back when the restored copy cannot be opened', async () => {
    const rt = await runtime({ now: day(14, 9) });
    await addClient(rt, 'Survives');
    // A copy from this version whose migrations record is fine but whose schema is broken: opening it fails.
    const id = 'clients-2026-01-05T09-00-00-000Z-manual.sqlite';
    fs.mkdirSync(rt.ctx.backups.folder, { recursive: true });
    const broken = new Database(path.join(rt.ctx.backups.folder, id));
    broken.exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES ('0001-initial', 'x'); CREATE TABLE users (id TEXT)`);
    broken.close();
    const failed = await rt.dispatch('backups.restore', { id });
    expect(failed).toMatchObject({ ok: false, error: { code: 'INTERNAL', fields: [{ path: 'id', message: 'restore_failed' }] } });
    expect(await names(rt)).toEqual(['Survives']);
  });
});
