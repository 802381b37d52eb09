import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeClientFields } from '../../contract/duplicates';
import { operationBoundary, pendingChanges } from '../../db/sync/outbox';
import { testRuntime } from '../support/runtime';
import { csvFile, runTaskOk, upload } from '../support/transfer';

// Merge with undo. The property: on a random database (clients with contacts, events with owners and documents,
// postings with applications, leads, history), merging two random clients with random field choices and undoing
// the merge gives back every synced and local table as it was — except the log and the sync bookkeeping, and the
// versions and update times of the records written (a write always moves them forward). Beside it, the rules
// around it: one operation id per merge, tombstones that lead to the survivor, a later edit kept by the undo.

type Rt = Awaited<ReturnType<typeof testRuntime>>;
const runs = Number(process.env.PROOF_RUNS ?? (process.env.PROOFS === 'long' ? 100 : 15));
const at = (day: number) => `2026-11-${String(day + 1).padStart(2, '0')}T10:00:00.000Z`;
const names = ['Acme', 'Globex Iberia', 'Initech', 'Umbrella Salud', 'Hooli'];
const people = ['Ana García', 'Luis Pérez', 'María López', 'John Smith'];

/** Tables a merge and its undo must leave as they were (not the log, the merges, or this laptop's sync state). */
const ignoredTables = new Set(['change_log', 'merges', 'settings', 'sync_clock', 'sync_parked', 'sync_documents', 'schema_migrations', 'sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4']);
async function everyTable(rt: Rt): Promise<Record<string, unknown[]>> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_search%' ORDER BY name`.execute(rt.db);
  const out: Record<string, unknown[]> = {};
  for (const { name } of rows) {
    if (ignoredTables.has(name)) continue;
    const data = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(rt.db)).rows;
    out[name] = data.map(({ version: _v, updated_at: _u, ...row }) => row).map((row) => JSON.stringify(row)).sort();
  }
  return out;
}

const client = fc.record({
  contacts: fc.array(fc.record({ name: fc.nat(3), primary: fc.boolean(), remove: fc.boolean() }), { maxLength: 3 }),
  events: fc.array(fc.record({ day: fc.nat(27), owner: fc.boolean(), doc: fc.boolean() }), { maxLength: 3 }),
  jobs: fc.array(fc.record({ apply: fc.boolean() }), { maxLength: 2 }),
  lead: fc.boolean(),
  phone: fc.option(fc.nat(99)),
  website: fc.boolean(),
});

type ClientSpec = typeof client extends fc.Arbitrary<infer T> ? T : never;

async function build(rt: Rt, areaId: string, userId: string, spec: ClientSpec, i: number) {
  const input = { companyName: `${names[i]!} ${i}`, email: `info@c${i}.example`, areaId, phone: spec.phone === null ? null : `+34 91 234 56 ${String(spec.phone).padStart(2, '0')}`, website: spec.website ? `www.c${i}.example` : null };
  let created: { id: string };
  if (spec.lead) {
    const lead = await rt.call<{ id: string }>('leads.create', { companyName: input.companyName, contactName: 'Carla Ortiz', email: input.email, areaId, phone: '612 345 678' });
    await rt.call('leads.recordEvent', { leadId: lead.id, type: 'won_deal', title: 'Won', occurredAt: at(1), lostReason: null });
    created = (await rt.db.selectFrom('clients').select('id').where('lead_id', '=', lead.id).executeTakeFirstOrThrow());
    const row = await rt.call<{ client: Record<string, unknown> }>('clients.get', { id: created.id });
    await rt.call('clients.update', { ...editable(row.client), ...input });
  } else created = await rt.call<{ id: string }>('clients.create', input);
  for (const [n, c] of spec.contacts.entries()) {
    const contact = await rt.call<{ id: string }>('contacts.create', { clientId: created.id, name: `${people[c.name]!} ${n}`, email: `p${n}@c${i}.example`, isPrimary: c.primary });
    if (c.remove) await rt.call('contacts.delete', { id: contact.id });
  }
  for (const e of spec.events) {
    await rt.call('events.create', {
      clientId: created.id, type: 'meeting', title: `Meeting ${e.day}`, occurredAt: at(e.day), ownerIds: e.owner ? [userId] : [],
      attachments: e.doc ? [{ fileName: 'brief.txt', mimeType: 'text/plain', contentBase64: Buffer.from(`brief ${e.day}`).toString('base64') }] : [],
    });
  }
  for (const j of spec.jobs) {
    const job = await rt.call<{ id: string }>('jobs.create', { clientId: created.id, title: 'Analyst', status: 'open' });
    if (j.apply) {
      const candidate = await rt.call<{ id: string }>('candidates.create', { fullName: `Candidate ${i}`, email: `cand${i}-${job.id.slice(-4)}@mail.example` });
      await rt.call('applications.create', { candidateId: candidate.id, jobId: job.id });
    }
  }
  return created.id;
}

