import { readSetting } from '../../db/repositories/settings';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import yazl from 'yazl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client, ClientRow, HistoryEntry } from '../../contract/clients';
import type { Contact } from '../../contract/contacts';
import type { ClientEvent } from '../../contract/events';
import type { Job } from '../../contract/jobs';
import type { RestoreSummary, Task } from '../../contract/transfer';
import type { User } from '../../contract/users';
import { testRuntime } from '../support/runtime';
import { csvFile, download, parseCsvText, runTask, runTaskOk, upload } from '../support/transfer';
import { readZip } from '../support/zip';

type Rt = Awaited<ReturnType<typeof testRuntime>>;

let rt: Rt;
let areas: Area[];
let users: User[];
const extra: Rt[] = [];
const areaId = (name: string) => areas.find((a) => a.name === name)!.id;
const userId = (name: string) => users.find((u) => u.name === name)!.id;

beforeEach(async () => {
  rt = await testRuntime();
  areas = await rt.call<Area[]>('areas.list');
  await rt.call('users.create', { name: 'Ana García', email: 'ana@agency.es' });
  await rt.call('users.create', { name: 'Luis Pérez' });
  users = await rt.call<User[]>('users.list', { includeInactive: true });
});
afterEach(async () => {
  await rt.dispose();
  while (extra.length) await extra.pop()!.dispose();
});

async function emptyRuntime() {
  const other = await testRuntime();
  extra.push(other);
  return other;
}

