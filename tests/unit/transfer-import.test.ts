import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client, ClientRow, HistoryEntry } from '../../contract/clients';
import type { Contact } from '../../contract/contacts';
import type { ImportOptions, ImportRowCheck, ImportSummary, StagedFile } from '../../contract/transfer';
import type { User } from '../../contract/users';
import { channels } from '../../contract';
import { fixedPacing, runImport, type ImportPacing } from '../../main/transfer/imports';
import { testRuntime } from '../support/runtime';
import { csvFile, download, parseCsvText, runTask, runTaskOk, upload } from '../support/transfer';

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

interface Analysis {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  headers: string[];
  sample: string[][];
  rowCount: number;
  mapping: (string | null)[];
}
type ImportResult = { summary: ImportSummary; report: StagedFile | null };

const analyze = (on: Rt, fileId: string, target: 'clients' | 'contacts' | 'candidates' = 'clients') => on.call<Analysis>('imports.analyze', { fileId, target });

/** Uploads, analyses, and imports with the guessed mapping unless one is given. */
async function importFile(content: string | Buffer, options: Partial<ImportOptions> & { dryRun?: boolean; fileName?: string } = {}, on: Rt = rt) {
  const { fileName = 'clients.csv', ...rest } = options;
  const fileId = await upload(on, fileName, content);
  const analysis = await analyze(on, fileId, rest.target ?? 'clients');
  const result = await runTaskOk(on, 'imports.start', { target: 'clients', mapping: analysis.mapping, ...rest, fileId }, 'import');
  return { fileId, analysis, ...(result as ImportResult) };
}

const preview = (fileId: string, options: Partial<ImportOptions> & { limit?: number }) =>
  rt.call<{ rows: ImportRowCheck[]; missingRequired: string[] }>('imports.preview', { target: 'clients', ...options, fileId });

async function allClients(on: Rt = rt, includeArchived = false): Promise<ClientRow[]> {
  const page = await on.call<{ rows: ClientRow[] }>('clients.list', { sort: 'company_name', direction: 'asc', limit: 500, includeArchived });
  return page.rows;
}
const clientByName = async (name: string, on: Rt = rt) => {
  const row = (await allClients(on)).find((c) => c.companyName === name);
  if (!row) throw new Error(`No client ${name}`);
  return (await on.call<{ client: Client }>('clients.get', { id: row.id })).client;
};
const history = async (clientId: string, on: Rt = rt) => (await on.call<{ entries: HistoryEntry[] }>('clients.history', { clientId })).entries;
const count = async (table: 'clients' | 'client_contacts' | 'change_log', on: Rt = rt) => {
  let query = on.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
  // The log of clients and their contacts (not the areas and first team member a new database starts with).
  if (table === 'change_log') query = query.where('entity', 'in', ['client', 'contact']);
  return Number((await query.executeTakeFirstOrThrow()).n);
};

/** An import started through the task runner, as imports.start does, but with the given batch pacing. */
function startPacedImport(input: Record<string, unknown>, pacing: ImportPacing) {
  const options = channels['imports.start'].input.parse(input);
  return rt.ctx.tasks.start('import', (control) => runImport(rt.ctx, options, control, pacing));
}

/** Like runTaskOk for imports.start, in batches of exactly `batchRows`; also returns the row count at each batch's end. */
async function pacedImportOk(input: Record<string, unknown>, batchRows: number) {
  const batchEnds: number[] = [];
  const ended = await rt.ctx.tasks.settled(startPacedImport(input, fixedPacing(batchRows, (n) => batchEnds.push(n))).id);
  if (ended.state !== 'done' || ended.result?.kind !== 'import') throw new Error(`import ended ${ended.state}: ${JSON.stringify(ended.error)}`);
  return { ...ended.result, batchEnds };
}

async function reportRows(file: StagedFile | null, on: Rt = rt, delimiter = ',') {
  expect(file).not.toBeNull();
  const bytes = await download(on, file!.fileId);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsvText(bytes.toString('utf8'), delimiter);
}

/** Everything a list export carries about a client, as the user sees it. */
async function snapshot(on: Rt) {
  const rows = await allClients(on);
  return Promise.all(
    rows.map(async (row) => {
      const { client } = await on.call<{ client: Client }>('clients.get', { id: row.id });
      const contacts = await on.call<Contact[]>('contacts.list', { clientId: row.id });
      const primary = contacts.find((c) => c.isPrimary) ?? null;
      return {
        companyName: client.companyName,
        email: client.email,
        areaName: client.areaName,
        phone: client.phone,
        website: client.website,
        comments: client.comments,
        status: client.status,
        ownerName: client.ownerName,
        defaultFeePercent: client.defaultFeePercent,
        defaultGuaranteeDays: client.defaultGuaranteeDays,
        defaultPaymentTermsDays: client.defaultPaymentTermsDays,
        primaryContact: primary && { name: primary.name, email: primary.email, phone: primary.phone },
      };
    }),
  );
}

const exportHeaders = {
  code: 'Code', companyName: 'Company Name', email: 'Email', area: 'Area', status: 'Status', owner: 'Owner', phone: 'Phone', website: 'Website',
  comments: 'Comments', primaryContact: 'Primary contact', primaryContactEmail: 'Primary contact email', primaryContactPhone: 'Primary contact phone',
  contacts: 'Contacts', openJobs: 'Open jobs', events: 'Events', defaultFeePercent: 'Fee %', defaultGuaranteeDays: 'Guarantee days',
  defaultPaymentTermsDays: 'Payment terms (days)', createdAt: 'Created', updatedAt: 'Updated', lastActivityAt: 'Last activity', archivedAt: 'Archived',
} as const;

