import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client, ClientRow, HistoryEntry } from '../../contract/clients';
import type { Contact } from '../../contract/contacts';
import { previewDryRunAndRun } from '../support/imports';
import { testRuntime } from '../support/runtime';
import { csvFile, upload } from '../support/transfer';

// The import's policy for values it cannot read (optional ones never cost the row unless the run says so),
// the phone country of each row, rows that repeat each other within the file, rows that only add a contact
// (merged cells), and rows that are not data. Every case runs the preview, a dry run and the import and
// checks that the three agree (previewDryRunAndRun).

type Rt = Awaited<ReturnType<typeof testRuntime>>;
let rt: Rt;
let areas: Area[];
const extra: Rt[] = [];

async function setUp(on: Rt) {
  await on.call('users.create', { name: 'Ana García', email: 'ana@agency.es' });
  return on.call<Area[]>('areas.list');
}
beforeEach(async () => {
  rt = await testRuntime();
  areas = await setUp(rt);
});
afterEach(async () => {
  await rt.dispose();
  while (extra.length) await extra.pop()!.dispose();
});

const areaId = (name: string) => areas.find((a) => a.name === name)!.id;
async function allClients(on: Rt = rt): Promise<ClientRow[]> {
  return (await on.call<{ rows: ClientRow[] }>('clients.list', { sort: 'company_name', direction: 'asc', limit: 500 })).rows;
}
async function client(name: string, on: Rt = rt): Promise<Client> {
  const row = (await allClients(on)).find((c) => c.companyName === name);
  if (!row) throw new Error(`No client ${name}`);
  return (await on.call<{ client: Client }>('clients.get', { id: row.id })).client;
}
const contactsOf = async (name: string, on: Rt = rt) => on.call<Contact[]>('contacts.list', { clientId: (await client(name, on)).id });
const historyOf = async (name: string, on: Rt = rt) => (await on.call<{ entries: HistoryEntry[] }>('clients.history', { clientId: (await client(name, on)).id })).entries;