const noCandidates = { total: 0, restored: 0, alreadyPresent: 0, documents: 0, applications: 0, placements: 0 };
const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64');
const stagedFiles = () => fs.readdirSync(rt.ctx.staging.root).sort();
const count = async (on: Rt, table: 'clients' | 'client_contacts' | 'events' | 'jobs' | 'change_log' | 'users' | 'attachments') =>
  Number((await on.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** Many clients quickly, through a clients import (one contact each). */
async function manyClients(on: Rt, n: number, extraColumns: (i: number) => string[] = () => []) {
  const rows: string[][] = [['Company', 'Email', 'Area', 'Contact', 'Fee %', 'Status']];
  for (let i = 1; i <= n; i++) rows.push([`Bulk ${i} Ltd`, `office@bulk-${i}.com`, i % 2 ? 'Retail' : 'Energy', `Person ${i}`, String(10 + (i % 7)), i % 3 ? 'active' : 'paused', ...extraColumns(i)]);
  const fileId = await upload(on, 'bulk.csv', csvFile(rows));
  const result = await runTaskOk(on, 'imports.start', { fileId, target: 'clients', mapping: ['companyName', 'email', 'area', 'contactName', 'defaultFeePercent', 'status'] }, 'import');
  expect(result.summary.created).toBe(n);
  await on.call('files.discard', { fileId });
}

async function waitForProgress(taskId: string, atLeast: number) {
  for (let i = 0; i < 100_000; i++) {
    const task = await rt.call<Task>('tasks.get', { taskId });
    if (task.done >= atLeast || task.state !== 'running') return task;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('no progress');
}

describe('list export', () => {
  let clients: Record<string, Client>;
  beforeEach(async () => {
    clients = {};
    const add = async (companyName: string, email: string, area: string, status: string, extraFields: Record<string, unknown> = {}) => {
      clients[companyName] = await rt.call<Client>('clients.create', { companyName, email, areaId: areaId(area), status, ...extraFields });
    };
    await add('Beta Finanzas', 'info@betafin.es', 'Finance', 'paused');
    await add('Alpha Tech', 'hola@alphatech.es', 'Technology', 'active', { phone: '+34 612 345 678', website: 'alphatech.es', ownerId: userId('Ana García') });
    await add('Gamma Tech', 'info@gammatech.io', 'Technology', 'inactive', { defaultFeePercent: 18.5 });
    await add('Delta Tech', 'info@deltatech.io', 'Technology', 'active');
    await add('Acme; "Tech", Soluciones', 'ventas@acme-soluciones.es', 'Technology', 'active', { comments: 'Línea 1\nLínea 2' });
    await rt.call('clients.archive', { id: clients['Delta Tech']!.id, version: clients['Delta Tech']!.version });
    await rt.call('contacts.create', { clientId: clients['Gamma Tech']!.id, name: 'Íñigo Zubizarreta', email: 'inigo@gammatech.io' });
  });

  const exportCsv = async (input: Record<string, unknown>) => {
    const result = await runTaskOk(rt, 'exports.clients', { filter: {}, format: 'csv', columns: [{ key: 'companyName', header: 'Company' }], ...input }, 'export');
    const bytes = await download(rt, result.file.fileId);
    return { result, bytes, rows: parseCsvText(bytes.toString('utf8'), (input.delimiter as string | undefined) ?? ',') };
  };

  it('writes the filtered clients in the list order with the picked columns, headers, labels and delimiter', async () => {
    const { result, bytes, rows } = await exportCsv({
      filter: { statuses: ['active', 'inactive'], areaIds: [areaId('Technology')] },
      sort: 'company_name',
      direction: 'asc',
      delimiter: ';',
      columns: [
        { key: 'companyName', header: 'Empresa' },
        { key: 'status', header: 'Estado' },
        { key: 'area', header: 'Área' },
        { key: 'code', header: 'Código' },
        { key: 'comments', header: 'Comentarios' },
      ],
      labels: { statuses: { active: 'Activo', inactive: 'Inactivo' }, areas: { [areaId('Technology')]: 'Tecnología' } },
      baseName: 'clientes-2026',
    });
    expect(result).toMatchObject({ rows: 3, file: { fileName: 'clientes-2026.csv', mimeType: 'text/csv', sizeBytes: bytes.length } });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n');
    expect(rows).toEqual([
      ['Empresa', 'Estado', 'Área', 'Código', 'Comentarios'],
      ['Acme; "Tech", Soluciones', 'Activo', 'Tecnología', clients['Acme; "Tech", Soluciones']!.code, 'Línea 1\nLínea 2'],
      ['Alpha Tech', 'Activo', 'Tecnología', clients['Alpha Tech']!.code, ''],
      ['Gamma Tech', 'Inactivo', 'Tecnología', clients['Gamma Tech']!.code, ''],
    ]);
  });

  it('honours includeArchived, the search (a contact\'s name too), the sort direction and stored names without labels', async () => {
    const archived = await exportCsv({ filter: { includeArchived: true, areaIds: [areaId('Technology')] }, sort: 'company_name', direction: 'desc', columns: [{ key: 'companyName', header: 'Company' }, { key: 'archivedAt', header: 'Archived' }, { key: 'status', header: 'Status' }, { key: 'area', header: 'Area' }] });
    expect(archived.rows.slice(1).map((r) => [r[0], r[1] !== '', r[2], r[3]])).toEqual([
      ['Gamma Tech', false, 'inactive', 'Technology'],
      ['Delta Tech', true, 'active', 'Technology'],
      ['Alpha Tech', false, 'active', 'Technology'],
      ['Acme; "Tech", Soluciones', false, 'active', 'Technology'],
    ]);
    const byContact = await exportCsv({ filter: { search: 'iñigo' } });
    expect(byContact.rows).toEqual([['Company'], ['Gamma Tech']]);
    const byName = await exportCsv({ filter: { search: 'tech' }, sort: 'created_at', direction: 'asc' });
    expect(byName.rows.slice(1).flat()).toEqual(['Alpha Tech', 'Gamma Tech', 'Acme; "Tech", Soluciones']);
    const tabs = await exportCsv({ delimiter: '\t', filter: { statuses: ['paused'] }, columns: [{ key: 'companyName', header: 'Company' }, { key: 'email', header: 'Email' }] });
    expect(tabs.bytes.toString('utf8')).toBe('\uFEFFCompany\tEmail\r\nBeta Finanzas\tinfo@betafin.es\r\n');
  });

  it('writes related data as names and counts: owner, primary contact, contacts, events, open jobs', async () => {
    const gamma = clients['Gamma Tech']!;
    await rt.call('contacts.create', { clientId: gamma.id, name: 'Second Person', phone: '+34 600 000 001' });
    await rt.call('events.create', { clientId: gamma.id, type: 'call', title: 'Intro', occurredAt: '2026-10-01T10:00:00.000Z' });
    await rt.call('jobs.create', { clientId: gamma.id, title: 'Backend developer', status: 'open' });
    const { rows } = await exportCsv({
      filter: { search: 'gamma tech' },
      columns: ['owner', 'primaryContact', 'primaryContactEmail', 'contacts', 'events', 'openJobs', 'defaultFeePercent', 'lastActivityAt'].map((key) => ({ key, header: key })),
    });
    const current = (await rt.call<{ currentUserId: string }>('settings.get', {})).currentUserId;
    expect(rows[1]).toEqual([users.find((u) => u.id === current)!.name, 'Íñigo Zubizarreta', 'inigo@gammatech.io', '2', '1', '1', '18.5', '2026-10-01T10:00:00.000Z']);
  });

  it('refuses an export without columns as VALIDATION', async () => {
    const result = await rt.dispatch('exports.clients', { filter: {}, format: 'csv', columns: [] });
    expect(result.ok ? null : result.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'columns', message: 'pick_columns' }] });
  });
});