describe('round trip: export → import into an empty database', () => {
  async function seedVariedClients() {
    const telefonica = await rt.call<Client>('clients.create', {
      companyName: 'Telefónica S.A.', email: 'compras@telefonica.es', areaId: areaId('Technology'), phone: '912 345 678', website: 'www.telefonica.es',
      comments: 'Cliente "clave", revisar; pagos\nsegunda línea', status: 'paused', ownerId: userId('Ana García'),
      defaultFeePercent: 18.5, defaultGuaranteeDays: 90, defaultPaymentTermsDays: 30,
    });
    await rt.call('contacts.create', { clientId: telefonica.id, name: 'José Núñez', role: 'CTO', email: 'jose.nunez@telefonica.es', phone: '+34 600 111 222' });
    await rt.call('contacts.create', { clientId: telefonica.id, name: 'Marta Ibáñez', email: 'marta@telefonica.es' });
    await rt.call('clients.create', { companyName: 'Müller & Söhne GmbH', email: 'info@mueller-soehne.de', areaId: areaId('Finance'), status: 'inactive', ownerId: userId('Luis Pérez'), website: 'https://mueller-soehne.de/kontakt' });
    // Starts like a formula: the CSV export guards it with an apostrophe that the import removes again.
    await rt.call('clients.create', { companyName: '=Señor Café', email: 'hola@senorcafe.mx', areaId: areaId('Hospitality'), phone: '+52 55 1234 5678', defaultFeePercent: 20 });
    // Archived clients are not in a default export and must not come back.
    const archived = await rt.call<Client>('clients.create', { companyName: 'Old Archived Ltd', email: 'old@archived.co.uk', areaId: areaId('Other') });
    await rt.call('clients.archive', { id: archived.id, version: archived.version });
  }

  for (const format of ['csv', 'xlsx'] as const) {
    it(`${format}: every column exported comes back with the same values`, async () => {
      await seedVariedClients();
      const columns = Object.entries(exportHeaders).map(([key, header]) => ({ key, header }));
      const exported = await runTaskOk(rt, 'exports.clients', { filter: {}, format, columns, sort: 'company_name', direction: 'asc' }, 'export');
      expect(exported.rows).toBe(3);
      const bytes = await download(rt, exported.file.fileId);

      const target = await testRuntime();
      extra.push(target);
      await target.call('users.create', { name: 'Ana García', email: 'ana@agency.es' });
      await target.call('users.create', { name: 'Luis Pérez' });
      const { analysis, summary, report } = await importFile(bytes, { fileName: exported.file.fileName }, target);
      expect(analysis.format).toBe(format);
      expect(analysis.rowCount).toBe(3);
      // The export's own headers are recognised: code, counts and dates are ignored.
      const mapped = Object.fromEntries(analysis.headers.map((h, i) => [h, analysis.mapping[i]]));
      expect(mapped).toEqual({
        Code: null, 'Company Name': 'companyName', Email: 'email', Area: 'area', Status: 'status', Owner: 'owner', Phone: 'phone', Website: 'website',
        Comments: 'comments', 'Primary contact': 'contactName', 'Primary contact email': 'contactEmail', 'Primary contact phone': 'contactPhone',
        Contacts: null, 'Open jobs': null, Events: null, 'Fee %': 'defaultFeePercent', 'Guarantee days': 'defaultGuaranteeDays',
        'Payment terms (days)': 'defaultPaymentTermsDays', Created: null, Updated: null, 'Last activity': null, Archived: null,
      });
      expect(summary).toMatchObject({ rows: 3, created: 3, updated: 0, skipped: 0, rejected: 0 });
      expect(report).toBeNull();

      const before = await snapshot(rt);
      const after = await snapshot(target);
      expect(after).toEqual(before);
      // Spot checks, so the comparison cannot pass on two empty lists.
      expect(after.map((c) => c.companyName)).toEqual(['=Señor Café', 'Müller & Söhne GmbH', 'Telefónica S.A.']);
      expect(after[2]).toMatchObject({
        areaName: 'Technology', phone: '+34 912 34 56 78', website: 'https://www.telefonica.es', status: 'paused', ownerName: 'Ana García',
        comments: 'Cliente "clave", revisar; pagos\nsegunda línea', defaultFeePercent: 18.5, defaultGuaranteeDays: 90, defaultPaymentTermsDays: 30,
        primaryContact: { name: 'José Núñez', email: 'jose.nunez@telefonica.es', phone: '+34 600 11 12 22' },
      });
      expect(after[1]).toMatchObject({ status: 'inactive', ownerName: 'Luis Pérez', areaName: 'Finance', primaryContact: null });
    });
  }
});

describe('messy real-world files', () => {
  const aliases = { statuses: { active: ['Activo'], paused: ['Pausado'], inactive: ['Inactivo'] }, areas: {} as Record<string, string[]> };

  it('reads a Spanish, semicolon, BOM, CRLF file with quoted separators and newlines, blank lines and an extra column', async () => {
    aliases.areas = { [areaId('Technology')]: ['Tecnología'], [areaId('Finance')]: ['Finanzas'] };
    const text = [
      'Razón social;Correo electrónico;Teléfono;Área;Sitio web;Persona de contacto;Cargo;Observaciones;Estado;Responsable;Columna extra',
      'Telefónica, S.A.;compras@telefonica.es;912 345 678;Tecnología;www.telefonica.es;José Núñez;CTO;"Cliente clave, revisar; urgente";Activo;Ana García;x',
      '',
      '"Banco ""Sur""";info@bancosur.es;;finanzas;;;;"Primera línea',
      'Segunda línea";Pausado;;',
      'Zeta Logística;no-es-un-correo;;Tecnología;;;;;Activo;;',
      ';;;;;;;;;;',
      'Omega Astral;omega@omega.io;;Astrología;;;;;;;',
    ].join('\r\n');
    const fileId = await upload(rt, 'clientes.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const analysis = await analyze(rt, fileId);
    expect(analysis).toMatchObject({ format: 'csv', encoding: 'utf-8-bom', delimiter: ';', rowCount: 4 });
    expect(analysis.headers[0]).toBe('Razón social');
    expect(analysis.mapping).toEqual(['companyName', 'email', 'phone', 'area', 'website', 'contactName', 'contactRole', 'comments', 'status', 'owner', null]);

    const checked = await preview(fileId, { mapping: analysis.mapping as ImportOptions['mapping'], aliases });
    expect(checked.missingRequired).toEqual([]);
    // Spreadsheet row numbers: blank records count, a quoted newline stays inside its row.
    expect(checked.rows.map((r) => [r.line, r.outcome])).toEqual([[2, 'create'], [4, 'create'], [5, 'reject'], [7, 'reject']]);
    expect(checked.rows[2]!.errors).toEqual([{ path: 'email', message: 'invalid_email' }]);
    expect(checked.rows[3]!.errors).toEqual([{ path: 'area', message: 'unknown_area' }]);
    expect(await count('clients')).toBe(0);

    const task = await runTaskOk(rt, 'imports.start', { fileId, target: 'clients', mapping: analysis.mapping, aliases }, 'import');
    expect(task.summary).toMatchObject({ rows: 4, created: 2, rejected: 2 });
    const telefonica = await clientByName('Telefónica, S.A.');
    expect(telefonica).toMatchObject({
      email: 'compras@telefonica.es', phone: '+34 912 34 56 78', areaName: 'Technology', website: 'https://www.telefonica.es',
      comments: 'Cliente clave, revisar; urgente', status: 'active', ownerName: 'Ana García',
    });
    expect(await rt.call<Contact[]>('contacts.list', { clientId: telefonica.id })).toEqual([expect.objectContaining({ name: 'José Núñez', role: 'CTO', isPrimary: true })]);
    const banco = await clientByName('Banco "Sur"');
    expect(banco).toMatchObject({ areaName: 'Finance', status: 'paused', comments: 'Primera línea\nSegunda línea', phone: null });

    // The report keeps the file's delimiter and points at the rows a spreadsheet shows.
    const rows = await reportRows(task.report, rt, ';');
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      ['Line', 'Result', 'Reason', 'Razón social'],
      ['5', 'Rejected', 'Email: not a valid email address', 'Zeta Logística'],
      ['7', 'Rejected', 'Area: unknown area', 'Omega Astral'],
    ]);
  });

  it('decodes Windows-1252 bytes (an Excel "CSV" saved on Windows)', async () => {
    const text = 'Razón social;Correo electrónico;Área;Teléfono\r\nTelefónica Móviles;moviles@telefonica.es;Technology;\r\nCafé Ñandú;cafe@nandu.es;Hospitality;+34 911 222 333\r\n';
    const bytes = Buffer.from(text, 'latin1');
    expect(bytes.includes(Buffer.from('ó', 'utf8'))).toBe(false);
    const { analysis, summary } = await importFile(bytes, { fileName: 'export.csv' });
    expect(analysis).toMatchObject({ encoding: 'windows-1252', delimiter: ';', headers: ['Razón social', 'Correo electrónico', 'Área', 'Teléfono'] });
    expect(analysis.mapping).toEqual(['companyName', 'email', 'area', 'phone']);
    expect(summary).toMatchObject({ created: 2, rejected: 0 });
    expect((await allClients()).map((c) => c.companyName)).toEqual(['Café Ñandú', 'Telefónica Móviles']);
    expect((await clientByName('Café Ñandú')).phone).toBe('+34 911 22 23 33');
  });

  it('reads a tab-separated file and an xlsx file that was renamed .csv', async () => {
    const { analysis, summary } = await importFile('Company\tEmail\tArea\nAcme\tinfo@acme.com\tRetail\n', { fileName: 'list.tsv' });
    expect(analysis.delimiter).toBe('\t');
    expect(summary.created).toBe(1);
    expect((await clientByName('Acme')).areaName).toBe('Retail');
  });
});