describe('optional values that cannot be read', { timeout: 60_000 }, () => {
  const header = ['Company', 'Email', 'Area', 'Phone', 'Website', 'Status', 'Owner', 'Client since', 'Fee %', 'Contact', 'Contact email', 'Contact phone'];
  const rows = [
    header,
    ['Good Co', 'info@good.es', 'Retail', '912 345 678', 'good.es', 'Active', 'Ana García', '24/8/20', '15', 'Eva Sanz', 'eva@good.es', '600 111 222'],
    ['Phone Co', 'info@phoneco.es', 'Retail', '-1199', '', '', '', '', '', '', '', ''],
    ['Web Co', 'info@webco.es', 'Retail', '', 'http://', '', '', '', '', '', '', ''],
    ['Status Co', 'info@statusco.es', 'Retail', '', '', 'Dormant', '', '', '', '', '', ''],
    ['Owner Co', 'info@ownerco.es', 'Retail', '', '', '', 'Ghost Writer', '', '', '', '', ''],
    ['Date Co', 'info@dateco.es', 'Retail', '', '', '', '', '31/02/20', '', '', '', ''],
    ['Fee Co', 'info@feeco.es', 'Retail', '', '', '', '', '', 'ten', '', '', ''],
    ['Contact Co', 'info@contactco.es', 'Retail', '', '', '', '', '', '', 'Leo Ruiz', 'leo(at)contactco.es', '12'],
    ['Nameless Co', 'info@nameless.es', 'Retail', '', '', '', '', '', '', '', 'who@nameless.es', ''],
    ['Two Mails Co', '"Two Mails" <hola@twomails.es>; ventas@twomails.es', 'Retail', '', '', '', '', '', '', '', '', ''],
    ['Missing Email Co', '', 'Retail', '-1199', '', '', '', '', '', '', '', ''],
    ['Mars Co', 'info@mars.es', 'Mars', '', '', '', '', '', '', '', '', ''],
  ];
  const mapping = ['companyName', 'email', 'area', 'phone', 'website', 'status', 'owner', 'clientSince', 'defaultFeePercent', 'contactName', 'contactEmail', 'contactPhone'];

  it('by default: each is left out with a warning naming its text, and the row is imported; required fields still reject', async () => {
    const fileId = await upload(rt, 'mixed.csv', csvFile(rows));
    const analysis = await rt.call<{ mapping: string[] }>('imports.analyze', { fileId, target: 'clients' });
    expect(analysis.mapping).toEqual(mapping);
    const { preview, summary, report } = await previewDryRunAndRun(rt, fileId, { mapping });
    expect(summary).toMatchObject({ rows: 12, created: 10, rejected: 2, skipped: 0, valueWarnings: 9, empty: 0, reported: 11 });
    expect(preview.map((r) => [r.line, r.outcome, r.warnings.map((w) => [w.path, w.message, w.value, w.action])])).toEqual([
      [2, 'create', []],
      [3, 'create', [['phone', 'invalid_phone', '-1199', 'cleared']]],
      [4, 'create', [['website', 'invalid_url', 'http://', 'cleared']]],
      [5, 'create', [['status', 'unknown_status', 'Dormant', 'default']]],
      [6, 'create', [['owner', 'unknown_user', 'Ghost Writer', 'default']]],
      [7, 'create', [['clientSince', 'invalid_date', '31/02/20', 'today']]],
      [8, 'create', [['defaultFeePercent', 'invalid_number', 'ten', 'cleared']]],
      [9, 'create', [['contactEmail', 'invalid_email', 'leo(at)contactco.es', 'cleared'], ['contactPhone', 'invalid_phone', '12', 'cleared']]],
      [10, 'create', [['contactName', 'required', 'who@nameless.es', 'contact_skipped']]],
      [11, 'create', [['email', 'several_emails', '"Two Mails" <hola@twomails.es>; ventas@twomails.es', 'first_kept']]],
      [12, 'reject', []],
      [13, 'reject', []],
    ]);
    expect(preview[10]!.errors).toEqual([{ path: 'email', message: 'required' }]);
    expect(preview[11]!.errors).toEqual([{ path: 'area', message: 'unknown_area' }]);

    // What was saved: the readable values, the defaults where a value could not be read.
    const current = (await rt.call<{ currentUserId: string | null }>('settings.get', {})).currentUserId;
    expect(await client('Good Co')).toMatchObject({ phone: '+34 912 34 56 78', website: 'https://good.es', status: 'active', ownerName: 'Ana García', defaultFeePercent: 15, createdAt: '2020-08-24T12:00:00.000Z' });
    expect(await contactsOf('Good Co')).toEqual([expect.objectContaining({ name: 'Eva Sanz', email: 'eva@good.es', phone: '+34 600 11 12 22', isPrimary: true })]);
    expect(await client('Phone Co')).toMatchObject({ phone: null });
    expect(await client('Web Co')).toMatchObject({ website: null });
    expect(await client('Status Co')).toMatchObject({ status: 'active' });
    expect(await client('Owner Co')).toMatchObject({ ownerId: current });
    expect((await client('Date Co')).createdAt > '2025-01-01').toBe(true);
    expect(await client('Fee Co')).toMatchObject({ defaultFeePercent: null });
    expect(await contactsOf('Contact Co')).toEqual([expect.objectContaining({ name: 'Leo Ruiz', email: null, phone: null })]);
    expect(await contactsOf('Nameless Co')).toEqual([]);
    expect(await client('Two Mails Co')).toMatchObject({ email: 'hola@twomails.es' });

    // The original text is kept in the client's history (Profile → History) and in the report.
    const [created] = await historyOf('Phone Co');
    expect(created).toMatchObject({ operation: 'create', note: 'Imported from mixed.csv, line 3. Not imported as written: Phone: not a valid phone number ("-1199"), left empty.' });
    expect((await historyOf('Contact Co'))[1]!.note).toBe(
      'Imported from mixed.csv, line 9. Not imported as written: Contact email: not a valid email address ("leo(at)contactco.es"), left empty; Contact phone: not a valid phone number ("12"), left empty.',
    );
    expect(report.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['3', 'Created', 'Phone: not a valid phone number ("-1199"), left empty'],
      ['4', 'Created', 'Website: not a valid web address ("http://"), left empty'],
      ['5', 'Created', 'Status: unknown status ("Dormant"), the import’s default was used'],
      ['6', 'Created', 'Owner: unknown team member ("Ghost Writer"), the import’s default was used'],
      ['7', 'Created', 'Client since: not a date ("31/02/20"), the import date was used'],
      ['8', 'Created', 'Fee %: not a number ("ten"), left empty'],
      ['9', 'Created', 'Contact email: not a valid email address ("leo(at)contactco.es"), left empty; Contact phone: not a valid phone number ("12"), left empty'],
      ['10', 'Created', 'Contact name: required ("who@nameless.es"), the contact was not created'],
      ['11', 'Created', 'Email: several addresses ("\\"Two Mails\\" <hola@twomails.es>; ventas@twomails.es"), only the first one was imported'.replace(/\\"/g, '"')],
      ['12', 'Rejected', 'Email: required'],
      ['13', 'Rejected', 'Area: unknown area'],
    ]);
  });

  it('with "Reject rows with unreadable optional values": each such row is rejected, as before', async () => {
    const fileId = await upload(rt, 'mixed.csv', csvFile(rows));
    const { preview, summary, report } = await previewDryRunAndRun(rt, fileId, { mapping, rejectUnreadable: true });
    expect(summary).toMatchObject({ rows: 12, created: 1, rejected: 11, valueWarnings: 0, reported: 11 });
    expect(preview.map((r) => r.errors)).toEqual([
      [],
      [{ path: 'phone', message: 'invalid_phone' }],
      [{ path: 'website', message: 'invalid_url' }],
      [{ path: 'status', message: 'unknown_status' }],
      [{ path: 'owner', message: 'unknown_user' }],
      [{ path: 'clientSince', message: 'invalid_date' }],
      [{ path: 'defaultFeePercent', message: 'invalid_number' }],
      [{ path: 'contactEmail', message: 'invalid_email' }, { path: 'contactPhone', message: 'invalid_phone' }],
      [{ path: 'contactName', message: 'required' }],
      [{ path: 'email', message: 'several_emails' }],
      [{ path: 'email', message: 'required' }, { path: 'phone', message: 'invalid_phone' }],
      [{ path: 'area', message: 'unknown_area' }],
    ]);
    expect(report[1]!.slice(0, 3)).toEqual(['3', 'Rejected', 'Phone: not a valid phone number']);
    expect((await allClients()).map((c) => c.companyName)).toEqual(['Good Co']);
  });

  it('on an update, a value that cannot be read leaves the client\'s own value', async () => {
    await rt.call('clients.create', { companyName: 'Acme Corp', email: 'info@acme.com', areaId: areaId('Technology'), phone: '+34 910 000 001', website: 'acme.com' });
    const fileId = await upload(rt, 'update.csv', csvFile([['Company', 'Email', 'Phone', 'Website', 'Comments'], ['Acme Corp', 'info@acme.com', '-1199', 'http://', 'Updated']]));
    const { preview, summary } = await previewDryRunAndRun(rt, fileId, { mapping: ['companyName', 'email', 'phone', 'website', 'comments'], duplicateMode: 'update', defaults: { areaId: areaId('Retail') } });
    expect(summary).toMatchObject({ updated: 1, valueWarnings: 1 });
    expect(preview[0]!.warnings.map((w) => [w.path, w.action])).toEqual([['website', 'kept'], ['phone', 'kept']]);
    expect(await client('Acme Corp')).toMatchObject({ phone: '+34 910 00 00 01', website: 'https://acme.com', comments: 'Updated' });
    const [entry] = await historyOf('Acme Corp');
    expect(entry!.note).toBe('Imported from update.csv, line 2. Not imported as written: Website: not a valid web address ("http://"), the existing value was kept; Phone: not a valid phone number ("-1199"), the existing value was kept.');
  });

  it('contacts files: a detail that cannot be read is left out, or the row rejected in strict mode', async () => {
    const acme = await rt.call<Client>('clients.create', { companyName: 'Acme Corp', email: 'info@acme.com', areaId: areaId('Technology') });
    const file = csvFile([
      ['Client', 'Name', 'Email', 'Phone', 'Country', 'Primary'],
      [acme.code, 'Ana Ruiz', 'ana@acme.com', '020 7946 0018', 'UK', 'sí'],
      [acme.code, 'Bob Stone', 'bob(at)acme.com', '-1199', '', 'maybe'],
    ]);
    const strict = await previewDryRunAndRun(rt, await upload(rt, 'people.csv', file), { target: 'contacts', mapping: ['client', 'name', 'email', 'phone', 'country', 'isPrimary'], rejectUnreadable: true });
    expect(strict.summary).toMatchObject({ created: 1, rejected: 1 });
    expect(strict.report[1]!.slice(0, 3)).toEqual(['3', 'Rejected', 'Primary contact: use yes or no; Email: not a valid email address; Phone: not a valid phone number']);
    const lenient = await previewDryRunAndRun(rt, await upload(rt, 'people.csv', file), { target: 'contacts', mapping: ['client', 'name', 'email', 'phone', 'country', 'isPrimary'] });
    expect(lenient.summary).toMatchObject({ created: 1, skipped: 1, valueWarnings: 1 });
    const people = await rt.call<Contact[]>('contacts.list', { clientId: acme.id });
    expect(people.map((c) => [c.name, c.email, c.phone, c.isPrimary])).toEqual([['Ana Ruiz', 'ana@acme.com', '+44 20 7946 0018', true], ['Bob Stone', null, null, false]]);
    const entries = (await rt.call<{ entries: HistoryEntry[] }>('clients.history', { clientId: acme.id })).entries;
    expect(entries.find((e) => e.entityLabel === 'Bob Stone')!.note).toContain('Email: not a valid email address ("bob(at)acme.com"), left empty');
  });
});

describe('the phone country of each row', () => {
  it('comes from a Country column (names in English and Spanish, ISO codes), else the default', async () => {
    const file = csvFile([
      ['Company', 'Email', 'Area', 'Country', 'Phone', 'Contact', 'Contact phone'],
      ['UK Co', 'a@ukco.co.uk', 'Retail', 'United Kingdom', '020 7946 0018', 'Jo', '07911 123456'],
      ['US Co', 'a@usco.com', 'Retail', 'EE. UU.', '(808) 617-6467 x12', '', ''],
      ['DE Co', 'a@deco.de', 'Retail', 'Deutschland', '030 1234567', '', ''],
      ['ES Co', 'a@esco.es', 'Retail', 'ES', '912 345 678', '', ''],
      ['Default Co', 'a@defaultco.es', 'Retail', '', '912 345 678', '', ''],
      ['Access Co', 'a@accessco.com', 'Retail', 'USA', '011 34 912 345 678', '', ''],
      ['Narnia Co', 'a@narniaco.com', 'Retail', 'Narnia', '912 345 678', '', ''],
      ['Quiet Narnia Co', 'a@quietnarnia.com', 'Retail', 'Narnia', '', '', ''],
      ['Wrong Country Co', 'a@wrongcountry.com', 'Retail', 'Chile', '229.077.5154', '', ''],
    ]);
    const fileId = await upload(rt, 'countries.csv', file);
    const mapping = ['companyName', 'email', 'area', 'country', 'phone', 'contactName', 'contactPhone'];
    expect((await rt.call<{ mapping: string[] }>('imports.analyze', { fileId, target: 'clients' })).mapping).toEqual(mapping);
    const { preview, summary } = await previewDryRunAndRun(rt, fileId, { mapping });
    expect(summary).toMatchObject({ created: 9, rejected: 0, valueWarnings: 2 });
    expect(preview[6]!.warnings).toEqual([{ path: 'country', message: 'unknown_country', value: 'Narnia', action: 'default_country' }]);
    expect(preview[8]!.warnings).toEqual([{ path: 'phone', message: 'invalid_phone', value: '229.077.5154', action: 'cleared' }]);
    const phones = Object.fromEntries(await Promise.all((await allClients()).map(async (c) => [c.companyName, (await client(c.companyName)).phone])));
    expect(phones).toEqual({
      'UK Co': '+44 20 7946 0018', 'US Co': '+1 808 617 6467 ext. 12', 'DE Co': '+49 30 1234567', 'ES Co': '+34 912 34 56 78', 'Default Co': '+34 912 34 56 78',
      'Access Co': '+34 912 34 56 78', 'Narnia Co': '+34 912 34 56 78', 'Quiet Narnia Co': null, 'Wrong Country Co': null,
    });
    expect(await contactsOf('UK Co')).toEqual([expect.objectContaining({ name: 'Jo', phone: '+44 7911 123456' })]);
  });
});

describe('rows of the same file that repeat each other', () => {
  const file = csvFile([
    ['Company', 'Email', 'Area', 'Website', 'Phone'],
    ['Northwind Traders', 'info@northwind.es', 'Retail', 'northwind.es', '-1199'],
    ['NORTHWIND TRADERS, S.L.', 'otra@nw-two.es', 'Retail', '', ''],
    ['Fabrikam', ' INFO@Northwind.es ', 'Retail', '', ''],
    ['Northwind Tradrs', 'hola@nwt-three.es', 'Retail', '', ''],
    ['Contoso', 'rrhh@northwind.es', 'Retail', '', ''],
    ['Litware', 'a@litware.es', 'Retail', 'https://www.northwind.es/about', ''],
    ['Adatum', 'a@adatum.es', 'Retail', '', ''],
  ]);
  const mapping = ['companyName', 'email', 'area', 'website', 'phone'];

  it('same normalised name or email blocks (skipped, naming the line), similar name or domain warns; the same in preview, dry run and run', async () => {
    const { preview, summary, report } = await previewDryRunAndRun(rt, await upload(rt, 'twins.csv', file), { mapping });
    // Line 2's unreadable phone no longer costs it the row, so its twins are caught against it.
    expect(preview.map((r) => [r.line, r.outcome, r.sameAsLine, r.similarLines])).toEqual([
      [2, 'create', null, []],
      [3, 'skip', 2, []],
      [4, 'skip', 2, []],
      [5, 'create', null, [{ line: 2, reasons: ['similar_name'] }]],
      [6, 'create', null, [{ line: 2, reasons: ['email_domain'] }]],
      [7, 'create', null, [{ line: 2, reasons: ['domain'] }, { line: 6, reasons: ['domain'] }]],
      [8, 'create', null, []],
    ]);
    expect(summary).toMatchObject({ created: 5, skipped: 2, warned: 3, valueWarnings: 1 });
    expect(report.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['2', 'Created', 'Phone: not a valid phone number ("-1199"), left empty'],
      ['3', 'Skipped', 'Same as line 2 of this file'],
      ['4', 'Skipped', 'Same as line 2 of this file'],
      ['5', 'Created', 'Looks like line(s) 2 of this file (similar name)'],
      ['6', 'Created', 'Looks like line(s) 2 of this file (same email domain)'],
      ['7', 'Created', 'Looks like line(s) 2, 6 of this file (same website)'],
    ]);
  });

  it('update mode merges them into the first; create mode creates them, noting what they repeat', async () => {
    const updated = await previewDryRunAndRun(rt, await upload(rt, 'twins.csv', file), { mapping, duplicateMode: 'update' });
    // Line 3 updates line 2's client with its own name and email; line 4 then has an email no client has any more.
    expect(updated.preview.map((r) => [r.outcome, r.sameAsLine])).toEqual([['create', null], ['update', 2], ['create', null], ['create', null], ['create', null], ['create', null], ['create', null]]);
    expect((await allClients()).map((c) => [c.companyName, c.email])).toEqual([
      ['Adatum', 'a@adatum.es'], ['Contoso', 'rrhh@northwind.es'], ['Fabrikam', 'INFO@Northwind.es'], ['Litware', 'a@litware.es'],
      ['NORTHWIND TRADERS, S.L.', 'otra@nw-two.es'], ['Northwind Tradrs', 'hola@nwt-three.es'],
    ]);
    const created = await previewDryRunAndRun(rt, await upload(rt, 'twins again.csv', file), { mapping, duplicateMode: 'create' });
    expect(created.summary).toMatchObject({ created: 7, skipped: 0 });
    expect(created.preview.map((r) => r.sameAsLine)).toEqual([null, 2, 2, null, null, null, null]);
    const copies = (await allClients()).filter((c) => c.companyName === 'NORTHWIND TRADERS, S.L.');
    const notes = await Promise.all(copies.map(async (c) => (await rt.call<{ entries: HistoryEntry[] }>('clients.history', { clientId: c.id })).entries[0]!.note));
    expect(notes).toContainEqual(expect.stringMatching(/^Imported from twins again\.csv, line 3\. Created anyway although it duplicates CL-\w{4}-0001, line 2\./));
  });
});

