import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client, ClientRow } from '../../contract/clients';
import type { Contact } from '../../contract/contacts';
import type { ImportSummary } from '../../contract/transfer';
import { translator, type MessageKey } from '../../renderer/i18n';
import { previewDryRunAndRun } from '../support/imports';
import { testRuntime } from '../support/runtime';
import { upload } from '../support/transfer';

// Files shaped like those agencies bring from the tools they leave (tests/fixtures/imports/README.md), each
// imported as a recruiter would: the guessed mapping, the statuses and areas the wizard recognises in both
// languages, the answers a recruiter gives for unknown values, and the default settings. For each, the preview,
// the dry run and the import agree (previewDryRunAndRun), and the counts are those of the file: every line
// after the header is a row (created, updated, contact added, skipped or rejected) or an empty row.

type Rt = Awaited<ReturnType<typeof testRuntime>>;
const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'imports');
let rt: Rt;
let areas: Area[];

beforeEach(async () => {
  // A fixed day: two-digit years and "not in the future" are read against it.
  rt = await testRuntime({ now: () => new Date('2024-06-03T09:00:00.000Z') });
  await rt.call('users.create', { name: 'Ana García', email: 'ana@agency.es' });
  await rt.call('users.create', { name: 'Luis Pérez' });
  areas = await rt.call<Area[]>('areas.list');
});
afterEach(() => rt.dispose());

const areaId = (key: string) => areas.find((a) => a.key === key)!.id;
/** What the wizard sends: statuses and built-in areas in English and Spanish. */
function aliases() {
  const dictionaries = [translator('en'), translator('es')];
  return {
    statuses: Object.fromEntries(['active', 'paused', 'inactive'].map((s) => [s, dictionaries.map((t) => t(`status.${s}` as MessageKey))])),
    areas: Object.fromEntries(areas.filter((a) => a.key).map((a) => [a.id, dictionaries.map((t) => t(`area.${a.key}` as MessageKey))])),
  };
}

/** Stages a corpus file, checks the guessed mapping, and imports it with it. */
async function importCorpus(file: string, options: Record<string, unknown>, target: 'clients' | 'contacts' = 'clients') {
  const fileId = await upload(rt, file, fs.readFileSync(path.join(fixtures, file)));
  const analysis = await rt.call<{ headers: string[]; mapping: (string | null)[]; rowCount: number; emptyRows: number; encoding: string | null; delimiter: string | null }>('imports.analyze', { fileId, target });
  const run = await previewDryRunAndRun(rt, fileId, { target, mapping: analysis.mapping, aliases: aliases(), ...options });
  return { fileId, analysis, mapped: Object.fromEntries(analysis.headers.map((h, i) => [h, analysis.mapping[i]])), ...run };
}

type Expected = Pick<ImportSummary, 'rows' | 'created' | 'updated' | 'contacts' | 'skipped' | 'rejected' | 'warned' | 'valueWarnings' | 'empty'>;
const countsOf = (s: ImportSummary): Expected => ({
  rows: s.rows, created: s.created, updated: s.updated, contacts: s.contacts, skipped: s.skipped, rejected: s.rejected, warned: s.warned, valueWarnings: s.valueWarnings, empty: s.empty,
});
/** Lines after the header up to the last row: each is a row or an empty row. */
const linesAfterHeader = (summary: ImportSummary, headerLine: number, lastLine: number) => {
  expect(summary.rows + summary.empty).toBe(lastLine - headerLine);
};

async function clientNamed(name: string): Promise<Client> {
  const page = await rt.call<{ rows: ClientRow[] }>('clients.list', { search: name, limit: 10 });
  const row = page.rows.find((r) => r.companyName === name);
  if (!row) throw new Error(`No client ${name}`);
  return (await rt.call<{ client: Client }>('clients.get', { id: row.id })).client;
}
const contactsOf = async (name: string) => rt.call<Contact[]>('contacts.list', { clientId: (await clientNamed(name)).id });