describe('duplicates', () => {
  let acme: Client;
  let globex: Client;
  beforeEach(async () => {
    acme = await rt.call<Client>('clients.create', { companyName: 'Acme Corp', email: 'info@acme.com', areaId: areaId('Technology'), phone: '+34 910 000 001' });
    globex = await rt.call<Client>('clients.create', { companyName: 'Globex', email: 'sales@globex.com', areaId: areaId('Finance') });
  });
  const header = ['Company', 'Email', 'Area', 'Phone', 'Comments'];

  it('skip: rows matching existing clients or earlier rows are skipped and reported', async () => {
    const file = csvFile([
      header,
      ['ACME Corp.', 'new@acme-other.com', 'Retail', '', ''],
      ['Someone Else', ' INFO@acme.com ', 'Retail', '', ''],
      ['New Co', 'hello@newco.com', 'Retail', '', ''],
      ['New Co S.L.', 'other@newco-es.com', 'Retail', '', ''],
      ['Third', 'hello@newco.com', 'Retail', '', ''],
    ]);
    const fileId = await upload(rt, 'skip.csv', file);
    const checks = (await preview(fileId, { mapping: ['companyName', 'email', 'area', 'phone', 'comments'], duplicateMode: 'skip' })).rows;
    expect(checks.map((r) => [r.line, r.outcome, r.sameAsLine])).toEqual([[2, 'skip', null], [3, 'skip', null], [4, 'create', null], [5, 'skip', 4], [6, 'skip', 4]]);
    expect(checks[0]!.matches).toEqual([expect.objectContaining({ id: acme.id, reasons: ['name'] })]);
    expect(checks[1]!.matches).toEqual([expect.objectContaining({ id: acme.id, reasons: ['email', 'email_domain'], decision: 'block' })]);
    expect(await count('clients')).toBe(2);
    const { summary, report } = await runTaskOk(rt, 'imports.start', { fileId, target: 'clients', mapping: ['companyName', 'email', 'area', 'phone', 'comments'], duplicateMode: 'skip' }, 'import');
    expect(summary).toMatchObject({ rows: 5, created: 1, skipped: 4, updated: 0, rejected: 0 });
    const rows = await reportRows(report);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2]])).toEqual([
      ['2', 'Skipped', `Already exists: ${acme.code} Acme Corp (same name)`],
      ['3', 'Skipped', `Already exists: ${acme.code} Acme Corp (same email, same email domain)`],
      ['5', 'Skipped', 'Same as line 4 of this file'],
      ['6', 'Skipped', 'Same as line 4 of this file'],
    ]);
    expect((await allClients()).map((c) => c.companyName)).toEqual(['Acme Corp', 'Globex', 'New Co']);
  });

  it('update: the matching client gets the row\'s non-empty cells, with the import in its history', async () => {
    const file = csvFile([
      header,
      ['Acme Corp', 'info@acme.com', '', '', 'Updated by import'],
      ['Acme Corp', 'sales@globex.com', '', '', 'matches both'],
      ['Newco', 'a@newco.com', 'Retail', '', 'first'],
      ['Newco', 'a@newco.com', '', '+34 933 000 111', 'second'],
    ]);
    const { summary, report } = await importFile(file, { duplicateMode: 'update', fileName: 'update.csv' });
    expect(summary).toMatchObject({ rows: 4, created: 1, updated: 2, rejected: 1, skipped: 0 });

    const updated = await clientByName('Acme Corp');
    // Empty cells leave the client's values alone; the area and phone stay.
    expect(updated).toMatchObject({ comments: 'Updated by import', areaName: 'Technology', phone: '+34 910 00 00 01', version: acme.version + 1 });
    const entries = await history(acme.id);
    expect(entries[0]).toMatchObject({ operation: 'update', note: 'Imported from update.csv, line 2.' });
    expect(entries[0]!.changes).toEqual([{ field: 'comments', old: null, new: 'Updated by import' }]);
    expect((await clientByName('Globex')).comments).toBeNull();

    const newco = await clientByName('Newco');
    expect(newco).toMatchObject({ comments: 'second', phone: '+34 933 00 01 11', areaName: 'Retail' });
    const newcoHistory = await history(newco.id);
    expect(newcoHistory).toHaveLength(1);
    expect(newcoHistory[0]!.note).toContain('Imported from update.csv, line 4.');
    expect(newcoHistory[0]!.note).toContain('Updated from line 5.');

    const rows = await reportRows(report);
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual([['3', 'Rejected', 'Email: matches several existing clients']]);
  });

  it('create: duplicates are created anyway, each with a history note naming what it duplicates', async () => {
    const file = csvFile([header, ['Acme Corp', 'other@acme-two.com', 'Retail', '', ''], ['Brand New', 'x@brandnew.com', 'Retail', '', ''], ['Brand New', 'y@brandnew2.com', 'Retail', '', '']]);
    const { summary } = await importFile(file, { duplicateMode: 'create', fileName: 'dups.csv' });
    expect(summary).toMatchObject({ created: 3, skipped: 0, updated: 0 });
    const rows = await allClients();
    expect(rows.map((c) => c.companyName)).toEqual(['Acme Corp', 'Acme Corp', 'Brand New', 'Brand New', 'Globex']);
    const second = rows.find((c) => c.companyName === 'Acme Corp' && c.id !== acme.id)!;
    const [entry] = await history(second.id);
    expect(entry!.note).toBe(`Imported from dups.csv, line 2. Created anyway although it duplicates ${acme.code}.`);
    const brandNew = rows.filter((c) => c.companyName === 'Brand New').sort((a, b) => a.code.localeCompare(b.code));
    expect((await history(brandNew[1]!.id))[0]!.note).toBe('Imported from dups.csv, line 4. Created anyway although it duplicates line 3.');
    expect(globex.id).toBeTruthy();
  });

  it('warnings (similar name, website domain, company email domain) are counted and the clients still created', async () => {
    const initech = await rt.call<Client>('clients.create', { companyName: 'Initech', email: 'info@initech.com', areaId: areaId('Technology'), website: 'https://initech.com' });
    const file = csvFile([
      ['Company', 'Email', 'Area', 'Website'],
      ['Initech Labs', 'hello@initechlabs.io', 'Retail', ''],
      ['Completely Different', 'a@different.org', 'Retail', 'www.initech.com/jobs'],
      ['Another One', 'jobs@initech.com', 'Retail', ''],
      ['Gmail User', 'someone@gmail.com', 'Retail', ''],
      ['Second Gmail', 'other@gmail.com', 'Retail', ''],
    ]);
    const fileId = await upload(rt, 'warn.csv', file);
    const checks = (await preview(fileId, { mapping: ['companyName', 'email', 'area', 'website'] })).rows;
    expect(checks.map((r) => r.matches.map((m) => [m.id, m.reasons]))).toEqual([
      [[initech.id, ['brand']]],
      [[initech.id, ['domain']]],
      [[initech.id, ['email_domain']]],
      [],
      [],
    ]);
    const task = await runTaskOk(rt, 'imports.start', { fileId, target: 'clients', mapping: ['companyName', 'email', 'area', 'website'] }, 'import');
    expect(task.summary).toMatchObject({ created: 5, warned: 3, skipped: 0 });
    const labs = await clientByName('Initech Labs');
    expect((await history(labs.id))[0]!.note).toBe(`Imported from warn.csv, line 2. Possible duplicates: ${initech.code} Initech (brand)`);
    // The names the import just wrote are seen by the next preview (the in-memory name index is rebuilt after writes).
    const next = await upload(rt, 'next.csv', csvFile([['Company', 'Email', 'Area'], ['Initech Labz', 'a@labz.io', 'Retail']]));
    const again = (await preview(next, { mapping: ['companyName', 'email', 'area'] })).rows[0]!;
    expect(again.matches.map((m) => m.companyName).sort()).toEqual(['Initech', 'Initech Labs']);
  });

  it('the preview names the earlier rows of the file a row resembles, as the import counts them', async () => {
    const file = csvFile([
      ['Company', 'Email', 'Area', 'Website'],
      ['Northwind Traders', 'info@northwind.es', 'Retail', 'https://northwind.es'],
      ['Northwind Traderz', 'hola@nwt.es', 'Retail', ''],
      ['Fabrikam', 'rrhh@northwind.es', 'Retail', ''],
      ['Contoso', 'info@contoso.es', 'Retail', ''],
    ]);
    const fileId = await upload(rt, 'twins.csv', file);
    const checks = (await preview(fileId, { mapping: ['companyName', 'email', 'area', 'website'] })).rows;
    expect(checks.map((r) => r.similarLines)).toEqual([[], [{ line: 2, reasons: ['similar_name'] }], [{ line: 2, reasons: ['email_domain'] }], []]);
    expect(checks.map((r) => r.outcome)).toEqual(['create', 'create', 'create', 'create']);
    const task = await runTaskOk(rt, 'imports.start', { fileId, target: 'clients', mapping: ['companyName', 'email', 'area', 'website'], dryRun: true }, 'import');
    expect(task.summary).toMatchObject({ dryRun: true, created: 4, warned: 2 });
  });
});