describe('rows that only add a contact (a company cell merged over several rows)', { timeout: 60_000 }, () => {
  it('CSV: the contact joins the client of the rows above; an empty row ends the group; a rejected or skipped client takes its rows along', async () => {
    await rt.call('clients.create', { companyName: 'Delta Logística', email: 'info@delta.es', areaId: areaId('Logistics') });
    const text = [
      'Empresa;Email;Área;Contacto;Cargo;Teléfono del contacto',
      'Construcciones Añil S.L.;info@anil.es;Retail;María Núñez;RRHH;600 111 222',
      ';;;Pedro Gil;Jefe de obra;600 333 444',
      ';;;maria núñez;;',
      '',
      ';;;Suelto Sin Empresa;;',
      'Beta Hoteles;hola@beta.es;Hospitality;Luz Mar;CEO;',
      ';;Finance;Sol Rey;CFO;',
      ';;;;Solo cargo;',
      'Gamma;gamma@gamma.es;Mars;Hugo;;',
      ';;;Iñaki;;',
      'Delta Logística;otra@delta.es;Logistics;Iris;;',
      ';;;Jon;;',
    ].join('\r\n');
    const fileId = await upload(rt, 'agenda.csv', Buffer.from(text, 'utf8'));
    const mapping = ['companyName', 'email', 'area', 'contactName', 'contactRole', 'contactPhone'];
    expect((await rt.call<{ mapping: string[] }>('imports.analyze', { fileId, target: 'clients' })).mapping).toEqual(mapping);
    const { preview, summary, report } = await previewDryRunAndRun(rt, fileId, { mapping });
    expect(preview.map((r) => [r.line, r.outcome, r.continuesLine, r.skipReason])).toEqual([
      [2, 'create', null, null],
      [3, 'contact', 2, null],
      [4, 'skip', 2, 'existing_contact'],
      [6, 'reject', null, null],
      [7, 'create', null, null],
      [8, 'contact', 7, null],
      [9, 'reject', 7, null],
      [10, 'reject', null, null],
      [11, 'reject', 10, null],
      [12, 'skip', null, null],
      [13, 'skip', 12, null],
    ]);
    expect(summary).toMatchObject({ rows: 11, created: 2, contacts: 2, skipped: 3, rejected: 4, empty: 1, valueWarnings: 1 });
    expect(preview[5]!.warnings).toEqual([{ path: 'area', message: 'contact_row', value: 'Finance', action: 'ignored' }]);
    expect(preview[6]!.errors).toEqual([{ path: 'contactName', message: 'required' }]);
    expect(preview[8]!.errors).toEqual([{ path: 'companyName', message: 'continues_rejected', params: { line: 10 } }]);
    expect((await contactsOf('Construcciones Añil S.L.')).map((c) => [c.name, c.role, c.phone, c.isPrimary])).toEqual([
      ['María Núñez', 'RRHH', '+34 600 11 12 22', true],
      ['Pedro Gil', 'Jefe de obra', '+34 600 33 34 44', false],
    ]);
    expect((await contactsOf('Beta Hoteles')).map((c) => c.name)).toEqual(['Luz Mar', 'Sol Rey']);
    expect(await client('Beta Hoteles')).toMatchObject({ areaName: 'Hospitality' });
    const history = await historyOf('Construcciones Añil S.L.');
    expect(history.find((e) => e.entity === 'client')!.note).toBe('Imported from agenda.csv, line 2. Contact Pedro Gil from line 3.');
    expect(history.find((e) => e.entityLabel === 'Pedro Gil')!.note).toBe('Imported from agenda.csv, line 3.');
    expect(report.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['4', 'Skipped', 'Already a contact of this client'],
      ['6', 'Rejected', 'Company Name: required; Email: required; Area: required'],
      ['8', 'Contact added', 'Area: on a row that only adds a contact ("Finance"), not imported'],
      ['9', 'Rejected', 'Contact name: required'],
      ['10', 'Rejected', 'Area: unknown area'],
      ['11', 'Rejected', 'Company Name: continues line 10, which was not imported'],
      ['12', 'Skipped', expect.stringMatching(/^Already exists: CL-\w{4}-0001 Delta Logística \(same name, same email domain\)$/)],
      ['13', 'Skipped', 'Adds a contact to line 12, which was skipped'],
    ]);
  });

  it('Excel: company cells merged over the rows of their contacts read the same way', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Clientes');
    sheet.addRow(['Empresa', 'Email', 'Área', 'Contacto']);
    sheet.addRow(['Añil', 'info@anil.es', 'Retail', 'María']);
    sheet.addRow([null, null, null, 'Pedro']);
    sheet.addRow([null, null, null, 'Lucía']);
    sheet.mergeCells('A2:A4');
    sheet.mergeCells('B2:B4');
    sheet.mergeCells('C2:C4');
    sheet.addRow(['Beta', 'hola@beta.es', 'Retail', 'Luz']);
    const fileId = await upload(rt, 'agenda.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    const { preview, summary } = await previewDryRunAndRun(rt, fileId, { mapping: ['companyName', 'email', 'area', 'contactName'] });
    expect(preview.map((r) => [r.line, r.outcome, r.continuesLine, r.warnings])).toEqual([[2, 'create', null, []], [3, 'contact', 2, []], [4, 'contact', 2, []], [5, 'create', null, []]]);
    expect(summary).toMatchObject({ created: 2, contacts: 2 });
    expect((await contactsOf('Añil')).map((c) => c.name)).toEqual(['María', 'Lucía', 'Pedro']);
  });

  it('a group split across batches adds its contacts all the same, in the dry run and the real run', async () => {
    const rows: string[][] = [['Company', 'Email', 'Area', 'Contact']];
    for (let i = 1; i <= 520; i++) rows.push([`Firm ${i}`, `x${i}@firm${i}.com`, 'Retail', `Person ${i}`]);
    // Line 501 is the last row of the first batch of 500; lines 502 and 503 add its contacts from the next one.
    rows.splice(501, 0, ['', '', '', 'Second Of 500'], ['', '', '', 'Third Of 500']);
    const { summary } = await previewDryRunAndRun(rt, await upload(rt, 'split.csv', csvFile(rows)), { mapping: ['companyName', 'email', 'area', 'contactName'] });
    expect(summary).toMatchObject({ rows: 522, created: 520, contacts: 2, rejected: 0 });
    expect((await contactsOf('Firm 500')).map((c) => [c.name, c.isPrimary])).toEqual([['Person 500', true], ['Second Of 500', false], ['Third Of 500', false]]);
    const log = await historyOf('Firm 500');
    // Each contact's history says the line it came from, whichever batch wrote it.
    expect(log.filter((e) => e.entity === 'contact').map((e) => [e.entityLabel, e.note]).sort()).toEqual([
      ['Person 500', 'Imported from split.csv, line 501.'], ['Second Of 500', 'Imported from split.csv, line 502.'], ['Third Of 500', 'Imported from split.csv, line 503.'],
    ]);
  });

  it('contacts files: a row with no client under one that has it belongs to the same client', async () => {
    const acme = await rt.call<Client>('clients.create', { companyName: 'Acme Corp', email: 'info@acme.com', areaId: areaId('Technology') });
    const file = csvFile([['Client', 'Name', 'Email'], ['Acme Corp', 'Ana', 'ana@acme.com'], ['', 'Bea', 'bea@acme.com'], ['', '', ''], ['', 'Cris', '']]);
    const { preview, summary } = await previewDryRunAndRun(rt, await upload(rt, 'people.csv', file), { target: 'contacts', mapping: ['client', 'name', 'email'] });
    expect(preview.map((r) => [r.line, r.outcome, r.continuesLine])).toEqual([[2, 'create', null], [3, 'create', 2], [5, 'reject', null]]);
    expect(summary).toMatchObject({ created: 2, rejected: 1, empty: 1 });
    expect((await rt.call<Contact[]>('contacts.list', { clientId: acme.id })).map((c) => c.name)).toEqual(['Ana', 'Bea']);
  });
});

