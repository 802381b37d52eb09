import { ZipLimitError } from '../zipGuard';
import { parseCsv, TableTooLargeError } from './csv';
import { decodeText } from './decode';
import { readXlsxSheet } from './xlsx';

/** Why a file cannot be imported; the renderer words each code in the user's language. */
export type UnsupportedFileCode = 'old_excel' | 'invalid_xlsx' | 'empty_file' | 'unsupported_file' | 'table_too_large' | 'spreadsheet_suspicious';

/** A file the import cannot read, with a message meant for the person who picked it. */
export class UnsupportedFileError extends Error {
  constructor(
    message: string,
    readonly code: UnsupportedFileCode = 'unsupported_file',
  ) {
    super(message);
    this.name = 'UnsupportedFileError';
  }
}

export interface TableFile {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  headers: string[];
  rows: string[][];
  /** Where each of `rows` is in the source (1-based CSV line, or sheet row), for messages about a row. */
  lines: number[];
  /** For each of `rows`, the columns whose cell is merged down from a row above (Excel only; it repeats that row's value). */
  merged: number[][];
  /** Completely empty rows between the header and the last row with data, by line: skipped, and counted. */
  emptyLines: number[];
}

const csvExtensions = new Set(['csv', 'txt', 'tsv']);

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((byte, index) => bytes[index] === byte);
// Content wins over the name: people rename files, and an .xlsx or .xls called .csv is common.
const zipMagic = [0x50, 0x4b, 0x03, 0x04];
const oleMagic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

type RawTable = Omit<TableFile, 'headers' | 'emptyLines' | 'merged'> & { merged?: number[][] };

async function readRaw(bytes: Uint8Array, fileName: string): Promise<RawTable> {
  const extension = extensionOf(fileName);
  if (extension === 'xls' || startsWith(bytes, oleMagic)) {
    throw new UnsupportedFileError('Old Excel files (.xls) cannot be read. Save the file as .xlsx or .csv and try again.', 'old_excel');
  }
  if (extension === 'xlsx' || startsWith(bytes, zipMagic)) {
    try {
      return { format: 'xlsx', encoding: null, delimiter: null, ...(await readXlsxSheet(bytes)) };
    } catch (error) {
      throw asUnsupported(error, 'invalid_xlsx');
    }
  }
  if (csvExtensions.has(extension)) {
    const { text, encoding } = decodeText(bytes);
    try {
      return { format: 'csv', encoding, ...parseCsv(text, extension === 'tsv' ? '\t' : undefined) };
    } catch (error) {
      throw asUnsupported(error, 'unsupported_file');
    }
  }
  throw new UnsupportedFileError('Only .csv, .tsv, .txt and .xlsx files can be imported.');
}

function asUnsupported(error: unknown, otherwise: UnsupportedFileCode): unknown {
  if (error instanceof TableTooLargeError) return new UnsupportedFileError(error.message, 'table_too_large');
  if (error instanceof ZipLimitError) {
    const code = error.problem === 'suspicious_ratio' ? 'spreadsheet_suspicious' : 'table_too_large';
    return new UnsupportedFileError(`The workbook cannot be imported: ${error.message}`, code);
  }
  if (error instanceof Error && otherwise === 'invalid_xlsx') return new UnsupportedFileError(error.message, 'invalid_xlsx');
  return error;
}

const isBlank = (cell: string) => cell === '';

/**
 * Spreadsheet leftovers that are not part of a value: non-breaking and other fixed-width spaces (as spaces),
 * zero-width marks, and the spaces around the text.
 */
const tidy = (cell: string) =>
  cell
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
    .trim();

/**
 * Our CSV export writes `'+34 600…` so spreadsheets do not run the cell as a formula; reading it back the
 * apostrophe goes again, so an exported file imports to the very same values.
 */
const unguard = (cell: string, format: 'csv' | 'xlsx') => (format === 'csv' && /^'[=+\-@]/.test(cell) ? cell.slice(1) : cell);

const filledCount = (row: string[]) => row.reduce((n, cell) => n + (isBlank(cell) ? 0 : 1), 0);

/**
 * Where the header is: the first row, unless the sheet opens with title lines ("Listado de clientes 2024",
 * a date) of one cell each above a row of several column names; then the first row of several cells.
 */
function headerIndex(rows: string[][]): number {
  const limit = Math.min(rows.length, 10);
  for (let i = 0; i < limit; i++) {
    // A row of data (it has an email address) before any row of names means there is no title to skip.
    if (filledCount(rows[i]!) >= 2) return rows[i]!.some((cell) => cell.includes('@')) ? 0 : i;
  }
  return 0;
}

/**
 * Reads an uploaded spreadsheet into trimmed headers and equally long rows. Width is never cut blindly:
 * trailing cells that are empty everywhere are dropped (Excel pads rows with them), but a value beyond the
 * last header gets a `Column N` header of its own, so no data is silently lost. Empty rows are dropped and
 * their lines listed (`emptyLines`) when they lie between the header and the last row with data; blank lines
 * after the last row (a file's closing newlines, Excel's formatted but empty rows) are not rows of the table.
 */
export async function readTable(bytes: Uint8Array, fileName: string): Promise<TableFile> {
  const raw = await readRaw(bytes, fileName);
  const trimmed: string[][] = [];
  const lines: number[] = [];
  const merged: number[][] = [];
  raw.rows.forEach((row, index) => {
    const cells = row.map((cell) => unguard(tidy(cell), raw.format));
    if (cells.every(isBlank)) return;
    trimmed.push(cells);
    lines.push(raw.lines[index] ?? index + 1);
    merged.push(raw.merged?.[index] ?? []);
  });
  const start = headerIndex(trimmed);
  const [headerRow, ...dataRows] = trimmed.slice(start);
  if (!headerRow) throw new UnsupportedFileError('The file is empty', 'empty_file');
  const dataLines = lines.slice(start + 1);

  const lastFilled = (row: string[]) => row.findLastIndex((cell) => !isBlank(cell)) + 1;
  const width = dataRows.reduce((widest, row) => Math.max(widest, lastFilled(row)), lastFilled(headerRow));
  const headers = Array.from({ length: width }, (_, index) => headerRow[index] || `Column ${index + 1}`);
  const rows = dataRows.map((row) => Array.from({ length: width }, (_, index) => row[index] ?? ''));
  const emptyLines: number[] = [];
  const filledLines = new Set(dataLines);
  for (let line = lines[start]! + 1; line < (dataLines.at(-1) ?? 0); line++) if (!filledLines.has(line)) emptyLines.push(line);
  return { format: raw.format, encoding: raw.encoding, delimiter: raw.delimiter, headers, rows, lines: dataLines, merged: merged.slice(start + 1), emptyLines };
}