describe('dry run', () => {
  it('checks every row, writes nothing, and counts exactly what the real run then does', async () => {
    await rt.call('clients.create', { companyName: 'Acme Corp', email: 'info@acme.com', areaId: areaId('Technology') });
    const file = csvFile([
      ['Company', 'Email', 'Area', 'Contact'],
      ['Acme Corp', 'x@acme2.com', 'Retail', ''],
      ['Fresh One', 'one@fresh.com', 'Retail', 'Pia Lind'],
      ['Fresh Two', 'two@fresh.com', 'Nowhere', ''],
      ['Fresh One', 'again@fresh.com', 'Retail', ''],
      ['Initech', 'info@initech.com', 'Retail', ''],
      ['Initech Labs', 'labs@initechlabs.com', 'Retail', ''],
    ]);
    const fileId = await upload(rt, 'dry.csv', file);
    const before = { clients: await count('clients'), contacts: await count('client_contacts'), log: await count('change_log') };
    const counters = await rt.db.selectFrom('code_counters').selectAll().execute();
    const options = { fileId, target: 'clients', mapping: ['companyName', 'email', 'area', 'contactName'], duplicateMode: 'update' };
    const dry = await runTaskOk(rt, 'imports.start', { ...options, dryRun: true }, 'import');
    expect(dry.summary).toMatchObject({ dryRun: true, rows: 6, created: 3, updated: 2, rejected: 1, warned: 1 });
    expect({ clients: await count('clients'), contacts: await count('client_contacts'), log: await count('change_log') }).toEqual(before);
    expect(await rt.db.selectFrom('code_counters').selectAll().execute()).toEqual(counters);

    const real = await runTaskOk(rt, 'imports.start', options, 'import');
    const { rowsPerSecond: _a, dryRun: _b, ...realCounts } = real.summary;
    const { rowsPerSecond: _c, dryRun: _d, ...dryCounts } = dry.summary;
    expect(realCounts).toEqual(dryCounts);
    expect(await count('clients')).toBe(before.clients + 3);
    expect(await count('client_contacts')).toBe(1);
  });
});