describe('large exports', () => {
  it('has no row cap, and the xlsx has typed cells and a frozen header', async () => {
    await manyClients(rt, 2500);
    const csv = await runTaskOk(rt, 'exports.clients', { filter: {}, format: 'csv', columns: [{ key: 'code', header: 'Code' }, { key: 'companyName', header: 'Company' }] }, 'export');
    expect(csv.rows).toBe(2500);
    const lines = parseCsvText((await download(rt, csv.file.fileId, 100_000)).toString('utf8'));
    expect(lines).toHaveLength(2501);
    expect(new Set(lines.slice(1).map((l) => l[0])).size).toBe(2500);
    // Newest first by default: the last imported client leads.
    expect(lines[1]![1]).toBe('Bulk 2500 Ltd');

    const columns = [
      { key: 'code', header: 'Code' }, { key: 'companyName', header: 'Company' }, { key: 'defaultFeePercent', header: 'Fee %' },
      { key: 'contacts', header: 'Contacts' }, { key: 'createdAt', header: 'Created' }, { key: 'lastActivityAt', header: 'Last activity' }, { key: 'status', header: 'Status' },
    ];
    const xlsx = await runTaskOk(rt, 'exports.clients', { filter: {}, format: 'xlsx', columns, sort: 'company_name', direction: 'asc', baseName: 'all' }, 'export');
    expect(xlsx.rows).toBe(2500);
    expect(xlsx.file.fileName).toBe('all.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download(rt, xlsx.file.fileId)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(2501);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).values).toEqual([undefined, 'Code', 'Company', 'Fee %', 'Contacts', 'Created', 'Last activity', 'Status']);
    const first = sheet.getRow(2);
    expect(first.getCell(2).value).toBe('Bulk 1 Ltd');
    expect(first.getCell(3).value).toBe(11);
    expect(first.getCell(4).value).toBe(1);
    expect(first.getCell(5).value).toBeInstanceOf(Date);
    expect(first.getCell(6).value).toBeNull();
    expect(typeof first.getCell(1).value).toBe('string');
    expect(first.getCell(7).value).toBe('active');
    let third: ExcelJS.Row | null = null;
    sheet.eachRow((row) => {
      if (row.getCell(2).value === 'Bulk 3 Ltd') third = row;
    });
    expect(third!.getCell(7).value).toBe('paused');
    expect(first.getCell(3).numFmt).toContain('%');
  });

  for (const format of ['csv', 'xlsx'] as const) {
    it(`${format}: a cancelled export leaves no file behind`, async () => {
      await manyClients(rt, 2500);
      const before = stagedFiles();
      const { taskId } = await rt.call<{ taskId: string }>('exports.clients', { filter: {}, format, columns: [{ key: 'companyName', header: 'Company' }, { key: 'contacts', header: 'Contacts' }] });
      const progress = await waitForProgress(taskId, 1);
      expect(progress.state).toBe('running');
      await rt.call('tasks.cancel', { taskId });
      const task = await rt.ctx.tasks.settled(taskId);
      expect(task.state).toBe('cancelled');
      expect(task.result).toBeNull();
      expect(stagedFiles()).toEqual(before);
    });
  }

  it('a cancelled backup leaves no file behind', async () => {
    await manyClients(rt, 600);
    const before = stagedFiles();
    const { taskId } = await rt.call<{ taskId: string }>('exports.dossier', { clientId: null });
    await waitForProgress(taskId, 250);
    await rt.call('tasks.cancel', { taskId });
    const task = await rt.ctx.tasks.settled(taskId);
    expect(task.state).toBe('cancelled');
    expect(stagedFiles()).toEqual(before);
  });
});

describe('dossier backup and restore', () => {
  let client: Client;
  let document: Buffer;
  beforeEach(async () => {
    client = await rt.call<Client>('clients.create', { companyName: 'Telefónica Dossier S.A.', email: 'rrhh@telefonica-dossier.es', areaId: areaId('Technology'), ownerId: userId('Ana García'), defaultFeePercent: 20 });
    client = await rt.call<Client>('clients.update', { id: client.id, version: client.version, companyName: client.companyName, email: client.email, areaId: client.areaId, ownerId: client.ownerId, status: 'paused', comments: 'Cambio de estado' });
    await rt.call('contacts.create', { clientId: client.id, name: 'José Núñez', email: 'jose@telefonica-dossier.es', role: 'CTO' });
    await rt.call('contacts.create', { clientId: client.id, name: 'Marta Ibáñez' });
    document = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80, ...Buffer.from('contrato firmado')]);
    await rt.call('events.create', { clientId: client.id, type: 'meeting', title: 'Firma', occurredAt: '2026-10-01T10:00:00.000Z', ownerIds: [userId('Ana García'), userId('Luis Pérez')], attachments: [{ fileName: 'contrato.pdf', mimeType: 'application/pdf', contentBase64: b64(document) }] });
    await rt.call('events.create', { clientId: client.id, type: 'satisfaction_survey', title: 'Encuesta', score: 9, occurredAt: '2026-11-01T10:00:00.000Z' });
    // A removed event travels too (undo must still work after a restore).
    const removed = await rt.call<ClientEvent>('events.create', { clientId: client.id, type: 'note', title: 'Borrada', occurredAt: '2026-10-15T10:00:00.000Z' });
    await rt.call('events.delete', { id: removed.id });
    await rt.call('jobs.create', { clientId: client.id, title: 'Backend developer', status: 'open', salaryMinMinor: 4_000_000, salaryMaxMinor: 5_000_000, salaryCurrency: 'EUR', salaryPeriod: 'year', feeType: 'percentage', feePercent: 20, probability: 50 });
    // Another client that must not travel in this client's dossier.
    await rt.call('clients.create', { companyName: 'Unrelated', email: 'x@unrelated.com', areaId: areaId('Retail') });
  });

  async function exportOne() {
    const result = await runTaskOk(rt, 'exports.dossier', { clientId: client.id }, 'dossier');
    return { result, bytes: await download(rt, result.file.fileId) };
  }
  async function restore(on: Rt, bytes: Buffer, fileName = 'backup.zip') {
    const fileId = await upload(on, fileName, bytes);
    return (await runTaskOk(on, 'imports.restore', { fileId }, 'restore')).summary as RestoreSummary;
  }
  const snapshot = async (on: Rt, id: string) => ({
    client: (await on.call<{ client: Client }>('clients.get', { id })).client,
    contacts: await on.call<Contact[]>('contacts.list', { clientId: id }),
    events: (await on.call<{ rows: ClientEvent[] }>('events.list', { clientId: id })).rows,
    jobs: (await on.call<{ rows: Job[] }>('jobs.list', { clientId: id })).rows,
    history: (await on.call<{ entries: HistoryEntry[] }>('clients.history', { clientId: id, limit: 200 })).entries,
  });

  it('writes one client with everything that belongs to it into a zip', async () => {
    const { result, bytes } = await exportOne();
    expect(result).toMatchObject({ clients: 1, documents: 1 });
    expect(result.file.fileName).toMatch(new RegExp(`^${client.code}-telefonica-dossier-s-a-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
    const file = path.join(rt.dir, 'dossier.zip');
    fs.writeFileSync(file, bytes);
    const entries = await readZip(file);
    const sha = (await rt.db.selectFrom('attachments').select('sha256').executeTakeFirstOrThrow()).sha256;
    expect([...entries.keys()].sort()).toEqual(['candidates.jsonl', 'clients.jsonl', `documents/${sha}`, 'manifest.json']);
    expect(entries.get(`documents/${sha}`)).toEqual(document);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({ format: 'clients-dossier', version: 2, clients: 1, candidates: 0, missingDocuments: [] });
    expect(manifest.users.map((u: { name: string }) => u.name)).toEqual(expect.arrayContaining(['Ana García', 'Luis Pérez']));
    const lines = entries.get('clients.jsonl')!.toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const dossier = JSON.parse(lines[0]!);
    expect(dossier.client).toMatchObject({ id: client.id, code: client.code, status: 'paused' });
    expect(dossier.contacts).toHaveLength(2);
    expect(dossier.events.map((e: { title: string; deleted_at: string | null }) => [e.title, e.deleted_at !== null])).toEqual([['Firma', false], ['Borrada', true], ['Encuesta', false]]);
    expect(dossier.events.find((e: { title: string }) => e.title === 'Firma').owners.sort()).toEqual([userId('Ana García'), userId('Luis Pérez')].sort());
    expect(dossier.jobs).toHaveLength(1);
    expect(dossier.history.length).toBeGreaterThanOrEqual(6);
  });

  it('restores into an empty database with ids, documents and history kept; a second restore adds nothing', async () => {
    const { bytes } = await exportOne();
    const source = await snapshot(rt, client.id);
    const target = await emptyRuntime();
    const first = await restore(target, bytes);
    expect(first).toEqual({ clients: 1, restored: 1, alreadyPresent: 0, conflicts: [], contacts: 2, events: 3, jobs: 1, documents: 1, candidates: noCandidates });
    expect(await target.db.selectFrom('events').select(['title', 'deleted_at']).where('title', '=', 'Borrada').executeTakeFirst()).toMatchObject({ deleted_at: expect.any(String) });

    const restored = await snapshot(target, client.id);
    // Built-in areas have ids of their own in each database: the client lands in this one's Technology.
    const technology = (await target.call<Area[]>('areas.list')).find((a) => a.key === 'technology')!;
    // A restore is a write of this database: each record's time of last change and version start over.
    const kept = <T extends { updatedAt: string; version: number }>(rows: T[]) => rows.map(({ updatedAt: _u, version: _v, ...rest }) => rest);
    expect(kept([restored.client])).toEqual(kept([{ ...source.client, areaId: technology.id }]));
    expect(restored.client.ownerName).toBe('Ana García');
    expect(kept(restored.contacts)).toEqual(kept(source.contacts));
    expect(kept(restored.events)).toEqual(kept(source.events));
    expect(kept(restored.jobs)).toEqual(kept(source.jobs));
    // The history travels whole, below the entries of the restore itself (every record it wrote, saying where from).
    // …as changes made elsewhere: this database did not make them.
    const fromBackup = restored.history.slice(-source.history.length);
    expect(fromBackup.map(({ device: _d, ...e }) => e)).toEqual(source.history.map(({ device: _d, ...e }) => e));
    expect(fromBackup.every((e) => e.device === 'other')).toBe(true);
    const restoredEntries = restored.history.slice(0, -source.history.length);
    expect(restoredEntries.map((e) => e.entity).sort()).toEqual(['client', 'contact', 'contact', 'event', 'event', 'event', 'job']);
    for (const entry of restoredEntries) expect(entry).toMatchObject({ operation: 'create', note: 'Restored from backup backup.zip.' });
    const attachment = restored.events.find((e) => e.title === 'Firma')!.attachments[0]!;
    const file = await target.call<{ contentBase64: string; fileName: string }>('attachments.get', { id: attachment.id });
    expect(file.fileName).toBe('contrato.pdf');
    expect(Buffer.from(file.contentBase64, 'base64')).toEqual(document);
    // The restored client is searchable, by a contact too.
    expect((await target.call<{ rows: ClientRow[] }>('clients.list', { search: 'núñez' })).rows.map((r) => r.id)).toEqual([client.id]);

    const counts = { clients: await count(target, 'clients'), contacts: await count(target, 'client_contacts'), events: await count(target, 'events'), log: await count(target, 'change_log'), users: await count(target, 'users') };
    const second = await restore(target, bytes, 'again.zip');
    expect(second).toEqual({ clients: 1, restored: 0, alreadyPresent: 1, conflicts: [], contacts: 0, events: 0, jobs: 0, documents: 1, candidates: noCandidates });
    expect({ clients: await count(target, 'clients'), contacts: await count(target, 'client_contacts'), events: await count(target, 'events'), log: await count(target, 'change_log'), users: await count(target, 'users') }).toEqual(counts);
  });

  it('maps team members by email or name instead of adding them twice', async () => {
    const { bytes } = await exportOne();
    const target = await emptyRuntime();
    const ana = await target.call<User>('users.create', { name: 'Ana Garcia Lopez', email: 'ANA@agency.es' });
    const luis = await target.call<User>('users.create', { name: 'luis pérez' });
    const usersBefore = await count(target, 'users');
    await restore(target, bytes);
    expect(await count(target, 'users')).toBe(usersBefore);
    const restored = await snapshot(target, client.id);
    expect(restored.client.ownerId).toBe(ana.id);
    expect(restored.events.find((e) => e.title === 'Firma')!.owners.map((o) => o.id).sort()).toEqual([ana.id, luis.id].sort());
  });

  it('lists a client whose email another client already has as a conflict and does not restore it', async () => {
    const { bytes } = await exportOne();
    const target = await emptyRuntime();
    const targetAreas = await target.call<Area[]>('areas.list');
    const other = await target.call<Client>('clients.create', { companyName: 'Someone Else', email: 'RRHH@telefonica-dossier.es', areaId: targetAreas[0]!.id });
    const summary = await restore(target, bytes);
    expect(summary).toMatchObject({ clients: 1, restored: 0, alreadyPresent: 0, conflicts: [{ kind: 'client', code: client.code, companyName: 'Telefónica Dossier S.A.', reason: 'email' }], contacts: 0, events: 0, jobs: 0 });
    expect((await target.db.selectFrom('clients').select('id').execute()).map((c) => c.id)).toEqual([other.id]);
    expect(await count(target, 'events')).toBe(0);
  });

  it('refuses files that are not backups with VALIDATION', async () => {
    const notZip = await runTask(rt, 'imports.restore', { fileId: await upload(rt, 'notes.zip', 'just some text') });
    expect(notZip).toMatchObject({ state: 'failed', error: { code: 'VALIDATION', fields: [{ path: 'fileId', message: 'not_a_backup' }] } });

    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('{}'), 'clients.jsonl');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const noManifest = await runTask(rt, 'imports.restore', { fileId: await upload(rt, 'other.zip', Buffer.concat(chunks)) });
    expect(noManifest).toMatchObject({ state: 'failed', error: { code: 'VALIDATION' } });

    const xlsx = new ExcelJS.Workbook();
    xlsx.addWorksheet('x').addRow(['a']);
    const spreadsheet = await runTask(rt, 'imports.restore', { fileId: await upload(rt, 'book.zip', Buffer.from(await xlsx.xlsx.writeBuffer())) });
    expect(spreadsheet).toMatchObject({ state: 'failed', error: { code: 'VALIDATION' } });
  });

  it('an unknown client is NOT_FOUND', async () => {
    const task = await runTask(rt, 'exports.dossier', { clientId: 'missing' });
    expect(task).toMatchObject({ state: 'failed', error: { code: 'NOT_FOUND' } });
  });

  it('backs up every client (archived too) and restores all of them', async () => {
    await manyClients(rt, 300);
    const archived = await rt.call<Client>('clients.create', { companyName: 'Archived One', email: 'a@archived-one.com', areaId: areaId('Other') });
    await rt.call('clients.archive', { id: archived.id, version: archived.version });
    const all = await runTaskOk(rt, 'exports.dossier', { clientId: null }, 'dossier');
    expect(all).toMatchObject({ clients: 303, documents: 1 });
    expect(all.file.fileName).toMatch(/^clients-backup-\d{4}-\d{2}-\d{2}\.zip$/);
    const target = await emptyRuntime();
    const summary = await restore(target, await download(rt, all.file.fileId));
    expect(summary).toMatchObject({ clients: 303, restored: 303, alreadyPresent: 0, conflicts: [], contacts: 302, events: 3, jobs: 1, documents: 1 });
    for (const table of ['clients', 'client_contacts', 'events', 'jobs', 'attachments'] as const) expect(await count(target, table)).toBe(await count(rt, table));
    const ids = async (on: Rt) => (await on.db.selectFrom('clients').select(['id', 'code', 'archived_at', 'search_text']).orderBy('id').execute());
    expect(await ids(target)).toEqual(await ids(rt));
    // Every change-log row of a client came along (as history), beside the restore's own logged creates.
    const clientLog = async (on: Rt) => (await on.db.selectFrom('change_log').select('id').where('client_id', 'is not', null).execute()).map((r) => r.id);
    const targetLog = new Set(await clientLog(target));
    expect((await clientLog(rt)).filter((id) => !targetLog.has(id))).toEqual([]);
    // Codes restored from the source's series are never handed out again in the target.
    const counter = await target.db.selectFrom('code_counters').select('next_value').where('prefix', '=', `CL-${String(await readSetting(rt.db, 'deviceTag'))}`).executeTakeFirstOrThrow();
    expect(counter.next_value).toBe(304);
    const before = await count(target, 'clients');
    const fresh = await restore(target, await download(rt, all.file.fileId));
    expect(fresh).toMatchObject({ restored: 0, alreadyPresent: 303 });
    expect(await count(target, 'clients')).toBe(before);
  });
});

describe('staging safety', () => {
  it('uploads in order only, and reads only inside the file', async () => {
    const { fileId } = await rt.call<{ fileId: string }>('files.beginUpload', { fileName: 'a.csv', sizeBytes: 10 });
    expect(await rt.call('files.appendUpload', { fileId, offset: 0, chunkBase64: b64('12345') })).toEqual({ receivedBytes: 5, complete: false });
    const skipped = await rt.dispatch('files.appendUpload', { fileId, offset: 7, chunkBase64: b64('xyz') });
    expect(skipped.ok ? null : skipped.error.code).toBe('CONFLICT');
    const repeated = await rt.dispatch('files.appendUpload', { fileId, offset: 0, chunkBase64: b64('12345') });
    expect(repeated.ok ? null : repeated.error.code).toBe('CONFLICT');
    // Not complete yet: neither readable nor importable.
    const early = await rt.dispatch('imports.analyze', { fileId, target: 'clients' });
    expect(early.ok ? null : early.error.code).toBe('CONFLICT');
    const earlyRead = await rt.dispatch('files.read', { fileId, offset: 0 });
    expect(earlyRead.ok ? null : earlyRead.error.code).toBe('CONFLICT');
    const tooMuch = await rt.dispatch('files.appendUpload', { fileId, offset: 5, chunkBase64: b64('6789012') });
    expect(tooMuch.ok ? null : tooMuch.error.code).toBe('VALIDATION');
    expect(await rt.call('files.appendUpload', { fileId, offset: 5, chunkBase64: b64('67890') })).toEqual({ receivedBytes: 10, complete: true });
    const after = await rt.dispatch('files.appendUpload', { fileId, offset: 10, chunkBase64: b64('x') });
    expect(after.ok ? null : after.error.code).toBe('VALIDATION');

    expect(await rt.call('files.read', { fileId, offset: 0, length: 4 })).toEqual({ chunkBase64: b64('1234'), nextOffset: 4 });
    expect(await rt.call('files.read', { fileId, offset: 8, length: 4 })).toEqual({ chunkBase64: b64('90'), nextOffset: null });
    const beyond = await rt.dispatch('files.read', { fileId, offset: 11 });
    expect(beyond.ok ? null : beyond.error.code).toBe('CONFLICT');
  });

  it('answers NOT_FOUND for unknown or discarded files, and deletes discarded uploads', async () => {
    for (const [channel, input] of [
      ['files.read', { fileId: 'nope', offset: 0 }],
      ['files.appendUpload', { fileId: 'nope', offset: 0, chunkBase64: '' }],
      ['imports.analyze', { fileId: 'nope', target: 'clients' }],
      ['imports.start', { fileId: 'nope', target: 'clients', mapping: [] }],
      ['imports.restore', { fileId: 'nope' }],
    ] as const) {
      const result = await rt.dispatch(channel, input);
      expect(result.ok ? null : result.error.code, channel).toBe('NOT_FOUND');
    }
    const fileId = await upload(rt, 'x.csv', 'a,b\n1,2\n');
    expect(stagedFiles()).toHaveLength(1);
    await rt.call('files.discard', { fileId });
    expect(stagedFiles()).toEqual([]);
    const gone = await rt.dispatch('files.read', { fileId, offset: 0 });
    expect(gone.ok ? null : gone.error.code).toBe('NOT_FOUND');
  });

  it('an export cannot be appended to, and file names cannot leave the staging folder', async () => {
    const result = await runTaskOk(rt, 'exports.clients', { filter: {}, format: 'csv', columns: [{ key: 'code', header: 'Code' }], baseName: '../../etc/passwd' }, 'export');
    expect(result.file.fileName).not.toContain('/');
    expect(fs.readdirSync(rt.ctx.staging.root)).toHaveLength(1);
    const append = await rt.dispatch('files.appendUpload', { fileId: result.file.fileId, offset: result.file.sizeBytes, chunkBase64: b64('x') });
    expect(append.ok ? null : append.error.code).toBe('CONFLICT');
    const upload = await rt.call<{ fileName: string; fileId: string }>('files.beginUpload', { fileName: '..\\..\\evil.csv', sizeBytes: 0 });
    expect(upload.fileName).not.toMatch(/[\\/]/);
    expect(fs.readdirSync(rt.ctx.staging.root)).toHaveLength(2);
    const big = await rt.dispatch('files.beginUpload', { fileName: 'huge.csv', sizeBytes: 1100 * 1024 * 1024 });
    expect(big.ok ? null : big.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'sizeBytes', message: 'file_too_large', params: { limitMb: 1024 } }] });
  });
});
