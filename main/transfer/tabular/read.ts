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

async function readRaw(bytes: Uint8Array, fileName: string): Promise<Omit<TableFile, 'headers'>> {
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
 * Our CSV export writes `'+34 600…` so spreadsheets do not run the cell as a formula; reading it back the
 * apostrophe goes again, so an exported file imports to the very same values.
 */
const unguard = (cell: string, format: 'csv' | 'xlsx') => (format === 'csv' && /^'[=+\-@]/.test(cell) ? cell.slice(1) : cell);

/**
 * Reads an uploaded spreadsheet into trimmed headers and equally long rows. Width is never cut blindly:
 * trailing cells that are empty everywhere are dropped (Excel pads rows with them), but a value beyond the
 * last header gets a `Column N` header of its own, so no data is silently lost.
 */
export async function readTable(bytes: Uint8Array, fileName: string): Promise<TableFile> {
  const raw = await readRaw(bytes, fileName);
  const trimmed: string[][] = [];
  const lines: number[] = [];
  raw.rows.forEach((row, index) => {
    const cells = row.map((cell) => unguard(cell.trim(), raw.format));
    if (cells.every(isBlank)) return;
    trimmed.push(cells);
    lines.push(raw.lines[index] ?? index + 1);
  });
  const [headerRow, ...dataRows] = trimmed;
  if (!headerRow) throw new UnsupportedFileError('The file is empty', 'empty_file');

  const lastFilled = (row: string[]) => row.findLastIndex((cell) => !isBlank(cell)) + 1;
  const width = dataRows.reduce((widest, row) => Math.max(widest, lastFilled(row)), lastFilled(headerRow));
  const headers = Array.from({ length: width }, (_, index) => headerRow[index] || `Column ${index + 1}`);
  const rows = dataRows.map((row) => Array.from({ length: width }, (_, index) => row[index] ?? ''));
  return { format: raw.format, encoding: raw.encoding, delimiter: raw.delimiter, headers, rows, lines: lines.slice(1) };
}