describe('dry run and batches agree', () => {
  /** A made-up word per number, scattered so that no two are similar names. */
  const word = (i: number) => {
    let n = (i * 2654435761) % 308915776;
    let w = '';
    for (let k = 0; k < 6; k++, n = Math.floor(n / 26)) w += String.fromCharCode(97 + (n % 26));
    return w.charAt(0).toUpperCase() + w.slice(1);
  };

  it('warns about rows resembling earlier rows of the file the same way, whichever batch they fall in', async () => {
    const existing = await rt.call<Client>('clients.create', { companyName: 'Zyxwvu Holdings', email: 'info@zyxwvu.com', areaId: areaId('Technology') });
    const rows: string[][] = [['Company', 'Email', 'Area', 'Website']];
    for (let i = 1; i <= 700; i++) rows.push([word(i), `info@${word(i).toLowerCase()}.com`, 'Retail', '']);
    rows[5] = ['Initech', 'info@initech.com', 'Retail', 'initech.com']; // line 6
    rows[650] = ['Initech Labs', 'hello@initechlabs.io', 'Retail', '']; // line 651: similar name, next batch
    rows[600] = ['Other Brand', 'x@otherbrand.com', 'Retail', 'https://www.initech.com']; // line 601: same website as line 6
    rows[20] = ['Zyxwvu Holding Group', 'a@zyxgroup.com', 'Retail', '']; // line 21: similar to an existing client
    const fileId = await upload(rt, 'agree.csv', csvFile(rows));
    const options = { fileId, target: 'clients', mapping: ['companyName', 'email', 'area', 'website'] };
    const dry = await pacedImportOk({ ...options, dryRun: true }, 500);
    const real = await pacedImportOk(options, 500);
    expect([dry.batchEnds, real.batchEnds]).toEqual([[500, 700], [500, 700]]);
    expect(dry.summary).toMatchObject({ created: 700, warned: 3 });
    expect(real.summary).toMatchObject({ created: 700, warned: 3 });
    const note = async (name: string) => {
      const { id } = await rt.db.selectFrom('clients').select('id').where('company_name', '=', name).executeTakeFirstOrThrow();
      return (await history(id))[0]!.note;
    };
    expect(await note('Initech Labs')).toBe('Imported from agree.csv, line 651. Possible duplicates: line 6 (brand)');
    expect(await note('Other Brand')).toBe('Imported from agree.csv, line 601. Possible duplicates: line 6 (domain)');
    expect(await note('Zyxwvu Holding Group')).toBe(`Imported from agree.csv, line 21. Possible duplicates: ${existing.code} Zyxwvu Holdings (brand)`);
  });
});

describe('the rejected-rows report', () => {
  it('strict: lists each rejected or skipped row with its line and a readable reason', async () => {
    await rt.call('clients.create', { companyName: 'Acme Corp', email: 'info@acme.com', areaId: areaId('Technology') });
    const file = csvFile([
      ['Company', 'Email', 'Area', 'Fee', 'Owner', 'Status', 'Note'],
      ['Good One', 'good@one.com', 'Retail', '15', 'Ana García', 'active', 'kept'],
      ['Bad Mail', 'bad-mail', 'Retail', '', '', '', 'a, b'],
      ['Bad Area', 'x@badarea.com', 'Underwater', '', '', '', ''],
      ['Bad Fee', 'x@badfee.com', 'Retail', 'ten', '', '', ''],
      ['Bad Owner', 'x@badowner.com', 'Retail', '', 'Nobody Known', 'dormant', ''],
      ['Acme Corp', 'y@acme.com', 'Retail', '', '', '', ''],
    ]);
    const { summary, report } = await importFile(file, { fileName: 'leads list.csv', rejectUnreadable: true });
    expect(summary).toMatchObject({ created: 1, rejected: 4, skipped: 1, reported: 5, valueWarnings: 0 });
    expect(report!.fileName).toBe('leads list-report.csv');
    expect(report!.mimeType).toBe('text/csv');
    const rows = await reportRows(report);
    expect(rows).toEqual([
      ['Line', 'Result', 'Reason', 'Company', 'Email', 'Area', 'Fee', 'Owner', 'Status', 'Note'],
      ['3', 'Rejected', 'Email: not a valid email address', 'Bad Mail', 'bad-mail', 'Retail', '', '', '', 'a, b'],
      ['4', 'Rejected', 'Area: unknown area', 'Bad Area', 'x@badarea.com', 'Underwater', '', '', '', ''],
      ['5', 'Rejected', 'Fee %: not a number', 'Bad Fee', 'x@badfee.com', 'Retail', 'ten', '', '', ''],
      ['6', 'Rejected', 'Status: unknown status; Owner: unknown team member', 'Bad Owner', 'x@badowner.com', 'Retail', '', 'Nobody Known', 'dormant', ''],
      ['7', 'Skipped', expect.stringMatching(/^Already exists: CL-\w{4}-0001 Acme Corp \(same name, same email domain\)$/), 'Acme Corp', 'y@acme.com', 'Retail', '', '', '', ''],
    ]);
  });

  it('uses reportText for headers, results, field names and reasons', async () => {
    const file = csvFile([['Empresa', 'Email', 'Área'], ['Mal Correo', 'nope', 'Retail'], ['Sin Área', 'a@sinarea.es', 'Marte']]);
    const reportText = {
      'header.line': 'Línea', 'header.result': 'Resultado', 'header.reason': 'Motivo', 'outcome.reject': 'Rechazada', 'report.fileSuffix': 'informe',
      'field.email': 'Correo', 'field.area': 'Área', 'error.invalid_email': 'no es un correo válido', 'error.unknown_area': 'área desconocida',
    };
    const { report } = await importFile(file, { fileName: 'altas.csv', reportText });
    expect(report!.fileName).toBe('altas-informe.csv');
    expect(await reportRows(report)).toEqual([
      ['Línea', 'Resultado', 'Motivo', 'Empresa', 'Email', 'Área'],
      ['2', 'Rechazada', 'Correo: no es un correo válido', 'Mal Correo', 'nope', 'Retail'],
      ['3', 'Rechazada', 'Área: área desconocida', 'Sin Área', 'a@sinarea.es', 'Marte'],
    ]);
  });

  it('is null when every row went in', async () => {
    const { report, summary } = await importFile(csvFile([['Company', 'Email', 'Area'], ['Fine', 'fine@fine.com', 'Retail']]));
    expect(summary.created).toBe(1);
    expect(report).toBeNull();
  });
});

