import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../contract/clients';
import { openDatabase } from '../../db/open';
import { ensureReferenceData } from '../../db/reference';
import { generateDemoData } from '../../db/seed/generate';
import { testRuntime } from '../support/runtime';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function seeded(clients: number, seed: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-seed-'));
  dirs.push(dir);
  const file = path.join(dir, 'seed.sqlite');
  const database = await openDatabase(file);
  let n = 0;
  // The device identity is a setting: fixed here so two runs are comparable byte for byte.
  database.sqlite.prepare(`INSERT INTO settings (key, value) VALUES ('deviceId', '"device-1"'), ('deviceTag', '"AB12"')`).run();
  await ensureReferenceData(database.db, { actor: { deviceId: 'device-1', userId: null, at: '2026-01-01T00:00:00.000Z', newId: () => `ref-${++n}` }, firstUserName: 'Test' });
  const summary = await generateDemoData(database, { clients, seed });
  return { database, file, summary };
}

const rows = (db: Awaited<ReturnType<typeof seeded>>['database'], sql: string) => db.sqlite.prepare(sql).all();

describe('demo data', () => {
  it('keeps the proportions of DESIGN.md: about 3 contacts, 10 events and 2 jobs per client', async () => {
    const { database, summary } = await seeded(300, 7);
    expect(summary.clients).toBe(300);
    expect(summary.contacts / 300).toBeGreaterThan(2.6);
    expect(summary.contacts / 300).toBeLessThan(3.4);
    expect(summary.events / 300).toBeGreaterThan(9);
    expect(summary.events / 300).toBeLessThan(11);
    expect(summary.jobs / 300).toBeGreaterThan(1.7);
    expect(summary.jobs / 300).toBeLessThan(2.3);
    expect(rows(database, 'PRAGMA foreign_key_check')).toEqual([]);
    expect(rows(database, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    await database.close();
  });

  it('writes no history after its "now": no activity or posting dated in the future', async () => {
    // 3 000 clients over three years: the newest are created within hours of "now".
    const { database } = await seeded(3000, 5);
    const now = new Date(Date.UTC(2026, 10, 1, 12)).toISOString();
    expect(rows(database, `SELECT count(*) AS n FROM events WHERE occurred_at > '${now}'`)).toEqual([{ n: 0 }]);
    expect(rows(database, `SELECT count(*) AS n FROM jobs WHERE created_at > '${now}'`)).toEqual([{ n: 0 }]);
    expect(rows(database, `SELECT count(*) AS n FROM clients WHERE last_activity_at > '${now}'`)).toEqual([{ n: 0 }]);
    await database.close();
  });

  it('is deterministic: the same seed gives the same rows, another seed other rows', async () => {
    const a = await seeded(50, 1);
    const b = await seeded(50, 1);
    const c = await seeded(50, 2);
    const dump = (d: typeof a) => JSON.stringify([rows(d.database, 'SELECT * FROM clients ORDER BY id'), rows(d.database, 'SELECT * FROM events ORDER BY id'), rows(d.database, 'SELECT * FROM jobs ORDER BY id')]);
    expect(dump(a)).toBe(dump(b));
    expect(dump(a)).not.toBe(dump(c));
    for (const d of [a, b, c]) await d.database.close();
  });

  it('gives every client exactly one primary contact, rebuilt search indexes and its last activity', async () => {
    const { database } = await seeded(100, 3);
    expect(rows(database, `SELECT client_id FROM client_contacts GROUP BY client_id HAVING sum(is_primary) <> 1`)).toEqual([]);
    const some = rows(database, `SELECT company_name FROM clients ORDER BY seq LIMIT 1`)[0] as { company_name: string };
    const word = some.company_name.split(' ').find((x) => x.length > 4)!.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
    const hits = rows(database, `SELECT rowid FROM clients_search WHERE clients_search MATCH '"${word}"'`);
    expect(hits.length).toBeGreaterThan(0);
    expect(rows(database, `SELECT id FROM clients WHERE last_activity_at IS NULL OR last_activity_at <> (SELECT max(occurred_at) FROM events WHERE client_id = clients.id)`)).toEqual([]);
    // The triggers dropped for the bulk load are back.
    const triggers = (rows(database, `SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`) as { name: string }[]).map((r) => r.name);
    expect(triggers).toEqual(expect.arrayContaining(['clients_search_insert', 'client_stats_insert', 'events_last_activity']));
    await database.close();
  });

  it('leaves the code counters so the app continues the sequence without collisions', async () => {
    const { database, file } = await seeded(20, 4);
    await database.close();
    const rt = await testRuntime({ file });
    try {
      const areaId = (await rt.call<{ id: string }[]>('areas.list'))[0]!.id;
      const created = await rt.call<Client>('clients.create', { companyName: 'Brand New Company', email: 'hello@brandnew.example', areaId });
      expect(created.code).toBe('CL-AB12-0021');
      const codes = await rt.db.selectFrom('clients').select('code').execute();
      expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
    } finally {
      await rt.close();
    }
  });
});