/** A client as clients.update takes it. */
function editable(client: Record<string, unknown>) {
  const keys = ['id', 'version', 'companyName', 'email', 'areaId', 'phone', 'website', 'comments', 'status', 'ownerId', 'defaultFeePercent', 'defaultGuaranteeDays', 'defaultPaymentTermsDays'];
  return { ...Object.fromEntries(keys.map((k) => [k, client[k]])), acknowledgedDuplicateIds: [] };
}

const dirs: Rt[] = [];
afterAll(async () => {
  for (const rt of dirs) await rt.dispose().catch(() => undefined);
});

async function setup() {
  const rt = await testRuntime();
  dirs.push(rt);
  const areaId = (await rt.call<{ id: string }[]>('areas.list'))[0]!.id;
  const user = await rt.call<{ id: string }>('users.create', { name: 'Ana Owner' });
  return { rt, areaId, userId: user.id };
}

const version = async (rt: Rt, id: string) => (await rt.call<{ client: { version: number } }>('clients.get', { id })).client.version;
const merge = async (rt: Rt, survivorId: string, mergedId: string, takeFromMerged: string[] = []) =>
  rt.call<{ mergeId: string }>('clients.merge', { survivorId, mergedId, survivorVersion: await version(rt, survivorId), mergedVersion: await version(rt, mergedId), takeFromMerged });