describe('defaults and mapping validation', () => {
  it('uses the run\'s area, status and owner where the file has no such column', async () => {
    const file = csvFile([['Company', 'Email'], ['Default Co', 'x@default.co']]);
    const { summary } = await importFile(file, { defaults: { areaId: areaId('Energy'), status: 'paused', ownerId: userId('Luis Pérez') } });
    expect(summary.created).toBe(1);
    expect(await clientByName('Default Co')).toMatchObject({ areaName: 'Energy', status: 'paused', ownerName: 'Luis Pérez' });
  });

  it('fills only empty cells from the defaults; the current user owns clients when there is no owner at all', async () => {
    const file = csvFile([['Company', 'Email', 'Area', 'Owner'], ['Own Area', 'x@ownarea.co', 'Retail', ''], ['Default Area', 'y@defaultarea.co', '', 'Ana García']]);
    const { summary } = await importFile(file, { defaults: { areaId: areaId('Energy'), status: 'active', ownerId: null } });
    expect(summary.created).toBe(2);
    const current = (await rt.call<{ currentUserId: string | null }>('settings.get', {})).currentUserId;
    expect(await clientByName('Own Area')).toMatchObject({ areaName: 'Retail', ownerId: current });
    expect(await clientByName('Default Area')).toMatchObject({ areaName: 'Energy', ownerName: 'Ana García' });
  });

  it('strict: rejects unknown area, owner and status with the field they came from, and inactive owners', async () => {
    const luis = users.find((u) => u.name === 'Luis Pérez')!;
    await rt.call('users.update', { id: luis.id, name: luis.name, email: null, active: false });
    const fileId = await upload(rt, 'bad.csv', csvFile([
      ['Company', 'Email', 'Area', 'Owner', 'Status'],
      ['A', 'a@a-co.com', 'Mars', '', ''],
      ['B', 'b@b-co.com', 'Retail', 'Ghost', ''],
      ['C', 'c@c-co.com', 'Retail', '', 'sleeping'],
      ['D', 'd@d-co.com', 'Retail', 'Luis Pérez', 'inactive'],
      ['E', 'e@e-co.com', '', '', ''],
    ]));
    const checks = (await preview(fileId, { mapping: ['companyName', 'email', 'area', 'owner', 'status'], rejectUnreadable: true })).rows;
    expect(checks.map((r) => [r.outcome, r.errors])).toEqual([
      ['reject', [{ path: 'area', message: 'unknown_area' }]],
      ['reject', [{ path: 'owner', message: 'unknown_user' }]],
      ['reject', [{ path: 'status', message: 'unknown_status' }]],
      ['reject', [{ path: 'owner', message: 'inactive_user' }]],
      ['reject', [{ path: 'area', message: 'required' }]],
    ]);
    // By default only the area (required) rejects; an owner or status that cannot be read gives way to the run's default.
    const lenient = (await preview(fileId, { mapping: ['companyName', 'email', 'area', 'owner', 'status'] })).rows;
    expect(lenient.map((r) => [r.outcome, r.errors, r.warnings])).toEqual([
      ['reject', [{ path: 'area', message: 'unknown_area' }], []],
      ['create', [], [{ path: 'owner', message: 'unknown_user', value: 'Ghost', action: 'default' }]],
      ['create', [], [{ path: 'status', message: 'unknown_status', value: 'sleeping', action: 'default' }]],
      ['create', [], [{ path: 'owner', message: 'inactive_user', value: 'Luis Pérez', action: 'default' }]],
      ['reject', [{ path: 'area', message: 'required' }], []],
    ]);
  });

  it('refuses to start without a required mapping, or with a field of the other target, as VALIDATION', async () => {
    const fileId = await upload(rt, 'x.csv', csvFile([['Company', 'Email'], ['A', 'a@a.com']]));
    const noEmail = await rt.dispatch('imports.start', { fileId, target: 'clients', mapping: ['companyName', null], defaults: { areaId: areaId('Retail') } });
    expect(noEmail.ok ? null : noEmail.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'mapping.email', message: 'required' }] });
    const noArea = await rt.dispatch('imports.start', { fileId, target: 'clients', mapping: ['companyName', 'email'] });
    expect(noArea.ok ? null : noArea.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'mapping.area', message: 'required' }] });
    const otherTarget = await rt.dispatch('imports.start', { fileId, target: 'clients', mapping: ['companyName', 'isPrimary'], defaults: { areaId: areaId('Retail') } });
    expect(otherTarget.ok ? null : otherTarget.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'mapping.1', message: 'invalid' }] });
    const otherPreview = await rt.dispatch('imports.preview', { fileId, target: 'contacts', mapping: ['companyName', 'email'] });
    expect(otherPreview.ok ? null : otherPreview.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'mapping.0', message: 'invalid' }] });
    const missing = await preview(fileId, { mapping: ['companyName', null] });
    expect(missing.missingRequired.sort()).toEqual(['area', 'email']);
    expect(await count('clients')).toBe(0);
  });

  it('refuses files it cannot read with VALIDATION', async () => {
    const pdf = await upload(rt, 'scan.pdf', '%PDF-1.4');
    const result = await rt.dispatch('imports.analyze', { fileId: pdf, target: 'clients' });
    expect(result.ok ? null : result.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'fileId', message: 'unsupported_file' }] });
    const old = await upload(rt, 'old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    const xls = await rt.dispatch('imports.analyze', { fileId: old, target: 'clients' });
    expect(xls.ok ? null : xls.error.message).toMatch(/\.xls/);
    expect(xls.ok ? null : xls.error.fields).toEqual([{ path: 'fileId', message: 'old_excel' }]);
    const wide = await upload(rt, 'wide.csv', `${Array.from({ length: 501 }, (_, i) => `Column ${i}`).join(',')}\r\n`);
    const tooWide = await rt.dispatch('imports.analyze', { fileId: wide, target: 'clients' });
    expect(tooWide.ok ? null : tooWide.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'fileId', message: 'table_too_large' }] });
  });
});

