import Database from 'better-sqlite3';
import { writeIntent } from '../../db/open';
import { readSetting } from '../../db/repositories/settings';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client, HistoryEntry } from '../../contract/clients';
import type { ClientWritePlan, NewClient } from '../../main/transfer/clientWrites';
import { createWriterStandby, startImportWriter, type ImportWriter } from '../../main/transfer/importWriter';
import { runTaskOk, upload } from '../support/transfer';
import { testRuntime } from '../support/runtime';

// The import's writer: a worker thread with its own connection to the database file, committing the
// batches the main thread has checked. Its writes are read back here through the main connection.

type Rt = Awaited<ReturnType<typeof testRuntime>>;
let rt: Rt;
let areaId: string;

beforeEach(async () => {
  rt = await testRuntime();
  areaId = (await rt.call<Area[]>('areas.list'))[0]!.id;
});
afterEach(async () => {
  await rt.dispose();
});

const at = '2026-12-01T10:00:00.000Z';
let n = 0;
function newClient(name: string): NewClient {
  const key = name.toLowerCase();
  return {
    id: `client-${++n}`, code: '', company_name: name, email: `info@${key.replace(/\W/g, '')}.es`, area_id: areaId, phone: null, website: null, comments: null,
    status: 'active', owner_id: null, name_key: key, email_key: `info@${key.replace(/\W/g, '')}.es`, domain_key: null, default_fee_percent: null,
    default_guarantee_days: null, default_payment_terms_days: null, lead_id: null, created_at: at, updated_at: at, archived_at: null,
    last_activity_at: null, version: 1, search_text: '',
  };
}
function plan(parts: Partial<ClientWritePlan>): ClientWritePlan {
  const creates = parts.creates ?? [];
  return {
    creates,
    updates: [],
    by: { userId: null, deviceId: rt.ctx.deviceId, changedAt: at, fileName: 'clients.csv' },
    ...parts,
  };
}

/**
 * Sends, back to back, a write that fails (an update of `clientId` from a version it never had) and a new client
 * named `name`: both are refused and the client is not written.
 */