describe('rows that are not data', () => {
  it('empty rows are counted, a repeated header and a totals row are skipped with their reason; every line is accounted for', async () => {
    const text = ['Company,Email,Area', 'Alpha,a@alpha.es,Retail', '', 'Company,Email,Area', 'Beta,b@beta.es,Retail', ',,', 'Total,,2', '', ''].join('\r\n');
    const fileId = await upload(rt, 'pasted.csv', text);
    const analysis = await rt.call<{ rowCount: number; emptyRows: number; emptyLines: number[] }>('imports.analyze', { fileId, target: 'clients' });
    expect(analysis).toMatchObject({ rowCount: 4, emptyRows: 2, emptyLines: [3, 6] });
    const { preview, summary, report } = await previewDryRunAndRun(rt, fileId, { mapping: ['companyName', 'email', 'area'] });
    expect(preview.map((r) => [r.line, r.outcome, r.skipReason])).toEqual([[2, 'create', null], [4, 'skip', 'repeated_header'], [5, 'create', null], [7, 'skip', 'totals_row']]);
    expect(summary).toMatchObject({ rows: 4, created: 2, skipped: 2, empty: 2, reported: 2 });
    // Seven lines after the header: six up to the totals row, whose trailing blank lines are the file's end.
    expect(summary.rows + summary.empty).toBe(6);
    expect(report.slice(1).map((r) => r.slice(0, 3))).toEqual([['4', 'Skipped', 'Repeats the header row'], ['7', 'Skipped', 'A totals row, not a client']]);
  });
});