describe('contacts import', () => {
  let acme: Client;
  let globex: Client;
  beforeEach(async () => {
    acme = await rt.call<Client>('clients.create', { companyName: 'Acme Corp', email: 'info@acme.com', areaId: areaId('Technology') });
    globex = await rt.call<Client>('clients.create', { companyName: 'Globex', email: 'sales@globex.com', areaId: areaId('Finance') });
    // Two clients with one name can only come from an import in "create" mode.
    await importFile(csvFile([['Company', 'Email', 'Area'], ['Twin Co', 'a@twin-a.com', 'Retail'], ['Twin Co', 'b@twin-b.com', 'Retail']]), { duplicateMode: 'create' });
  });
  const contacts = async (clientId: string) => rt.call<Contact[]>('contacts.list', { clientId });

  it('finds the client by code, email or name; refuses ambiguous and unknown ones; skips the same person twice', async () => {
    const file = csvFile([
      ['Client', 'Name', 'Email', 'Phone', 'Role', 'Primary'],
      [acme.code.toLowerCase(), 'Ana Ruiz', 'ana@acme.com', '', 'HR', ''],
      ['sales@globex.com', 'Bob Stone', 'bob@globex.com', '+34 600 222 333', '', ''],
      ['ACME corp.', 'Carla Díaz', 'carla@acme.com', '', 'CEO', 'yes'],
      ['Twin Co', 'Xavi', '', '', '', ''],
      ['Nobody Inc', 'Yolanda', '', '', '', ''],
      [acme.code, 'ANA RUIZ', 'Ana@Acme.com', '', '', ''],
      ['', 'Zoe', '', '', '', ''],
      [acme.code, 'Dani', 'not-mail', '', '', 'maybe'],
    ]);
    const { analysis, summary, report } = await importFile(file, { target: 'contacts', fileName: 'people.csv' });
    expect(analysis.mapping).toEqual(['client', 'name', 'email', 'phone', 'role', 'isPrimary']);
    // Line 8 has no client but sits right under a row that has one: its client cell was merged over both.
    expect(summary).toMatchObject({ rows: 8, created: 5, skipped: 1, rejected: 2, valueWarnings: 1 });

    const acmeContacts = await contacts(acme.id);
    // Dani's email and primary flag cannot be read: the contact is added without them.
    expect(acmeContacts.map((c) => [c.name, c.role, c.email, c.isPrimary])).toEqual([
      ['Carla Díaz', 'CEO', 'carla@acme.com', true], ['Ana Ruiz', 'HR', 'ana@acme.com', false], ['Dani', null, null, false], ['Zoe', null, null, false],
    ]);
    expect(await contacts(globex.id)).toEqual([expect.objectContaining({ name: 'Bob Stone', phone: '+34 600 22 23 33', isPrimary: true })]);

    const rows = await reportRows(report);
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['5', 'Rejected', 'Client: several clients have this name; use the code'],
      ['6', 'Rejected', 'Client: no client with this code, email or name'],
      ['7', 'Skipped', 'Same as line 2 of this file'],
      ['9', 'Created', 'Primary contact: use yes or no ("maybe"), the import’s default was used; Email: not a valid email address ("not-mail"), left empty'],
    ]);
    // The client list search finds a client by an imported contact.
    const found = await rt.call<{ rows: ClientRow[] }>('clients.list', { search: 'carla díaz' });
    expect(found.rows.map((r) => [r.id, r.matchedContact?.name])).toEqual([[acme.id, 'Carla Díaz']]);
    const byLetters = await rt.call<{ rows: ClientRow[] }>('clients.list', { search: 'stone' });
    expect(byLetters.rows.map((r) => r.id)).toEqual([globex.id]);
    const log = await history(acme.id);
    expect(log.filter((e) => e.entity === 'contact').map((e) => e.note)).toEqual(expect.arrayContaining(['Imported from people.csv, line 2.', 'Imported from people.csv, line 4.']));
  });

  it('update mode changes the existing person with the non-empty cells; create mode never makes a second copy', async () => {
    await rt.call('contacts.create', { clientId: acme.id, name: 'Ana Ruiz', email: 'ana@acme.com', role: 'HR', notes: 'keep me' });
    await rt.call('contacts.create', { clientId: acme.id, name: 'Pedro Gil' });
    const file = csvFile([
      ['Client', 'Name', 'Email', 'Phone', 'Role', 'Primary'],
      [acme.code, 'Ana Ruiz', 'ANA@acme.com', '+34 600 000 111', 'Head of HR', ''],
      [acme.code, 'pedro gil', '', '', '', 'yes'],
    ]);
    const skipped = await importFile(file, { target: 'contacts', duplicateMode: 'skip' });
    expect(skipped.summary).toMatchObject({ skipped: 2, created: 0 });
    expect((await reportRows(skipped.report)).slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['2', 'Skipped', 'Already a contact of this client'],
      ['3', 'Skipped', 'Already a contact of this client'],
    ]);
    const { summary } = await importFile(file, { target: 'contacts', duplicateMode: 'update' });
    expect(summary).toMatchObject({ updated: 2, created: 0 });
    const list = await contacts(acme.id);
    expect(list.map((c) => [c.name, c.email, c.phone, c.role, c.notes, c.isPrimary])).toEqual([
      ['pedro gil', null, null, null, null, true],
      ['Ana Ruiz', 'ANA@acme.com', '+34 600 00 01 11', 'Head of HR', 'keep me', false],
    ]);

    const again = await importFile(file, { target: 'contacts', duplicateMode: 'create', fileName: 'again.csv' });
    expect(again.summary).toMatchObject({ created: 0, rejected: 2 });
    expect((await reportRows(again.report)).slice(1).map((r) => r[2])).toEqual(['Email: already a contact of this client', 'Name: already a contact of this client']);
    expect(await contacts(acme.id)).toHaveLength(2);
  });

  it('gives the same outcomes and reasons in a dry run and a real run across batches', async () => {
    const rows: string[][] = [['Client', 'Name', 'Email']];
    for (let i = 1; i <= 520; i++) rows.push([acme.code, `Person ${i}`, `p${i}@acme.com`]);
    rows.push([acme.code, 'Person 3 again', 'P3@acme.com']); // line 522, batch 2: same email as line 4
    const fileId = await upload(rt, 'many.csv', csvFile(rows));
    const options = { fileId, target: 'contacts', mapping: ['client', 'name', 'email'] };
    const dry = await pacedImportOk({ ...options, dryRun: true }, 500);
    const real = await pacedImportOk(options, 500);
    expect([dry.batchEnds, real.batchEnds]).toEqual([[500, 521], [500, 521]]);
    expect(dry.summary).toMatchObject({ created: 520, skipped: 1 });
    expect(real.summary).toMatchObject({ created: 520, skipped: 1 });
    for (const result of [dry, real]) expect((await reportRows(result.report)).slice(1).map((r) => r.slice(0, 3))).toEqual([['522', 'Skipped', 'Same as line 4 of this file']]);
    expect((await contacts(acme.id)).filter((c) => c.isPrimary).map((c) => c.name)).toEqual(['Person 1']);
  });

  it('contacts inside a clients file: a second row for the same client adds its contact in update mode', async () => {
    const file = csvFile([
      ['Company', 'Email', 'Area', 'Contact', 'Contact email'],
      ['Acme Corp', 'info@acme.com', '', 'Lola Mar', 'lola@acme.com'],
      ['Acme Corp', 'info@acme.com', '', 'Lola Mar', 'LOLA@acme.com'],
      ['Acme Corp', 'info@acme.com', '', 'Iker Sol', ''],
    ]);
    const { summary } = await importFile(file, { duplicateMode: 'update' });
    expect(summary).toMatchObject({ updated: 3 });
    const list = await contacts(acme.id);
    expect(list.map((c) => [c.name, c.isPrimary])).toEqual([['Lola Mar', true], ['Iker Sol', false]]);
  });
});