async function expectNothingAfterFailure(writer: ImportWriter, clientId: string, name: string) {
  const stale = plan({ updates: [{ id: clientId, version: 7, patch: { comments: 'From the file' }, note: null, newContacts: [], lines: [2] }] });
  const after = newClient(name);
  const results = await Promise.allSettled([writer.write(stale), writer.write(plan({ creates: [{ record: after, contacts: [], line: 3, note: null }] }))]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  expect(await rt.db.selectFrom('clients').select('id').where('id', '=', after.id).executeTakeFirst()).toBeUndefined();
}

describe('import writer', () => {
  it('commits each batch with codes, search text and history, readable at once from the main connection', async () => {
    const writer = startImportWriter(rt.db, rt.ctx.databaseFile);
    try {
      // Up first: the writes below are the thread's (before it is up they are made in place).
      expect(await writer.ready).toBe(true);
      const first = newClient('Alfa Logística');
      const second = newClient('Beta Talento');
      await writer.write(plan({ creates: [{ record: first, contacts: [], line: 2, note: 'Imported from clients.csv, line 2.' }, { record: second, contacts: [], line: 3, note: null }] }));
      const { client: saved } = await rt.call<{ client: Client }>('clients.get', { id: first.id });
      expect(saved.code).toMatch(new RegExp(`^CL-${String(await readSetting(rt.db, 'deviceTag'))}-\\d{4}$`));
      const history = await rt.call<{ entries: HistoryEntry[] }>('clients.history', { clientId: first.id });
      expect(history.entries.map((h) => h.note)).toEqual(['Imported from clients.csv, line 2.']);
      // Searchable: the writer fills in the search text the list's search reads.
      const found = await rt.call<{ rows: { id: string }[] }>('clients.list', { search: 'talento' });
      expect(found.rows.map((r) => r.id)).toEqual([second.id]);
    } finally {
      await writer.close();
    }
  });

  it('writes nothing of a batch that fails (a client changed since it was read), and says why', async () => {
    const existing = await rt.call<Client>('clients.create', { companyName: 'Gamma Servicios', email: 'info@gamma.es', areaId });
    const writer = startImportWriter(rt.db, rt.ctx.databaseFile);
    try {
      expect(await writer.ready).toBe(true);
      const fresh = newClient('Delta Consultores');
      const stale = plan({
        creates: [{ record: fresh, contacts: [], line: 2, note: null }],
        // Version 7 was never read: the client is at version 1.
        updates: [{ id: existing.id, version: 7, patch: { comments: 'From the file' }, note: null, newContacts: [], lines: [2] }],
      });
      await expect(writer.write(stale)).rejects.toThrow(`Client ${existing.id} changed during the import`);
      const list = await rt.call<{ rows: { id: string }[] }>('clients.list', {});
      expect(list.rows.map((r) => r.id)).toEqual([existing.id]);
      expect((await rt.call<{ client: Client }>('clients.get', { id: existing.id })).client.comments).toBeNull();
    } finally {
      await writer.close();
    }
  });

  it('refuses every write sent after one that failed: nothing after a failed batch is written', async () => {
    const existing = await rt.call<Client>('clients.create', { companyName: 'Kappa Servicios', email: 'info@kappa.es', areaId });
    const writer = startImportWriter(rt.db, rt.ctx.databaseFile);
    try {
      expect(await writer.ready).toBe(true);
      // Both sent before either is written: the thread may take them into one transaction, or the second alone.
      await expectNothingAfterFailure(writer, existing.id, 'Lambda Personal');
    } finally {
      await writer.close();
    }
  });

  it('writes in place while the thread starts, then through it, in order', async () => {
    const writer = startImportWriter(rt.db, rt.ctx.databaseFile);
    try {
      // Sent at once: the thread is still loading, so the first batch does not wait for it.
      const early = [newClient('Eta Selección'), newClient('Theta Empleo')];
      const sent = writer.write(plan({ creates: early.map((record, i) => ({ record, contacts: [], line: i + 2, note: null })) }));
      expect(await writer.ready).toBe(true);
      await sent;
      const late = newClient('Iota Talento');
      await writer.write(plan({ creates: [{ record: late, contacts: [], line: 4, note: null }] }));
      const saved = await rt.db.selectFrom('clients').select(['id', 'code']).orderBy('seq').execute();
      expect(saved.map((c) => c.id)).toEqual([...early.map((c) => c.id), late.id]);
      const numbers = saved.map((c) => Number(c.code.slice(-4)));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    } finally {
      await writer.close();
    }
  });

  it('closes right after it starts, the thread still loading, without stopping it halfway', async () => {
    // A small import is written in place before the thread is up; closing must wait for it to load (a thread
    // terminated while it loads the native SQLite module aborts the whole process).
    const writer = startImportWriter(rt.db, rt.ctx.databaseFile);
    const only = newClient('Mu Consultoría');
    await writer.write(plan({ creates: [{ record: only, contacts: [], line: 2, note: null }] }));
    await writer.close();
    expect(await writer.ready).toBe(true);
    expect((await rt.db.selectFrom('clients').select('id').execute()).map((c) => c.id)).toEqual([only.id]);
  });

  it('writes in place when the thread cannot start, so the import still goes through', async () => {
    const missing = { url: new URL('./no-such-writer.js', import.meta.url), execArgv: [] };
    const writer = startImportWriter(rt.db, rt.ctx.databaseFile, missing);
    try {
      const first = newClient('Epsilon Recursos');
      const second = newClient('Zeta Personas');
      await writer.write(plan({ creates: [{ record: first, contacts: [], line: 2, note: null }] }));
      await writer.write(plan({ creates: [{ record: second, contacts: [], line: 3, note: null }] }));
      expect(await writer.ready).toBe(false);
      const list = await rt.call<{ rows: { id: string }[] }>('clients.list', {});
      expect(list.rows.map((r) => r.id).sort()).toEqual([first.id, second.id].sort());
      // Written in place too, nothing after a failed write is written.
      await expectNothingAfterFailure(writer, first.id, 'Eta Talento');
    } finally {
      await writer.close();
    }
  });
});

describe('saves in the window while the writer writes', () => {
  it('counts each transaction of the main connection from before it asks for the lock until it ends, however it ends', async () => {
    const intent = writeIntent(rt.db)!;
    await rt.db.transaction().execute(async () => expect(Atomics.load(intent, 0)).toBe(1));
    await expect(
      rt.db.transaction().execute(async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    // A begin that fails (another connection holds the lock, and this one does not wait) is given back too.
    const other = new Database(rt.ctx.databaseFile);
    rt.database.sqlite.pragma('busy_timeout = 0');
    try {
      other.exec('BEGIN IMMEDIATE');
      await expect(rt.db.transaction().execute(async () => {})).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
      rt.database.sqlite.pragma('busy_timeout = 5000');
    }
    expect(Atomics.load(intent, 0)).toBe(0);
  });

  it('lets a save waiting for the write lock go first: it begins no transaction while one waits', async () => {
    const writer = startImportWriter(rt.db, rt.ctx.databaseFile);
    const intent = writeIntent(rt.db)!;
    let waiting = false;
    try {
      expect(await writer.ready).toBe(true);
      // A save of the window waiting for the lock, as the main connection counts it (the lock itself is free).
      Atomics.add(intent, 0, 1);
      waiting = true;
      const record = newClient('Nu Selección');
      let committed = false;
      const written = writer.write(plan({ creates: [{ record, contacts: [], line: 2, note: null }] })).then(() => (committed = true));
      // However long this lasts, the write cannot be committed while the save waits (a slow machine only
      // makes this check weaker, never wrong).
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(committed).toBe(false);
      expect(await rt.db.selectFrom('clients').select('id').where('id', '=', record.id).executeTakeFirst()).toBeUndefined();
      Atomics.sub(intent, 0, 1);
      Atomics.notify(intent, 0);
      waiting = false;
      await written;
      expect(await rt.db.selectFrom('clients').select('id').where('id', '=', record.id).executeTakeFirst()).toEqual({ id: record.id });
    } finally {
      if (waiting) {
        Atomics.sub(intent, 0, 1);
        Atomics.notify(intent, 0);
      }
      await writer.close();
    }
  });
});

describe('writer started while the import dialog is open', () => {
  /** Stand-ins for writer threads: which were started, and which closed. */
  function fakeWriters() {
    const started: { writer: ImportWriter; closed: boolean }[] = [];
    const start = () => {
      const entry = { closed: false, writer: null as unknown as ImportWriter };
      entry.writer = { write: async () => {}, ready: Promise.resolve(true), close: async () => void (entry.closed = true) };
      started.push(entry);
      return entry.writer;
    };
    return { started, start };
  }

  it('starts one writer however often the dialog asks, hands it to the next run only, then starts afresh', async () => {
    const { started, start } = fakeWriters();
    const standby = createWriterStandby(60_000, start);
    standby.warm(rt.db, rt.ctx.databaseFile);
    standby.warm(rt.db, rt.ctx.databaseFile);
    expect(started).toHaveLength(1);
    expect(await standby.ready()).toBe(true);
    expect(standby.take(rt.db, rt.ctx.databaseFile)).toBe(started[0]!.writer);
    // Taken: the run closes it; the next run, with none waiting, gets a new one.
    expect(await standby.ready()).toBe(false);
    expect(standby.take(rt.db, rt.ctx.databaseFile)).toBe(started[1]!.writer);
    expect(started.map((s) => s.closed)).toEqual([false, false]);
    // An in-memory database has no file another connection could open: nothing is started for it.
    standby.warm(rt.db, ':memory:');
    expect(started).toHaveLength(2);
    await standby.close();
  });

  it('closes a writer nobody took once the dialog was left, and the one waiting when the database closes or changes', async () => {
    vi.useFakeTimers();
    try {
      const { started, start } = fakeWriters();
      const standby = createWriterStandby(60_000, start);
      standby.warm(rt.db, rt.ctx.databaseFile);
      await vi.advanceTimersByTimeAsync(59_000);
      // Asked again (the preview): it waits the full time again.
      standby.warm(rt.db, rt.ctx.databaseFile);
      await vi.advanceTimersByTimeAsync(59_000);
      expect(started[0]!.closed).toBe(false);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(started[0]!.closed).toBe(true);
      expect(await standby.ready()).toBe(false);
      // Another database (a restore reopened it): the writer of the old one is closed, not handed over.
      standby.warm(rt.db, rt.ctx.databaseFile);
      const reopened = {} as typeof rt.db;
      standby.warm(reopened, rt.ctx.databaseFile);
      expect(started.map((s) => s.closed)).toEqual([true, true, false]);
      expect(standby.take(rt.db, rt.ctx.databaseFile)).toBe(started[3]!.writer);
      await standby.close();
      expect(started[2]!.closed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is up when the user starts the import of the file the dialog read, which writes through it', async () => {
    const csv = 'Empresa,Email\nOmicron Talento,info@omicron.es\nPi Selección,info@pi.es\n';
    const fileId = await upload(rt, 'clients.csv', csv);
    const { mapping } = await rt.call<{ mapping: (string | null)[] }>('imports.analyze', { fileId, target: 'clients' });
    expect(await rt.ctx.importWriters.ready()).toBe(true);
    const { summary } = await runTaskOk(rt, 'imports.start', { fileId, target: 'clients', mapping, defaults: { areaId } }, 'import');
    expect(summary).toMatchObject({ created: 2, rejected: 0 });
    // Taken by the run (and closed when it ended): none waits any more.
    expect(await rt.ctx.importWriters.ready()).toBe(false);
    const names = await rt.db.selectFrom('clients').select('company_name').orderBy('company_name').execute();
    expect(names.map((c) => c.company_name)).toEqual(['Omicron Talento', 'Pi Selección']);
  });

  it('lets a restore replace the database while one waits, and the next import starts its own', async () => {
    const { backup } = await rt.call<{ backup: { id: string } }>('backups.create');
    const fileId = await upload(rt, 'clients.csv', 'Empresa,Email\nRho Empleo,info@rho.es\n');
    const { mapping } = await rt.call<{ mapping: (string | null)[] }>('imports.analyze', { fileId, target: 'clients' });
    expect(await rt.ctx.importWriters.ready()).toBe(true);
    await rt.call('backups.restore', { id: backup.id });
    expect(await rt.ctx.importWriters.ready()).toBe(false);
    const { summary } = await runTaskOk(rt, 'imports.start', { fileId, target: 'clients', mapping, defaults: { areaId } }, 'import');
    expect(summary).toMatchObject({ created: 1 });
    expect((await rt.db.selectFrom('clients').select('company_name').execute()).map((c) => c.company_name)).toEqual(['Rho Empleo']);
    expect(rt.database.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
