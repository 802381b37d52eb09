import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCsvWriter, detectDelimiter, parseCsv } from '../../main/transfer/tabular/csv';
import { decodeText } from '../../main/transfer/tabular/decode';
import { readTable, UnsupportedFileError } from '../../main/transfer/tabular/read';
import { createXlsxWriter, readXlsx, readXlsxSheet, type XlsxColumn } from '../../main/transfer/tabular/xlsx';
import { readZip } from '../support/zip';
import { noiseBytes, patchDeclaredSize, repeated, writeZip } from '../support/zipBombs';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-tabular-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text, 'utf8')]);
// latin1 maps each code point below 256 to one byte, which is what Windows-1252 does for these letters.
const windows1252 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('decodeText', () => {
  it('strips a UTF-8 BOM and says so', () => {
    const decoded = decodeText(withBom('Empresa;Año\n'));
    expect(decoded).toEqual({ text: 'Empresa;Año\n', encoding: 'utf-8-bom' });
  });

  it('reads valid UTF-8 without a BOM as UTF-8', () => {
    expect(decodeText(utf8('Telefónica'))).toEqual({ text: 'Telefónica', encoding: 'utf-8' });
  });

  it('falls back to Windows-1252 for legacy Excel bytes, including the euro sign at 0x80', () => {
    const bytes = Buffer.from([
      0x54, 0x65, 0x6c, 0x65, 0x66, 0xf3, 0x6e, 0x69, 0x63, 0x61, 0x3b, // Telefónica;
      0x41, 0xf1, 0x69, 0x6c, 0x3b, // Añil;
      0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x3b, // Müller;
      0x35, 0x80, // 5€
    ]);
    expect(decodeText(bytes)).toEqual({ text: 'Telefónica;Añil;Müller;5€', encoding: 'windows-1252' });
  });

  it('reads UTF-16 files by their BOM', () => {
    const le = new Uint8Array([0xff, 0xfe, ...Buffer.from('Añil,1', 'utf16le')]);
    expect(decodeText(le)).toEqual({ text: 'Añil,1', encoding: 'utf-16le' });
    const be = new Uint8Array([0xfe, 0xff, ...Buffer.from('Añil,1', 'utf16le').swap16()]);
    expect(decodeText(be)).toEqual({ text: 'Añil,1', encoding: 'utf-16be' });
  });
});

