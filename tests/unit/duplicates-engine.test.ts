import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client, DuplicateCheck } from '../../contract/clients';
import { companyMatchKeys } from '../../contract/companies';
import { applyPage } from '../../db/sync/pull';
import { ensureMatchKeys } from '../../db/sync/matchKeys';
import { generateDemoData } from '../../db/seed/generate';
import { clientsWithDuplicates, findCandidates, findCandidatesByKey } from '../../main/duplicates/companies';
import { labelledPairs } from '../fixtures/duplicates/companies';
import { ChangeMaker, fullRecord } from '../support/syncChanges';
import { replayInto } from '../support/replay';
import { testRuntime } from '../support/runtime';

// The engine through the database: candidates found by the stored lookup keys, kept by every kind of write
// (the write path, the replay of pulled changes, imports, archive and restore), and clients pulled from a
// colleague checked like a save.

let rt: Awaited<ReturnType<typeof testRuntime>>;
let areaId: string;
let dir: string;

beforeEach(async () => {
  rt = await testRuntime();
  areaId = (await rt.call<Area[]>('areas.list'))[0]!.id;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-dups-'));
});
afterEach(async () => {
  await rt.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const create = (fields: Record<string, unknown>) => rt.call<Client>('clients.create', { areaId, ...fields });
const check = (fields: Record<string, unknown>) => rt.call<DuplicateCheck>('clients.checkDuplicates', fields);
const storedKeys = async (clientId: string) =>
  (await rt.db.selectFrom('client_match_keys').select('key').where('client_id', '=', clientId).orderBy('key').execute()).map((r) => r.key);

describe('the company duplicate engine in the database', () => {
  it('finds typos, subdomains and a brand alone through the stored keys, with the decision and a score', async () => {
    const mercadona = await create({ companyName: 'Mercadona S.A.', email: 'rrhh@mercadona.es', website: 'https://www.mercadona.es' });
    const typo = await check({ companyName: 'Mercadnoa', email: 'ana@gmail.com' });
    expect(typo.blocking).toEqual([]);
    expect(typo.warnings).toEqual([expect.objectContaining({ id: mercadona.id, reasons: ['similar_name'], decision: 'warn' })]);
    const subdomain = await check({ companyName: 'Supermercados del Levante', email: 'x@gmail.com', website: 'empleo.mercadona.es/ofertas' });
    expect(subdomain.warnings).toEqual([expect.objectContaining({ id: mercadona.id, reasons: ['domain'], decision: 'warn' })]);
    const same = await check({ companyName: 'MERCADONA', email: 'otro@example.org' });
    expect(same.blocking).toEqual([expect.objectContaining({ id: mercadona.id, reasons: ['name'], decision: 'block', score: 100 })]);
    // A shared public mail provider says nothing.
    await create({ companyName: 'Talleres Ruiz', email: 'talleres.ruiz@gmail.com' });
    expect(await check({ companyName: 'Fontanería López', email: 'fontaneria.lopez@gmail.com' })).toEqual({ blocking: [], warnings: [] });
  });

  it('checks an edit on the fields it changes only', async () => {
    const acme = await create({ companyName: 'Acme Robotics', email: 'info@acme-robotics.com' });
    await create({ companyName: 'Acme', email: 'hello@acme.io', acknowledgedDuplicateIds: [acme.id] });
    // Acme Robotics already looked like Acme when it was saved: an unrelated edit is not asked again.
    expect(await check({ companyName: 'Acme Robotics', email: 'info@acme-robotics.com', website: null, excludeId: acme.id })).toEqual({ blocking: [], warnings: [] });
    const renamed = await check({ companyName: 'Acme Robotic', email: 'info@acme-robotics.com', excludeId: acme.id });
    expect(renamed.warnings.map((w) => w.companyName)).toEqual(['Acme']);
  });

  it('keeps the keys with every write: rename, archive, restore, and a replay on another database', async () => {
    const globex = await create({ companyName: 'Globex Corporation', email: 'jobs@globex.co.uk', website: 'careers.globex.co.uk' });
    expect(await storedKeys(globex.id)).toEqual(companyMatchKeys({ company_name: 'Globex Corporation', email: 'jobs@globex.co.uk', website: 'careers.globex.co.uk' }).sort());
    const renamed = await rt.call<Client>('clients.update', { id: globex.id, version: globex.version, areaId, companyName: 'Initrode', email: 'jobs@initrode.com', website: null });
    expect(await storedKeys(globex.id)).toEqual(companyMatchKeys({ company_name: 'Initrode', email: 'jobs@initrode.com', website: null }).sort());
    const archived = await rt.call<Client>('clients.archive', { id: globex.id, version: renamed.version });
    expect(await storedKeys(globex.id)).toEqual([]);
    expect((await check({ companyName: 'Initrode', email: 'a@b.example' })).blocking).toEqual([]);
    await rt.call<Client>('clients.restore', { id: globex.id, version: archived.version });
    expect((await check({ companyName: 'Initrode', email: 'a@b.example' })).blocking.map((m) => m.id)).toEqual([globex.id]);

    const replica = await replayInto(rt.db, path.join(dir, 'replica.sqlite'));
    try {
      const keys = async (db: typeof rt.db) => (await db.selectFrom('client_match_keys').selectAll().orderBy('key').orderBy('client_id').execute()).map((r) => `${r.key} ${r.client_id}`);
      expect(await keys(replica.db)).toEqual(await keys(rt.db));
      // A rebuild (another version of the rules, an upgraded database) gives the same keys.
      await ensureMatchKeys(replica.db, { force: true });
      expect(await keys(replica.db)).toEqual(await keys(rt.db));
    } finally {
      await replica.close();
    }
  });

  it('reads, for a whole batch of companies at once, the candidates each one reads alone, in the same order', async () => {
    await generateDemoData(rt.database, { clients: 200, seed: 11 });
    await ensureMatchKeys(rt.db, { force: true });
    // A word many clients share: its loose keys read at most their limit, the same clients either way.
    for (let i = 0; i < 30; i++) await create({ companyName: `Falcon ${String.fromCharCode(97 + (i % 26))}${i} Logistics`, email: `info${i}@falcon${i}.example` });
    const stored = await rt.db.selectFrom('clients').select(['company_name', 'email', 'website']).orderBy('seq').limit(200).execute();
    const companies = [
      ...stored,
      ...labelledPairs.flatMap((pair) => [pair.a, pair.b]).map((side) => ({ company_name: side.name, email: side.email ?? '', website: side.website ?? null })),
      { company_name: 'Falcon Logistics', email: 'jobs@falcon3.example', website: null },
    ];
    const keysOf = companies.map((company) => companyMatchKeys(company));
    const byKey = await findCandidatesByKey(rt.db, [...new Set(keysOf.flat())]);
    let compared = 0;
    for (const keys of keysOf) {
      const alone = await findCandidates(rt.db, keys, null);
      const batched = new Map(keys.flatMap((key) => byKey.get(key)!).map((c) => [c.id, c]));
      expect([...batched.values()].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(alone);
      compared += alone.length;
    }
    expect(compared).toBeGreaterThan(companies.length);
  });

  it('refuses to restore an archived client whose twin was created meanwhile', async () => {
    const first = await create({ companyName: 'Northwind Traders Ltd', email: 'hr@northwind.co.uk' });
    const archived = await rt.call<Client>('clients.archive', { id: first.id, version: first.version });
    const second = await create({ companyName: 'Northwind Traders Limited', email: 'people@northwind.co.uk' });
    const refused = await rt.dispatch('clients.restore', { id: first.id, version: archived.version });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'DUPLICATE', reason: 'restore_duplicate', matches: [expect.objectContaining({ id: second.id, decision: 'block' })] });
  });

  it('flags a client pulled from a colleague that duplicates one here', async () => {
    const here = await create({ companyName: 'Telefónica, S.A.', email: 'compras@telefonica.es' });
    const colleague = new ChangeMaker('laptop-2', () => Date.parse('2026-01-02T00:00:00.000Z'));
    const twin = '01900000-0000-7000-8000-0000000000a1';
    const other = '01900000-0000-7000-8000-0000000000a2';
    const changes = [
      colleague.change('client', twin, 'create', fullRecord('client', twin, { company_name: 'TELEFONICA SAU', email: 'rrhh@telefonica.es', area_id: areaId, code: 'CL-LAP2-0001' })),
      colleague.change('client', other, 'create', fullRecord('client', other, { company_name: 'Zyxwvu Quorblax', email: 'hi@zyxwvu.example', area_id: areaId, code: 'CL-LAP2-0002' })),
    ];
    const outcome = await applyPage(rt.db, changes, '2', '2026-01-02T00:00:01.000Z');
    expect(outcome.createdClients).toEqual([twin, other]);
    expect(await clientsWithDuplicates(rt.db, outcome.createdClients)).toEqual([twin]);
    // The pulled client is in the index like any other: the next check finds it.
    expect((await check({ companyName: 'Zyxwvu Quorblax S.L.', email: 'x@y.example' })).blocking.map((m) => m.id)).toEqual([other]);
    expect(here.id).toBeTruthy();
  });
});