// Each case imports its file three times (preview, dry run, run; the first one six): slower machines need more than the default 20 s.
describe('import corpus', { timeout: 90_000 }, () => {
  it('a CRM\'s customers export (100 rows, comma, a Country column, US phones in every style, d/m/yy dates, one company twice)', async () => {
    const { mapped, preview, summary, report } = await importCorpus('crm-customers.csv', { defaults: { areaId: areaId('other') } });
    expect(mapped).toMatchObject({ Company: 'companyName', Country: 'country', 'Phone 1': 'phone', 'Phone 2': null, Email: 'email', 'Subscription Date': 'clientSince', Website: 'website', 'First Name': null });
    expect(countsOf(summary)).toEqual({ rows: 100, created: 99, updated: 0, contacts: 0, skipped: 1, rejected: 0, warned: 0, valueWarnings: 14, empty: 0 });
    linesAfterHeader(summary, 1, 101);
    // Done when: every row with a company name and an email is going to be created, warnings shown; the one
    // company that is there twice is caught against its first line.
    const company = (cells: string[]) => cells[4]!;
    expect(preview.filter((r) => company(r.cells) && r.cells[9] && r.outcome !== 'create').map((r) => [r.line, r.outcome, r.sameAsLine])).toEqual([[101, 'skip', 38]]);
    expect(report.find((r) => r[0] === '101')!.slice(1, 3)).toEqual(['Skipped', 'Same as line 38 of this file']);
    // Phones read in the row's country, extensions once, international access codes understood.
    expect(await clientNamed('Lanternfish Foods')).toMatchObject({ phone: '+1 415 555 0194 ext. 5890', website: 'https://lanternfishfoods.io', createdAt: '2022-09-27T12:00:00.000Z' });
    expect(await clientNamed('Copperleaf Outfitters S.L.')).toMatchObject({ phone: '+1 312 555 0176 ext. 19689' });
    expect(await clientNamed('Kestrel Logistics Group')).toMatchObject({ phone: '+34 917 79 21 11', createdAt: '2020-03-22T12:00:00.000Z' });
    expect(await clientNamed('Foxglove Builders Co.')).toMatchObject({ phone: '+49 30 99087817', website: 'http://www.foxglovebuilders.co' });
    // Broken ones are left out, each named in the report with its text.
    expect(report.find((r) => r[0] === '11')!.slice(1, 3)).toEqual(['Created', 'Phone: not a valid phone number ("-1199"), left empty']);
    expect(report.find((r) => r[0] === '9')![2]).toBe('Country: unknown country ("Atlantis"), the default phone country was used; Phone: not a valid phone number ("646-555-0126"), left empty');

    // The strict switch turns each of those 14 rows back into a rejection.
    const strictRt = rt;
    rt = await testRuntime({ now: () => new Date('2024-06-03T09:00:00.000Z') });
    try {
      areas = await rt.call<Area[]>('areas.list');
      const strict = await importCorpus('crm-customers.csv', { defaults: { areaId: areaId('other') }, rejectUnreadable: true });
      expect(countsOf(strict.summary)).toEqual({ rows: 100, created: 85, updated: 0, contacts: 0, skipped: 1, rejected: 14, warned: 0, valueWarnings: 0, empty: 0 });
    } finally {
      await rt.dispose();
      rt = strictRt;
    }
  });

  it('an ATS\'s clients export (BOM, every field quoted, a quoted newline, US dates, display-name emails, an industry the recruiter maps)', async () => {
    await rt.call('settings.set', { defaultCountry: 'US' });
    const { mapped, summary, report } = await importCorpus('ats-clients.csv', { valueMap: { area: { 'Information Technology': areaId('technology') }, status: {}, owner: {} } });
    expect(mapped).toEqual({
      'Client ID': null, 'Client Name': 'companyName', Status: 'status', Industry: 'area', 'Primary Contact': 'contactName', 'Contact Title': 'contactRole',
      'Contact Email': 'contactEmail', 'Contact Phone': 'contactPhone', 'Billing Email': 'email', Website: 'website', 'Account Manager': 'owner',
      'Fee (%)': 'defaultFeePercent', 'Payment Terms (days)': 'defaultPaymentTermsDays', 'Guarantee Period': 'defaultGuaranteeDays', 'Client Since': 'clientSince',
      Notes: 'comments', 'Created By': null,
    });
    expect(countsOf(summary)).toEqual({ rows: 12, created: 9, updated: 0, contacts: 0, skipped: 1, rejected: 2, warned: 0, valueWarnings: 6, empty: 0 });
    linesAfterHeader(summary, 1, 13);
    expect(await clientNamed('Acme Robotics, Inc.')).toMatchObject({
      email: 'billing@acmerobotics.com', ownerName: 'Ana García', defaultFeePercent: 20, createdAt: '2021-03-15T12:00:00.000Z', comments: 'Signed MSA in March.\nPrefers Teams calls.',
    });
    expect(await contactsOf('Acme Robotics, Inc.')).toEqual([expect.objectContaining({ name: 'Dana Whitfield', role: 'VP People', phone: '+1 646 555 0101 ext. 22', isPrimary: true })]);
    // "13/01/2023" can only be day-first, whatever the column's order; "12/01/2018" follows the column (month first).
    expect(await clientNamed('Harborview Logistics')).toMatchObject({ createdAt: '2023-01-13T12:00:00.000Z' });
    expect(await clientNamed('Foxtail Hotels Group')).toMatchObject({ createdAt: '2018-12-01T12:00:00.000Z', status: 'inactive', website: null });
    expect(await clientNamed('Evergreen Data Systems')).toMatchObject({ areaName: 'Technology', email: 'ap@evergreendata.io', defaultFeePercent: null });
    expect(await clientNamed('Delmar Outfitters')).toMatchObject({ status: 'paused', defaultFeePercent: null });
    expect(report.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['3', 'Created', 'Status: unknown status ("Prospect"), the import’s default was used; Payment terms (days): not a number ("Net 30"), left empty'],
      ['4', 'Created', 'Guarantee days: not a number ("3 months"), left empty'],
      ['5', 'Created', 'Owner: unknown team member ("Former Recruiter"), the import’s default was used; Contact phone: not a valid phone number ("call front desk"), left empty'],
      ['6', 'Created', 'Email: several addresses ("ap@evergreendata.io; finance@evergreendata.io"), only the first one was imported; Fee %: not a number ("twenty"), left empty'],
      ['7', 'Created', 'Website: not a valid web address ("http://"), left empty'],
      ['8', 'Rejected', 'Area: unknown area'],
      ['10', 'Skipped', 'Same as line 2 of this file'],
      ['11', 'Rejected', 'Email: required'],
      ['12', 'Created', 'Status: unknown status ("Archived"), the import’s default was used'],
    ]);
  });

  it('a spreadsheet kept by hand in Spanish (a title line, company cells merged over their contacts, blank lines between groups, a totals line)', async () => {
    const { analysis, mapped, preview, summary } = await importCorpus('agenda-clientes-a-mano.csv', {});
    expect(analysis).toMatchObject({ encoding: 'utf-8-bom', delimiter: ',', rowCount: 13, emptyRows: 7 });
    expect(mapped).toEqual({
      Empresa: 'companyName', Sector: 'area', Email: 'email', Teléfono: 'phone', País: 'country', Contacto: 'contactName', Cargo: 'contactRole', Móvil: 'contactPhone',
      'Fecha alta': 'clientSince', Observaciones: 'comments',
    });
    expect(countsOf(summary)).toEqual({ rows: 13, created: 4, updated: 0, contacts: 4, skipped: 2, rejected: 3, warned: 0, valueWarnings: 1, empty: 7 });
    // The header is line 3 (under a title and a blank line); the last row is the totals line 23.
    linesAfterHeader(summary, 3, 23);
    expect(preview.map((r) => [r.line, r.outcome])).toEqual([
      [4, 'create'], [5, 'contact'], [6, 'contact'], [8, 'create'], [9, 'contact'], [11, 'create'], [12, 'contact'],
      [14, 'reject'], [15, 'reject'], [17, 'reject'], [19, 'create'], [21, 'skip'], [23, 'skip'],
    ]);
    expect((await contactsOf('Construcciones Añil S.L.')).map((c) => [c.name, c.role, c.phone, c.isPrimary])).toEqual([
      ['María Núñez', 'Directora de RRHH', '+34 600 12 34 56', true],
      ['Lucía Ferrer', 'Administración', null, false],
      ['Pedro Gil', 'Jefe de obra', '+34 600 98 76 54', false],
    ]);
    expect(await clientNamed('Transportes Ribeira')).toMatchObject({ phone: '+351 21 123 4567', areaName: 'Logistics', createdAt: '2020-11-05T12:00:00.000Z' });
    expect((await contactsOf('Transportes Ribeira')).map((c) => [c.name, c.phone])).toEqual([['João Costa', '+351 912 345 678'], ['Inês Lopes', null]]);
    expect(await clientNamed('Hotel Mirador del Puerto')).toMatchObject({ phone: null, email: 'reservas@hotelmirador.es', areaName: 'Hospitality' });
    expect(await clientNamed('Cafetería La Esquina')).toMatchObject({ phone: null, comments: 'Cliente pequeño' });
  });

  it('an Excel workbook with typed columns (phones stored as numbers, a percent format, dates as cells, text and serial numbers, hyperlinks, formulas)', async () => {
    const { analysis, summary, report } = await importCorpus('excel-typed.xlsx', {});
    expect(analysis).toMatchObject({ encoding: null, delimiter: null, rowCount: 7, emptyRows: 1 });
    expect(countsOf(summary)).toEqual({ rows: 7, created: 5, updated: 0, contacts: 0, skipped: 1, rejected: 1, warned: 0, valueWarnings: 2, empty: 1 });
    linesAfterHeader(summary, 1, 9);
    expect(await clientNamed('Northbridge Analytics')).toMatchObject({
      email: 'talent@northbridge-analytics.com', phone: '+34 912 34 56 78', website: 'https://northbridge-analytics.com', defaultFeePercent: 20,
      defaultGuaranteeDays: 90, createdAt: '2020-08-24T12:00:00.000Z', status: 'active', ownerName: 'Ana García',
    });
    expect(await clientNamed('Solaria Energía S.L.')).toMatchObject({ phone: '+34 912 34 56 78', defaultFeePercent: 18.5, createdAt: '2020-08-24T12:00:00.000Z', status: 'paused', ownerName: 'Luis Pérez' });
    expect(await clientNamed('Harbour Freight Partners Ltd')).toMatchObject({ phone: '+44 20 7946 0011', createdAt: '2020-08-24T12:00:00.000Z' });
    expect(await clientNamed('Mesa Verde Foods')).toMatchObject({ phone: '+1 512 555 0123', createdAt: '2021-03-02T12:00:00.000Z', status: 'inactive' });
    expect(await contactsOf('Mesa Verde Foods')).toEqual([expect.objectContaining({ name: 'Rob Hale', email: null })]);
    expect(report.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['6', 'Created', 'Contact email: not a valid email address ("rob.hale@mesaverdefoods"), left empty'],
      ['7', 'Rejected', 'Email: required'],
      ['8', 'Created', 'Client since: a date in the future ("2030-01-01"), the import date was used; Phone: not a valid phone number ("-1199"), left empty'],
      ['9', 'Skipped', 'A totals row, not a client'],
    ]);
  });

  it('a semicolon file from a Spanish Excel (Windows-1252, decimal commas, a phone Excel turned into 3,49E+10)', async () => {
    const { analysis, mapped, summary, report } = await importCorpus('excel-es-punto-y-coma.csv', {});
    expect(analysis).toMatchObject({ encoding: 'windows-1252', delimiter: ';', rowCount: 10, emptyRows: 0 });
    expect(mapped).toMatchObject({ 'Razón social': 'companyName', CIF: null, 'Correo electrónico': 'email', País: 'country', Sector: 'area', Estado: 'status', 'Fecha alta': 'clientSince', 'Comisión (%)': 'defaultFeePercent' });
    expect(countsOf(summary)).toEqual({ rows: 10, created: 7, updated: 0, contacts: 0, skipped: 1, rejected: 2, warned: 0, valueWarnings: 3, empty: 0 });
    linesAfterHeader(summary, 1, 11);
    expect(await clientNamed('Talleres Ruiz, S.L.')).toMatchObject({ phone: '+34 912 34 56 78', defaultFeePercent: 18.5, areaName: 'Manufacturing', createdAt: '2020-08-24T12:00:00.000Z' });
    expect(await clientNamed('Energías del Cierzo S.L.')).toMatchObject({ phone: null, status: 'paused', defaultFeePercent: 15 });
    expect(await clientNamed('Tecnologías Alba S.L.')).toMatchObject({ phone: '+34 934 56 78 90', status: 'active', areaName: 'Technology' });
    expect(await clientNamed('Hostal Las Dunas')).toMatchObject({ status: 'inactive', areaName: 'Hospitality' });
    expect(await clientNamed('Ferrocarriles do Minho Lda')).toMatchObject({ phone: '+351 253 123 456' });
    expect(report.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['4', 'Created', 'Phone: not a valid phone number ("3,49E+10"), left empty'],
      ['5', 'Created', 'Status: unknown status ("Potencial"), the import’s default was used'],
      ['6', 'Rejected', 'Area: unknown area; Email: not a valid email address'],
      ['9', 'Skipped', 'Same as line 2 of this file'],
      ['10', 'Created', 'Client since: not a date ("31/04/2022"), the import date was used'],
      ['11', 'Rejected', 'Area: unknown area'],
    ]);
  });

  it('contacts by company, semicolons, the company cell merged over its people, a repeated header', async () => {
    for (const [companyName, email, key] of [['Construcciones Añil S.L.', 'info@construccionesanil.es', 'manufacturing'], ['Transportes Ribeira', 'geral@transportesribeira.pt', 'logistics'], ['Hotel Mirador del Puerto', 'reservas@hotelmirador.es', 'hospitality']] as const) {
      await rt.call('clients.create', { companyName, email, areaId: areaId(key) });
    }
    const { mapped, preview, summary } = await importCorpus('contactos-por-empresa.csv', {}, 'contacts');
    expect(mapped).toEqual({ Empresa: 'client', Nombre: 'name', Cargo: 'role', Email: 'email', Teléfono: 'phone', País: 'country', Principal: 'isPrimary' });
    expect(countsOf(summary)).toEqual({ rows: 10, created: 6, updated: 0, contacts: 0, skipped: 2, rejected: 2, warned: 0, valueWarnings: 2, empty: 1 });
    linesAfterHeader(summary, 1, 12);
    expect(preview.map((r) => [r.line, r.outcome, r.continuesLine, r.sameAsLine, r.skipReason])).toEqual([
      [2, 'create', null, null, null], [3, 'create', 2, null, null], [4, 'create', 2, null, null], [6, 'create', null, null, null], [7, 'create', 6, null, null],
      [8, 'reject', null, null, null], [9, 'skip', null, 6, null], [10, 'reject', null, null, null], [11, 'skip', null, null, 'repeated_header'], [12, 'create', null, null, null],
    ]);
    expect((await contactsOf('Construcciones Añil S.L.')).map((c) => [c.name, c.email, c.isPrimary])).toEqual([
      ['María Núñez', 'maria.nunez@construccionesanil.es', true], ['Lucía Ferrer', null, false], ['Pedro Gil', 'pedro.gil@construccionesanil.es', false],
    ]);
    expect((await contactsOf('Transportes Ribeira')).map((c) => [c.name, c.phone])).toEqual([['João Costa', '+351 912 345 678'], ['Inês Lopes', '+351 21 123 4567']]);
    expect((await contactsOf('Hotel Mirador del Puerto')).map((c) => [c.name, c.phone, c.isPrimary])).toEqual([['Javier Ruiz', '+34 952 12 34 56 ext. 14', true]]);
  });
});