describe('merging two clients', () => {
  it('merge then undo gives back every table as it was (random databases, random field choices)', async () => {
    let merges = 0;
    let moved = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(client, { minLength: 2, maxLength: 4 }), fc.nat(), fc.nat(), fc.subarray([...mergeClientFields]), async (specs, a, b, take) => {
        const { rt, areaId, userId } = await setup();
        try {
          const ids = [];
          for (const [i, spec] of specs.entries()) ids.push(await build(rt, areaId, userId, spec, i));
          const survivor = ids[a % ids.length]!;
          const merged = ids.filter((id) => id !== survivor)[b % (ids.length - 1)]!;
          const before = await everyTable(rt);
          const { mergeId } = await merge(rt, survivor, merged, take);
          merges++;
          // Everything of the merged-away client now belongs to the survivor; it is a tombstone leading there.
          for (const table of ['client_contacts', 'events', 'jobs', 'leads'] as const) {
            expect(await rt.db.selectFrom(table).select('id').where('client_id', '=', merged).execute()).toEqual([]);
          }
          moved += (await rt.db.selectFrom('change_log').select('id').where('operation_id', 'is not', null).execute()).length;
          const tomb = await rt.call<{ mergedInto: { id: string } | null; client: { archivedAt: string | null } }>('clients.get', { id: merged });
          expect(tomb.mergedInto?.id).toBe(survivor);
          expect(tomb.client.archivedAt).not.toBeNull();
          const primaries = await rt.db.selectFrom('client_contacts').select('id').where('client_id', '=', survivor).where('is_primary', '=', 1).where('deleted_at', 'is', null).execute();
          expect(primaries.length).toBeLessThanOrEqual(1);
          await rt.call('merges.undo', { mergeId });
          expect(await everyTable(rt)).toEqual(before);
          expect(rt.errors).toEqual([]);
        } finally {
          await rt.dispose();
        }
      }),
      { numRuns: runs },
    );
    console.log(`[merge property] ${merges} random databases merged and undone, ${moved} changes logged by merges, 0 differences after undo`);
  }, Math.max(300_000, runs * 20_000));

  it('logs a merge and its undo as one operation each, which the outbox never splits across pushes', async () => {
    const { rt, areaId, userId } = await setup();
    const spec = { contacts: [{ name: 0, primary: true, remove: false }, { name: 1, primary: false, remove: false }], events: [{ day: 1, owner: true, doc: true }], jobs: [{ apply: false }], lead: false, phone: 1, website: true };
    const first = await build(rt, areaId, userId, spec, 0);
    const second = await build(rt, areaId, userId, spec, 1);
    const { mergeId } = await merge(rt, first, second, ['email']);
    await rt.call('merges.undo', { mergeId });
    const rows = await rt.db.selectFrom('change_log').select(['operation_id', 'device_seq', 'entity', 'operation']).where('device_seq', 'is not', null).orderBy('device_seq').execute();
    const operations = [...new Set(rows.map((r) => r.operation_id).filter(Boolean))];
    expect(operations).toHaveLength(2);
    const mergeRows = rows.filter((r) => r.operation_id === operations[0]);
    expect(mergeRows.map((r) => `${r.entity} ${r.operation}`)).toEqual(['client update', 'contact update', 'contact update', 'event update', 'job update', 'merge create', 'client delete']);
    // Every cut of the outbox ends outside both operations.
    const all = await rt.db.selectFrom('change_log').select(['operation_id']).where('device_seq', 'is not', null).orderBy('device_seq').execute();
    for (let limit = 1; limit <= all.length; limit++) {
      const end = operationBoundary(all, limit, 20);
      expect(end === all.length || !all[end]!.operation_id || all[end]!.operation_id !== all[end - 1]!.operation_id).toBe(true);
    }
    const firstBatch = await pendingChanges(rt.db, rt.ctx.deviceId, rows.indexOf(mergeRows[2]!) + 1);
    expect(firstBatch.at(-1)!.operationId).toBe(operations[0]);
    expect(firstBatch.filter((c) => c.operationId === operations[0])).toHaveLength(mergeRows.length);
  });

  it('undo keeps an edit made after the merge, and is refused once the survivor was merged away itself', async () => {
    const { rt, areaId, userId } = await setup();
    const spec = { contacts: [], events: [], jobs: [], lead: false, phone: 5, website: false };
    const [a, b, c] = [await build(rt, areaId, userId, spec, 0), await build(rt, areaId, userId, spec, 1), await build(rt, areaId, userId, spec, 2)];
    const { mergeId } = await merge(rt, a, b, ['phone', 'email']);
    const survivor = (await rt.call<{ client: Record<string, unknown> }>('clients.get', { id: a })).client;
    expect(survivor.email).toBe('info@c1.example');
    await rt.call('clients.update', { ...editable(survivor), phone: '+34 600 000 000' });
    const later = await merge(rt, c, a);
    const blocked = await rt.dispatch('merges.undo', { mergeId });
    expect(!blocked.ok && blocked.error.reason).toBe('merge_undo_blocked');
    // The later merge's tombstone leads through both merges to the last survivor.
    expect((await rt.call<{ mergedInto: { id: string } }>('clients.get', { id: b })).mergedInto.id).toBe(c);
    await rt.call('merges.undo', { mergeId: later.mergeId });
    await rt.call('merges.undo', { mergeId });
    const after = (await rt.call<{ client: Record<string, unknown> }>('clients.get', { id: a })).client;
    expect(after.email).toBe('info@c0.example');
    expect(after.phone).toBe('+34 600 00 00 00');
    const again = await rt.dispatch('merges.undo', { mergeId });
    expect(!again.ok && again.error.reason).toBe('merge_already_undone');
  });

  it("a merged-away client's code, typed into the search, leads to the survivor until the merge is undone", async () => {
    const { rt, areaId, userId } = await setup();
    const spec = { contacts: [], events: [], jobs: [], lead: false, phone: 5, website: false };
    const [a, b] = [await build(rt, areaId, userId, spec, 0), await build(rt, areaId, userId, spec, 1)];
    const codeOf = async (id: string) => (await rt.call<{ client: { code: string } }>('clients.get', { id })).client.code;
    const [survivorCode, mergedCode] = [await codeOf(a), await codeOf(b)];
    const { mergeId } = await merge(rt, a, b);
    const found = await rt.call<{ code: string; survivor: { id: string; code: string } }>('clients.mergedByCode', { code: ` ${mergedCode.toLowerCase()} ` });
    expect(found).toMatchObject({ code: mergedCode, survivor: { id: a, code: survivorCode } });
    expect(await rt.call('clients.mergedByCode', { code: survivorCode })).toBeNull();
    await rt.call('merges.undo', { mergeId });
    expect(await rt.call('clients.mergedByCode', { code: mergedCode })).toBeNull();
  });

  it('lists possible duplicates with their evidence, forgets a dismissed pair, and no longer warns about it', async () => {
    const { rt, areaId } = await setup();
    const acme = await rt.call<{ id: string }>('clients.create', { companyName: 'Acme Consulting', email: 'info@acme.es', areaId, website: 'www.acme.es' });
    const first = await rt.dispatch('clients.create', { companyName: 'Acme Consultin', email: 'hola@acme.es', areaId });
    expect(!first.ok && first.error.code).toBe('DUPLICATE');
    const twin = await rt.call<{ id: string; version: number }>('clients.create', { companyName: 'Acme Consultin', email: 'hola@acme.es', areaId, acknowledgedDuplicateIds: [acme.id] });
    await rt.call('clients.create', { companyName: 'Globex', email: 'info@globex.com', areaId });
    const list = await rt.call<{ pairs: { key: string; reasons: string[]; first: { id: string } }[]; total: number }>('duplicates.list', {});
    expect(list.total).toBe(1);
    expect(list.pairs[0]!.first.id).toBe(acme.id);
    expect(list.pairs[0]!.reasons).toEqual(expect.arrayContaining(['email_domain', 'similar_name']));
    await rt.call('duplicates.setDismissed', { firstId: twin.id, secondId: acme.id, dismissed: true });
    expect((await rt.call<{ total: number }>('duplicates.list', {})).total).toBe(0);
    expect((await rt.call<{ total: number }>('duplicates.list', { dismissed: true })).total).toBe(1);
    const check = await rt.call<{ warnings: unknown[] }>('clients.checkDuplicates', { companyName: 'Acme Consultin', email: 'hola@acme.es', website: 'www.acme.es', excludeId: twin.id });
    expect(check.warnings).toEqual([]);
    await rt.call('duplicates.setDismissed', { firstId: twin.id, secondId: acme.id, dismissed: false });
    expect((await rt.call<{ total: number }>('duplicates.list', {})).total).toBe(1);
    expect((await rt.call<{ total: number }>('duplicates.list', { clientIds: [twin.id] })).total).toBe(1);
  });

  it('an import names the existing clients its saved rows resemble, and the review lists those pairs', async () => {
    const { rt, areaId } = await setup();
    const acme = await rt.call<{ id: string }>('clients.create', { companyName: 'Acme Consulting', email: 'info@acmeconsulting.es', areaId });
    const fileId = await upload(rt, 'clients.csv', csvFile([['Company', 'Email', 'Area'], ['Acme Consultin', 'hola@acmeconsulting.es', 'Technology'], ['Globex', 'info@globex.com', 'Technology']]));
    const result = await runTaskOk(rt, 'imports.start', { fileId, target: 'clients', mapping: ['companyName', 'email', 'area'], duplicateMode: 'create' }, 'import');
    expect(result.duplicateClientIds).toEqual([acme.id]);
    const pairs = await rt.call<{ pairs: { first: { id: string }; second: { companyName: string } }[] }>('duplicates.list', { clientIds: result.duplicateClientIds });
    expect(pairs.pairs.map((p) => [p.first.id, p.second.companyName])).toEqual([[acme.id, 'Acme Consultin']]);
  });

  it('merges two contacts of one client field by field, and undoes it', async () => {
    const { rt, areaId } = await setup();
    const acme = await rt.call<{ id: string }>('clients.create', { companyName: 'Acme', email: 'info@acme.es', areaId });
    const ana = await rt.call<{ id: string; version: number }>('contacts.create', { clientId: acme.id, name: 'Ana García', email: 'ana@acme.es', phone: '612 345 678' });
    const twin = await rt.call<{ id: string; version: number }>('contacts.create', { clientId: acme.id, name: 'Ana Garcia', email: 'agarcia@acme.es', phone: '612 345 678', role: 'HR' });
    const pairs = await rt.call<{ pairs: { reasons: string[] }[] }>('contacts.duplicates', { clientId: acme.id });
    expect(pairs.pairs).toHaveLength(1);
    const before = await everyTable(rt);
    // The merged-away contact was the primary one: the survivor takes the role.
    const { mergeId } = await rt.call<{ mergeId: string }>('contacts.merge', { survivorId: twin.id, mergedId: ana.id, survivorVersion: twin.version, mergedVersion: ana.version, takeFromMerged: ['email'] });
    const left = await rt.call<{ id: string; email: string; role: string; isPrimary: boolean }[]>('contacts.list', { clientId: acme.id });
    expect(left).toEqual([expect.objectContaining({ id: twin.id, email: 'ana@acme.es', role: 'HR', isPrimary: true })]);
    await rt.call('merges.undo', { mergeId });
    expect(await everyTable(rt)).toEqual(before);
  });
});