describe('batches', () => {
  it('imports 1 200 rows across batches of 500 and still catches in-file duplicates across them', async () => {
    const rows: string[][] = [['Company', 'Email', 'Area']];
    for (let i = 1; i <= 1200; i++) rows.push([`Company ${String(i).padStart(4, '0')} Works`, `contact${i}@company${i}.com`, 'Retail']);
    rows[1100] = ['Totally Other Name', 'contact10@company10.com', 'Retail']; // line 1101: same email as line 11
    rows[700] = ['Company 0100 Works S.L.', 'fresh@fresh700.com', 'Retail']; // line 701: same name as line 101
    const file = csvFile(rows);
    const fileId = await upload(rt, 'batches.csv', file);
    const options = { fileId, target: 'clients', mapping: ['companyName', 'email', 'area'] };
    const dry = await pacedImportOk({ ...options, dryRun: true }, 500);
    expect(dry.batchEnds).toEqual([500, 1000, 1200]);
    expect(dry.summary).toMatchObject({ rows: 1200, created: 1198, skipped: 2 });
    expect(await count('clients')).toBe(0);
    const { summary, report, batchEnds } = await pacedImportOk(options, 500);
    expect(batchEnds).toEqual([500, 1000, 1200]);
    expect(summary).toMatchObject({ rows: 1200, created: 1198, skipped: 2, rejected: 0 });
    expect(await count('clients')).toBe(1198);
    // ("Company 0001 Works" and its neighbours are similar names: those rows are in the report as warnings.)
    expect((await reportRows(report)).slice(1).filter((r) => r[1] !== 'Created').map((r) => r.slice(0, 3))).toEqual([
      ['701', 'Skipped', 'Same as line 101 of this file'],
      ['1101', 'Skipped', 'Same as line 11 of this file'],
    ]);
    const codes = (await rt.db.selectFrom('clients').select('code').orderBy('seq').execute()).map((r) => Number(r.code.slice(-4)));
    expect(codes).toEqual(Array.from({ length: 1198 }, (_, i) => i + 1));
    expect(await count('change_log')).toBe(1198);
  });
});

describe('batches written together', () => {
  it('writes checked batches of 200 rows in transactions of at least 500, each row once, in file order', async () => {
    const rows: string[][] = [['Company', 'Email', 'Area', 'Contact']];
    for (let i = 1; i <= 1100; i++) rows.push([`Firm ${i}`, `x${i}@firm${i}.com`, 'Retail', `Person ${i}`]);
    // Lines 202 and 203 add contacts to line 201's client (the first batch's last row) from the second batch.
    rows.splice(201, 0, ['', '', '', 'Second Of 200'], ['', '', '', 'Third Of 200']);
    const fileId = await upload(rt, 'gathered.csv', csvFile(rows));
    const committed: number[] = [];
    const task = startPacedImport({ fileId, target: 'clients', mapping: ['companyName', 'email', 'area', 'contactName'] }, { ...fixedPacing(200, (n) => committed.push(n)), writeRows: 500 });
    const ended = await rt.ctx.tasks.settled(task.id);
    expect(ended.state).toBe('done');
    // 200 + 200 + 200 checked rows make the first write; the last one takes what is left.
    expect(committed).toEqual([600, 1102]);
    expect(ended.result?.kind === 'import' ? ended.result.summary : null).toMatchObject({ rows: 1102, created: 1100, contacts: 2, rejected: 0 });
    expect(await count('client_contacts')).toBe(1102);
    const codes = (await rt.db.selectFrom('clients').select(['code', 'company_name']).orderBy('seq').execute()).map((r) => [Number(r.code.slice(-4)), r.company_name]);
    expect(codes).toEqual(Array.from({ length: 1100 }, (_, i) => [i + 1, `Firm ${i + 1}`]));
  });
});

describe('cancel', () => {
  it('stops a long import between batches and keeps only whole batches', async () => {
    const rows: string[][] = [['Company', 'Email', 'Area']];
    for (let i = 1; i <= 6000; i++) rows.push([`Firm ${i}`, `x${i}@firm${i}.com`, 'Retail']);
    const fileId = await upload(rt, 'long.csv', csvFile(rows));
    const logBefore = await count('change_log');
    // Batches of exactly 500 rows, and the cancel comes from the first batch's commit: where the run stops
    // depends on the code alone, never on how fast this machine checks or writes a batch.
    const committed: number[] = [];
    let stateAtCancel: string | null = null;
    const task = startPacedImport({ fileId, target: 'clients', mapping: ['companyName', 'email', 'area'] }, fixedPacing(500, (rowsSoFar) => {
      committed.push(rowsSoFar);
      if (committed.length === 1) stateAtCancel = rt.ctx.tasks.cancel(task.id).state;
    }));
    const ended = await rt.ctx.tasks.settled(task.id);
    expect(stateAtCancel).toBe('running');
    expect(ended.state).toBe('cancelled');
    const saved = await count('clients');
    // The batch after the first may already be on its way to the writer thread when the cancel comes; it is
    // written whole, and nothing after it is started.
    expect(committed[0]).toBe(500);
    expect(saved).toBe(committed.at(-1));
    expect([500, 1000]).toContain(saved);
    expect(ended.result?.kind === 'import' ? ended.result.summary.created : null).toBe(saved);
    // Every saved client has its history row: batches commit whole.
    expect(await count('change_log')).toBe(logBefore + saved);
  });

  it('a cancel before the task starts writes nothing', async () => {
    const fileId = await upload(rt, 'short.csv', csvFile([['Company', 'Email', 'Area'], ['A', 'a@a.com', 'Retail']]));
    const { taskId } = await rt.call<{ taskId: string }>('imports.start', { fileId, target: 'clients', mapping: ['companyName', 'email', 'area'] });
    await rt.call('tasks.cancel', { taskId });
    expect((await rt.ctx.tasks.settled(taskId)).state).toBe('cancelled');
    expect(await count('clients')).toBe(0);
  });
});

describe('xlsx import', () => {
  it('reads typed cells (numbers, dates) as text the rules understand, with sheet row numbers', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Hoja1');
    sheet.addRow(['Empresa', 'Email', 'Área', 'Honorarios %', 'Días de garantía', 'Teléfono']);
    sheet.addRow(['Hoteles Sol', 'reservas@hotelessol.es', 'Hospitality', 17.5, 60, 912345678]);
    sheet.addRow([]);
    sheet.addRow(['Roto', 'no-mail', 'Hospitality', 10, 30, null]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const fileId = await upload(rt, 'hoja.xlsx', bytes);
    const analysis = await analyze(rt, fileId);
    expect(analysis.mapping).toEqual(['companyName', 'email', 'area', 'defaultFeePercent', 'defaultGuaranteeDays', 'phone']);
    const checks = (await preview(fileId, { mapping: analysis.mapping as ImportOptions['mapping'] })).rows;
    expect(checks.map((r) => [r.line, r.outcome])).toEqual([[2, 'create'], [4, 'reject']]);
    await runTaskOk(rt, 'imports.start', { fileId, target: 'clients', mapping: analysis.mapping }, 'import');
    expect(await clientByName('Hoteles Sol')).toMatchObject({ defaultFeePercent: 17.5, defaultGuaranteeDays: 60, phone: '+34 912 34 56 78' });
  });
});

describe('task errors', () => {
  it('reports an unknown task as NOT_FOUND', async () => {
    const result = await rt.dispatch('tasks.get', { taskId: 'nope' });
    expect(result.ok ? null : result.error.code).toBe('NOT_FOUND');
    const task = await runTask(rt, 'imports.restore', { fileId: await upload(rt, 'x.zip', 'not a zip') });
    expect(task.state).toBe('failed');
  });
});