describe('detectDelimiter', () => {
  it('picks the semicolon of a Spanish Excel export despite decimal commas, quoted or not', () => {
    const text = 'Empresa;Importe;Comisión\nAcme;"1,5";10\nBeta;2,75;12\nGamma;3;7,5\n';
    expect(detectDelimiter(text)).toBe(';');
  });

  it('picks the tab of a tab-separated file whose text contains commas', () => {
    expect(detectDelimiter('Name\tNotes\nAcme\tBig, important\nBeta\tSmall, new\n')).toBe('\t');
  });

  it('ignores delimiters inside quoted fields, even across quoted newlines', () => {
    const text = 'name,notes,city\r\n"Acme; Inc","a;b;c\r\nd;e",Madrid\r\n"Beta","x;y",Lyon\r\n';
    expect(detectDelimiter(text)).toBe(',');
  });

  it('defaults to a comma when there is nothing to go on', () => {
    expect(detectDelimiter('Name\nAcme\n')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
  });
});

describe('parseCsv', () => {
  it('handles RFC 4180 quoting: commas, doubled quotes and newlines inside quotes', () => {
    const text = 'name,notes\r\n"Acme, Inc","He said ""hi""\r\nthen left"\r\nBeta,plain\r\n';
    expect(parseCsv(text)).toEqual({
      rows: [
        ['name', 'notes'],
        ['Acme, Inc', 'He said "hi"\nthen left'],
        ['Beta', 'plain'],
      ],
      delimiter: ',',
      // Spreadsheet rows: the second record's quoted newline stays inside its cell, so the third is row 3.
      lines: [1, 2, 3],
    });
  });

  it('splits lines whatever mix of CRLF, LF and CR the file uses', () => {
    expect(parseCsv('a,b\r\n1,2\n3,4\r5,6').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('drops empty and whitespace-only lines but keeps rows with some content', () => {
    expect(parseCsv('a;b\n\n   \n1;2\n ; \n;3\n\n', ';').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['', '3'],
    ]);
  });
});

describe('readTable (CSV)', () => {
  it('reads a UTF-8 file with BOM and reports its encoding and delimiter', async () => {
    const table = await readTable(withBom('Company Name,Email\r\nTelefónica,info@telefonica.es\r\n'), 'clients.csv');
    expect(table).toEqual({
      format: 'csv',
      encoding: 'utf-8-bom',
      delimiter: ',',
      headers: ['Company Name', 'Email'],
      rows: [['Telefónica', 'info@telefonica.es']],
      lines: [2],
      merged: [[]],
      emptyLines: [],
    });
  });

  it('reads a Windows-1252 semicolon export with decimal commas, keeping the numbers as typed', async () => {
    const bytes = windows1252('Empresa;Área;Comisión\r\nTelefónica;Añil;"12,5"\r\nMüller GmbH;Técnica;7,25\r\n');
    const table = await readTable(bytes, 'EXPORT.CSV');
    expect(table.encoding).toBe('windows-1252');
    expect(table.delimiter).toBe(';');
    expect(table.headers).toEqual(['Empresa', 'Área', 'Comisión']);
    expect(table.rows).toEqual([
      ['Telefónica', 'Añil', '12,5'],
      ['Müller GmbH', 'Técnica', '7,25'],
    ]);
  });

  it('reads tab-separated files, from .tsv and from .txt', async () => {
    const text = 'Name\tCity\nAcme, Inc\tMadrid\n';
    for (const name of ['a.tsv', 'a.txt']) {
      const table = await readTable(utf8(text), name);
      expect(table.delimiter).toBe('\t');
      expect(table.rows).toEqual([['Acme, Inc', 'Madrid']]);
    }
  });

  it('skips blank lines anywhere, trims cells and headers', async () => {
    const text = '\n  \r\n Name , City \r\n\r\n  Acme  ,Madrid\r\n \t \r\n,\r\nBeta, Lyon \r\n\r\n   \r\n';
    const table = await readTable(utf8(text), 'a.csv');
    expect(table.headers).toEqual(['Name', 'City']);
    expect(table.rows).toEqual([
      ['Acme', 'Madrid'],
      ['Beta', 'Lyon'],
    ]);
    // Source lines of the data rows, counting the blank lines that were skipped.
    expect(table.lines).toEqual([5, 8]);
    // Blank rows between the header and the last row are counted; those before the header and after the last row are not rows.
    expect(table.emptyLines).toEqual([4, 6, 7]);
  });

  it('skips title lines above the header, and tidies non-breaking and zero-width spaces', async () => {
    const text = 'Listado de clientes 2024\r\n\r\nEmpresa;Teléfono\r\nAcme\u00a0Ibérica\u200b;912\u00a0345\u00a0678\r\n';
    const table = await readTable(utf8(text), 'a.csv');
    expect(table.headers).toEqual(['Empresa', 'Teléfono']);
    expect(table.rows).toEqual([['Acme Ibérica', '912 345 678']]);
    expect(table.lines).toEqual([4]);
    expect(table.emptyLines).toEqual([]);
    // A first row of data (it has an email) is never taken for a title: a one-cell first row stays the header.
    const plain = await readTable(utf8('Company\r\nAcme,info@acme.com\r\n'), 'b.csv');
    expect(plain.headers).toEqual(['Company', 'Column 2']);
    expect(plain.rows).toEqual([['Acme', 'info@acme.com']]);
  });

  it('pads short rows and drops trailing extra cells that are empty', async () => {
    const table = await readTable(utf8('Name,City,Phone\nAcme,Madrid,,,\nBeta\n'), 'a.csv');
    expect(table.headers).toEqual(['Name', 'City', 'Phone']);
    expect(table.rows).toEqual([
      ['Acme', 'Madrid', ''],
      ['Beta', '', ''],
    ]);
  });

  it('names extra non-empty columns instead of losing their data', async () => {
    const table = await readTable(utf8('Name,City\nAcme,Madrid,,+34 600\nBeta,Lyon\n'), 'a.csv');
    expect(table.headers).toEqual(['Name', 'City', 'Column 3', 'Column 4']);
    expect(table.rows).toEqual([
      ['Acme', 'Madrid', '', '+34 600'],
      ['Beta', 'Lyon', '', ''],
    ]);
  });

  it('names empty header cells by position', async () => {
    const table = await readTable(utf8('Name,,City, \nAcme,x,Madrid,y\n'), 'a.csv');
    expect(table.headers).toEqual(['Name', 'Column 2', 'City', 'Column 4']);
    expect(table.rows).toEqual([['Acme', 'x', 'Madrid', 'y']]);
  });

  it('refuses empty files and unsupported types with an UnsupportedFileError', async () => {
    await expect(readTable(utf8(''), 'a.csv')).rejects.toThrow(new UnsupportedFileError('The file is empty', 'empty_file'));
    await expect(readTable(utf8('\r\n  \r\n,,\r\n'), 'a.csv')).rejects.toThrow('The file is empty');
    await expect(readTable(windows1252(';;\r\n ; \r\n'), 'a.csv')).rejects.toThrow('The file is empty');
    await expect(readTable(utf8('%PDF-1.7'), 'a.pdf')).rejects.toBeInstanceOf(UnsupportedFileError);
    await expect(readTable(utf8('a,b'), 'old.xls')).rejects.toThrow(/\.xls/);
    // An old binary Excel file renamed to .csv is recognised by its signature, not decoded as text.
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    await expect(readTable(ole, 'renamed.csv')).rejects.toThrow(/\.xls/);
  });

  it('reports a damaged .xlsx as unsupported with a readable message', async () => {
    const error = await readTable(utf8('not a zip at all'), 'broken.xlsx').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnsupportedFileError);
    expect((error as Error).message).toBe('The file is not a valid Excel workbook (.xlsx); it may be damaged or another format.');
  });
});

describe('createCsvWriter', () => {
  it('writes a BOM, CRLF lines, RFC 4180 quoting and plain numbers', async () => {
    const file = path.join(dir, 'out.csv');
    const writer = createCsvWriter(file, {});
    await writer.writeRow(['Name', 'Notes', 'Fee', 'Empty']);
    await writer.writeRow(['Acme, Inc', 'said "hi"\nbye', 1234.5, null]);
    await writer.writeRow([' padded ', 'a;b', -3, '']);
    await writer.close();
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      'Name,Notes,Fee,Empty\r\n"Acme, Inc","said ""hi""\nbye",1234.5,\r\n" padded ","a;b",-3,\r\n',
    );
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
  });

  it('defuses formula injection in text cells but leaves real numbers alone', async () => {
    const file = path.join(dir, 'out.csv');
    const writer = createCsvWriter(file, { delimiter: ';' });
    await writer.writeRow(['=HYPERLINK("http://evil")', '+34 600', '-1', '@SUM(A1)', '\tx', -1, 'a=b']);
    await writer.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('\uFEFF"\'=HYPERLINK(""http://evil"")";\'+34 600;\'-1;\'@SUM(A1);"\'\tx";-1;a=b\r\n');
  });

  it('round-trips through readTable cell for cell, with every delimiter', async () => {
    const rows = [
      ['Company Name', 'Notes', 'Fee %', 'City'],
      ['Telefónica, S.A.', 'Línea 1\r\nLínea 2 "VIP"', '18.5', 'Madrid'],
      ['Müller; GmbH', 'tab\there', '', 'Añil'],
      ['Beta', '', '7', 'São Paulo'],
    ];
    for (const delimiter of [',', ';', '\t'] as const) {
      const file = path.join(dir, `round-${rows.length}.csv`);
      const writer = createCsvWriter(file, { delimiter });
      for (const row of rows) await writer.writeRow(row);
      await writer.close();
      const table = await readTable(fs.readFileSync(file), 'export.csv');
      expect(table.delimiter).toBe(delimiter);
      expect(table.encoding).toBe('utf-8-bom');
      expect(table.headers).toEqual(rows[0]);
      // CRLF inside a cell comes back as LF: line endings are normalised on read.
      expect(table.rows).toEqual([
        ['Telefónica, S.A.', 'Línea 1\nLínea 2 "VIP"', '18.5', 'Madrid'],
        ['Müller; GmbH', 'tab\there', '', 'Añil'],
        ['Beta', '', '7', 'São Paulo'],
      ]);
      expect(table.lines).toEqual([2, 3, 4]);
    }
  });

  it('streams many rows through the partial file and renames it only on close', async () => {
    const file = path.join(dir, 'big.csv');
    const writer = createCsvWriter(file, {});
    for (let i = 0; i < 20_000; i++) await writer.writeRow([`Client ${i}`, i, i / 4, 'a "quoted" value, here']);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.partial`)).toBe(true);
    await writer.close();
    const table = await readTable(fs.readFileSync(file), 'big.csv');
    expect(table.headers).toEqual(['Client 0', '0', '0', 'a "quoted" value, here']);
    expect(table.rows).toHaveLength(19_999);
    expect(table.rows[19_998]).toEqual(['Client 19999', '19999', '4999.75', 'a "quoted" value, here']);
  });

  it('abort leaves neither the file nor the partial file, and refuses further rows', async () => {
    const file = path.join(dir, 'aborted.csv');
    const writer = createCsvWriter(file, {});
    for (let i = 0; i < 5_000; i++) await writer.writeRow([`Client ${i}`, i]);
    await writer.abort();
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(() => writer.writeRow(['late'])).toThrow(/aborted/);
  });

  it('lets a row waiting for the disk go on when the export is aborted meanwhile', async () => {
    const file = path.join(dir, 'waiting.csv');
    const writer = createCsvWriter(file, {});
    let pending: void | Promise<void> = undefined;
    for (let i = 0; i < 10_000 && !pending; i++) pending = writer.writeRow(['x'.repeat(100), i]);
    expect(pending).toBeInstanceOf(Promise);
    await writer.abort();
    await pending;
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('fails close, and leaves nothing behind, when the folder does not exist', async () => {
    const writer = createCsvWriter(path.join(dir, 'missing', 'out.csv'), {});
    await expect(Promise.resolve().then(() => writer.writeRow(['a'])).then(() => writer.close())).rejects.toThrow(/ENOENT/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

const columns: XlsxColumn[] = [
  { header: 'Company', type: 'text' },
  { header: 'Openings', type: 'integer' },
  { header: 'Salary', type: 'decimal', width: 14 },
  { header: 'Fee', type: 'percent' },
  { header: 'Close date', type: 'date' },
  { header: 'Updated', type: 'datetime' },
];

/** What exceljs will store for an instant: its wall-clock time on this machine, labelled as UTC. */
const wallClock = (iso: string) => {
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
};

describe('createXlsxWriter', () => {
  async function writeSample(file: string) {
    const writer = createXlsxWriter(file, { sheetName: 'Clients', columns });
    await writer.writeRow(['Telefónica', 3, 1234.5, 18.5, '2024-03-05', '2024-03-05T14:30:00.000Z']);
    await writer.writeRow(['=1+1', null, -20, 0, null, null]);
    await writer.writeRow(['Acme', '7', 'n/a', 12, '2024-02-30', 'never']);
    await writer.close();
  }

  it('round-trips through readXlsx as strings', async () => {
    const file = path.join(dir, 'out.xlsx');
    await writeSample(file);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    expect(await readXlsx(fs.readFileSync(file))).toEqual([
      ['Company', 'Openings', 'Salary', 'Fee', 'Close date', 'Updated'],
      ['Telefónica', '3', '1234.5', '18.5', '2024-03-05', wallClock('2024-03-05T14:30:00.000Z').toISOString()],
      ['=1+1', '', '-20', '0', '', ''],
      // Values that do not fit their column are kept as text rather than dropped.
      ['Acme', '7', 'n/a', '12', '2024-02-30', 'never'],
    ]);
  });

  it('stores numbers as numbers, dates as dates and text as text, with their formats', async () => {
    const file = path.join(dir, 'out.xlsx');
    await writeSample(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Clients');
    const row = sheet.getRow(2);
    expect([1, 2, 3, 4, 5, 6].map((column) => row.getCell(column).type)).toEqual([
      ExcelJS.ValueType.String,
      ExcelJS.ValueType.Number,
      ExcelJS.ValueType.Number,
      ExcelJS.ValueType.Number,
      ExcelJS.ValueType.Date,
      ExcelJS.ValueType.Date,
    ]);
    expect(row.getCell(2).value).toBe(3);
    expect(row.getCell(4).value).toBe(18.5);
    expect(row.getCell(5).value).toEqual(new Date('2024-03-05T00:00:00.000Z'));
    expect([2, 3, 4, 5, 6].map((column) => row.getCell(column).numFmt)).toEqual(['0', '#,##0.00', '0.0#" %"', 'yyyy-mm-dd', 'yyyy-mm-dd hh:mm']);
    // A formula-looking string stays a string: no formula is ever created from data.
    expect(sheet.getRow(3).getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(3).getCell(1).value).toBe('=1+1');
    expect(sheet.getRow(4).getCell(2).type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getRow(2).getCell(1).font?.bold).not.toBe(true);
  });

  it('freezes the header row and puts a filter over the whole table', async () => {
    const file = path.join(dir, 'out.xlsx');
    await writeSample(file);
    const sheetXml = (await readZip(file)).get('xl/worksheets/sheet1.xml')!.toString('utf8');
    expect(sheetXml).toContain('state="frozen"');
    expect(sheetXml).toContain('ySplit="1"');
    expect(sheetXml).toContain('<autoFilter ref="A1:F4"');
  });

  it('turns a sheet name Excel would refuse into one it accepts', async () => {
    const file = path.join(dir, 'named.xlsx');
    const writer = createXlsxWriter(file, { sheetName: 'Clients: 2024/03 [all] and more text beyond the limit', columns });
    await writer.close();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets[0]!.name).toBe('Clients  2024 03  all  and more');
  });

  it('abort leaves neither the file nor the partial file', async () => {
    const file = path.join(dir, 'aborted.xlsx');
    const writer = createXlsxWriter(file, { sheetName: 'Clients', columns });
    for (let i = 0; i < 3_000; i++) await writer.writeRow([`Client ${i}`, i, i * 1.5, 10, '2024-01-01', null]);
    await writer.abort();
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(() => writer.writeRow(['late'])).toThrow(/aborted/);
  });
});

describe('readXlsx', () => {
  it('reads a percentage cell as the percentage Excel shows, not the fraction it stores', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Fees');
    sheet.addRow(['Company', 'Fee', 'Ours']);
    const row = sheet.addRow(['Acme', 0.185, 18.5]);
    row.getCell(2).numFmt = '0.0%';
    // A literal "%" in quotes is text around the number (how our export writes its fee column).
    row.getCell(3).numFmt = '0.0#" %"';
    expect(await readXlsx(Buffer.from(await workbook.xlsx.writeBuffer()))).toEqual([['Company', 'Fee', 'Ours'], ['Acme', '18.5 %', '18.5']]);
  });

  it('says which cells are merged down from a row above, and counts empty sheet rows inside the table', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Clientes');
    sheet.addRow(['Empresa', 'Email', 'Contacto']);
    sheet.addRow(['Acme', 'info@acme.es', 'Ana']);
    sheet.addRow([null, null, 'Pedro']);
    sheet.mergeCells('A2:A3');
    sheet.mergeCells('B2:B3');
    sheet.addRow([]);
    sheet.addRow(['Beta', 'hola@beta.es', 'Luz']);
    const table = await readTable(new Uint8Array(await workbook.xlsx.writeBuffer()), 'c.xlsx');
    // A merged cell repeats its value on every row it covers; the rows below the first say they got it that way.
    expect(table.rows).toEqual([['Acme', 'info@acme.es', 'Ana'], ['Acme', 'info@acme.es', 'Pedro'], ['Beta', 'hola@beta.es', 'Luz']]);
    expect(table.merged).toEqual([[], [0, 1], []]);
    expect(table.lines).toEqual([2, 3, 5]);
    expect(table.emptyLines).toEqual([4]);
  });

  it('converts every kind of cell to text from the first sheet in tab order', async () => {
    const workbook = new ExcelJS.Workbook();
    const first = workbook.addWorksheet('First');
    workbook.addWorksheet('Second').addRow(['not me']);
    first.addRow(['Name', 'When', 'Active', 'Link', 'Total', 'Rich', 'Broken']);
    first.addRow([
      'Acme',
      new Date(Date.UTC(2024, 0, 31)),
      true,
      { text: 'Website', hyperlink: 'https://acme.example' },
      { formula: 'B3*2', result: 84 },
      { richText: [{ text: 'Big ', font: { bold: true } }, { text: 'deal' }] },
      { error: '#N/A' },
    ]);
    first.getRow(3).getCell(1).value = 'Beta';
    first.getRow(3).getCell(2).value = new Date(Date.UTC(2024, 0, 31, 9, 15));
    first.getRow(3).getCell(5).value = 1234.5;
    // Row 4 left empty on purpose; row 5 is short.
    first.getRow(5).getCell(1).value = 'Gamma';
    first.getRow(6).getCell(3).value = false;
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());

    expect(await readXlsx(bytes)).toEqual([
      ['Name', 'When', 'Active', 'Link', 'Total', 'Rich', 'Broken'],
      ['Acme', '2024-01-31', 'true', 'Website', '84', 'Big deal', ''],
      ['Beta', '2024-01-31T09:15:00.000Z', '', '', '1234.5', '', ''],
      ['Gamma', '', '', '', '', '', ''],
      ['', '', 'false', '', '', '', ''],
    ]);
    const table = await readTable(bytes, 'named-wrong.csv');
    expect(table.format).toBe('xlsx');
    expect(table.headers).toEqual(['Name', 'When', 'Active', 'Link', 'Total', 'Rich', 'Broken']);
    expect(table.rows).toHaveLength(4);
    // Sheet row numbers, so a report can say "row 5" and match what Excel shows.
    expect(table.lines).toEqual([2, 3, 5, 6]);
  });

  it('throws a clear error for bytes that are not an xlsx workbook', async () => {
    await expect(readXlsx(Buffer.from('Name,Email\n'))).rejects.toThrow('not a valid Excel workbook');
    await expect(readXlsx(new Uint8Array())).rejects.toThrow('not a valid Excel workbook');
  });
});

describe('limits on what an import reads', () => {
  const MiB = 1024 * 1024;
  const code = async (bytes: Uint8Array, fileName: string) => {
    try {
      await readTable(bytes, fileName);
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedFileError);
      return (error as UnsupportedFileError).code;
    }
    return 'read';
  };

  it('refuses a CSV with more columns, longer cells or more records than a spreadsheet holds', async () => {
    const wide = Array.from({ length: 501 }, (_, i) => `c${i}`).join(',');
    expect(await code(utf8(`${wide}\r\n`), 'wide.csv')).toBe('table_too_large');
    // 500 columns with data and trailing empty cells beyond them are fine.
    expect(await code(utf8(`${Array.from({ length: 500 }, (_, i) => `c${i}`).join(',')},,,,\r\n1\r\n`), 'ok.csv')).toBe('read');
    expect(await code(utf8(`Name,Notes\r\nAcme,${'x'.repeat(32_768)}\r\n`), 'long.csv')).toBe('table_too_large');
    expect(await code(utf8(`Name,Notes\r\nAcme,"${'x'.repeat(32_767)}"\r\n`), 'edge.csv')).toBe('read');
    const limits = { maxRecords: 10, maxColumns: 5, maxCellChars: 100 };
    expect(() => parseCsv('a\n'.repeat(11), ',', limits)).toThrow('more than 10 rows');
    expect(parseCsv('a\n'.repeat(10), ',', limits).rows).toHaveLength(10);
    // Blank records count too: a file of empty lines stops at twice the limit instead of being read to its end.
    expect(() => parseCsv('a\n' + '\n'.repeat(25), ',', limits)).toThrow('more than 20 lines');
    expect(parseCsv('a\n\n'.repeat(9) + 'a', ',', limits).rows).toHaveLength(10);
  });

  async function workbookWith(extra: { name: string; bytes: Buffer | (() => Readable) }) {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Hoja1').addRow(['Empresa', 'Email']);
    const entries = await readZip(await (async () => {
      const file = path.join(dir, 'base.xlsx');
      fs.writeFileSync(file, Buffer.from(await book.xlsx.writeBuffer()));
      return file;
    })());
    const file = path.join(dir, 'crafted.xlsx');
    const parts = [...entries].filter(([name]) => !name.endsWith('/')).map(([name, bytes]) => ({ name, data: bytes }));
    await writeZip(file, [...parts, { name: extra.name, data: extra.bytes }]);
    return file;
  }

  it('refuses an .xlsx holding a part that inflates a thousand times its size, before exceljs reads it', async () => {
    const file = await workbookWith({ name: 'xl/media/image1.bin', bytes: repeated(Buffer.from([0]), 300 * MiB) });
    expect(fs.statSync(file).size).toBeLessThan(MiB);
    const before = process.resourceUsage().maxRSS;
    expect(await code(fs.readFileSync(file), 'bomb.xlsx')).toBe('spreadsheet_suspicious');
    expect(((process.resourceUsage().maxRSS - before) * 1024) / MiB).toBeLessThan(200);
  });

  it('refuses an .xlsx part that holds more than it declares, counting the bytes instead of trusting the directory', async () => {
    const file = await workbookWith({ name: 'xl/media/image1.bin', bytes: repeated(Buffer.from([0]), 200 * MiB) });
    patchDeclaredSize(file, 'xl/media/image1.bin', 100 * 1024);
    const before = process.resourceUsage().maxRSS;
    expect(await code(fs.readFileSync(file), 'liar.xlsx')).toBe('invalid_xlsx');
    expect(((process.resourceUsage().maxRSS - before) * 1024) / MiB).toBeLessThan(200);
  });

  it('refuses an .xlsx whose parts together are larger than the limit', async () => {
    const file = await workbookWith({ name: 'xl/media/image1.bin', bytes: noiseBytes(4 * MiB) });
    const bytes = fs.readFileSync(file);
    await expect(readXlsxSheet(bytes, { zip: { maxEntries: 100, maxEntryBytes: 2 * MiB, maxTotalBytes: 8 * MiB, maxRatio: 200, ratioFloorBytes: MiB } })).rejects.toMatchObject({ problem: 'too_large' });
    await expect(readXlsxSheet(bytes, { zip: { maxEntries: 5, maxEntryBytes: 8 * MiB, maxTotalBytes: 8 * MiB, maxRatio: 200, ratioFloorBytes: MiB } })).rejects.toMatchObject({ problem: 'too_many_entries' });
    expect((await readXlsxSheet(bytes)).rows).toEqual([['Empresa', 'Email']]);
  });
});
