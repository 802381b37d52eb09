import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { drainEntry, openZip, zipEntries, ZipLimitError, type ZipLimits } from '../zipGuard';
import { checkRow, tableLimits, type CellValue, type TableLimits, type TableWriter } from './csv';

// ---------------------------------------------------------------------------------------------------
// Reading

function dateToText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  // Excel has no time zones: exceljs maps serials to UTC, so a pure date lands exactly on UTC midnight.
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/**
 * A percentage cell holds a fraction (18 % is 0.18) that Excel shows multiplied by 100: read as people see it.
 * Only a real percent format counts, not a literal "%" in quotes (our own export writes 18.5 with `0.0#" %"`).
 */
const isPercentFormat = (numFmt: string | undefined) => !!numFmt && /%/.test(numFmt.replace(/"[^"]*"|\\./g, ''));

function cellToText(value: unknown, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return isPercentFormat(numFmt) ? `${Number((value * 100).toFixed(10))} %` : String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateToText(value);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return value.richText.map((run: { text?: unknown }) => (typeof run.text === 'string' ? run.text : '')).join('');
    }
    // Hyperlink cells: the visible text, which may itself be rich text.
    if ('hyperlink' in value && 'text' in value) return cellToText(value.text);
    // Formula and shared-formula cells: what Excel last computed, as a user saw it.
    if ('formula' in value || 'sharedFormula' in value) return 'result' in value ? cellToText(value.result, numFmt) : '';
  }
  // Errors (#N/A, #DIV/0!…) carry no data worth importing.
  return '';
}

/** The first worksheet (in tab order) as rows of strings, padded to a rectangle, empty rows dropped. */
export async function readXlsx(bytes: Uint8Array | Buffer): Promise<string[][]> {
  return (await readXlsxSheet(bytes)).rows;
}

const MiB = 1024 * 1024;
const invalidWorkbook = 'The file is not a valid Excel workbook (.xlsx); it may be damaged or another format.';

/**
 * What an .xlsx (a zip of XML parts) may inflate to. exceljs inflates every part into memory with no limit
 * and without checking the sizes the zip declares, so the zip is read once here first, every byte counted.
 * A worksheet of a million rows is a few hundred MB of XML that deflates 10–30 times.
 */
export const xlsxZipLimits: ZipLimits = { maxEntries: 10_000, maxEntryBytes: 512 * MiB, maxTotalBytes: 1024 * MiB, maxRatio: 200, ratioFloorBytes: 1 * MiB };

async function checkXlsxZip(bytes: Buffer, limits: ZipLimits): Promise<void> {
  const zip = await openZip(bytes, limits);
  try {
    for await (const entry of zipEntries(zip, limits)) await drainEntry(zip, entry, limits.maxEntryBytes);
  } finally {
    zip.close();
  }
}

/**
 * readXlsx plus `lines[i]`, the sheet row number of `rows[i]`, for reports that point at a row in Excel, and
 * `merged[i]`, the columns of `rows[i]` covered by a cell merged down from a row above (they repeat its value).
 */
export async function readXlsxSheet(bytes: Uint8Array | Buffer, limits: { zip?: ZipLimits; table?: TableLimits } = {}): Promise<{ rows: string[][]; lines: number[]; merged: number[][] }> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    await checkXlsxZip(buffer, limits.zip ?? xlsxZipLimits);
  } catch (error) {
    // Larger than the limits: the ZipLimitError says how. Anything else means it is no workbook.
    if (error instanceof ZipLimitError && error.problem !== 'not_zip' && error.problem !== 'damaged') throw error;
    throw new Error(invalidWorkbook, { cause: error });
  }
  const tableLimit = limits.table ?? tableLimits;
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own ArrayBuffer-shaped `Buffer` type; at runtime it hands a Node Buffer to JSZip.
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (error) {
    // JSZip's own messages ("end of central directory") mean nothing to the person importing.
    throw new Error(invalidWorkbook, { cause: error });
  }
  // worksheets is in tab order, which is what "the first sheet" means to the person who made the file.
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('The file is not a valid Excel workbook (.xlsx): it contains no worksheet.');
  const rows: string[][] = [];
  const lines: number[] = [];
  const merged: number[][] = [];
  let width = 0;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const mergedDown: number[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellToText(cell.value, cell.numFmt);
      if (cell.isMerged && Number(cell.master.row) !== rowNumber) mergedDown.push(column - 1);
    });
    const filled = Array.from(cells, (cell) => cell ?? '');
    const blank = filled.every((cell) => cell.trim() === '');
    checkRow(filled, rows.length + (blank ? 0 : 1), rowNumber, tableLimit);
    if (blank) return;
    // Formatting alone keeps empty cells in a row; they would only widen the table.
    while (filled[filled.length - 1] === '') filled.pop();
    width = Math.max(width, filled.length);
    rows.push(filled);
    lines.push(rowNumber);
    merged.push(mergedDown);
  });
  for (const row of rows) while (row.length < width) row.push('');
  return { rows, lines, merged };
}

// ---------------------------------------------------------------------------------------------------
// Writing

export type XlsxColumnType = 'text' | 'integer' | 'decimal' | 'percent' | 'date' | 'datetime';

export interface XlsxColumn {
  header: string;
  type: XlsxColumnType;
  width?: number;
}

/**
 * Percentages arrive as the app stores them (0–100, e.g. 18.5 for a fee) and are written unchanged with a
 * literal " %" suffix, so the cell keeps the number people type and see in the app. '0.0#' rather than
 * '0.##': Excel shows 15 as "15." with the latter.
 */
const numberFormats: Record<XlsxColumnType, string | undefined> = {
  text: undefined,
  integer: '0',
  decimal: '#,##0.00',
  percent: '0.0#" %"',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};

const maxBacklogBytes = 4 * 1024 * 1024;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Converts one value to what the cell should hold. A value that does not fit its column's type is written
 * as text rather than dropped: nothing is lost, and it stands out in the sheet.
 */
function toCell(value: CellValue, type: XlsxColumnType): ExcelJS.CellValue {
  if (value === null) return null;
  if (type === 'text') return String(value);
  if (type === 'date' || type === 'datetime') {
    if (typeof value !== 'string') return String(value);
    const match = type === 'date' ? datePattern.exec(value) : null;
    if (match) {
      const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
      return date.toISOString().startsWith(value) ? date : value;
    }
    const instant = type === 'datetime' ? new Date(value) : null;
    if (!instant || Number.isNaN(instant.getTime())) return value;
    // Excel cells have no time zone; people expect the wall-clock time of this machine, not UTC.
    return new Date(instant.getTime() - instant.getTimezoneOffset() * 60_000);
  }
  const number = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  return Number.isFinite(number) ? number : String(value);
}

/** Streams a typed, frozen-header worksheet to `<filePath>.partial` and renames it on close. */
export function createXlsxWriter(filePath: string, options: { sheetName: string; columns: XlsxColumn[] }): TableWriter {
  const partialPath = `${filePath}.partial`;
  const stream = fs.createWriteStream(partialPath);
  let failure: Error | null = null;
  let state: 'open' | 'closed' | 'aborted' = 'open';
  let rowCount = 0;

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  // exceljs only listens for zip errors during commit(); without this one an early failure would crash the process.
  const zip = (workbook as unknown as { zip: NodeJS.EventEmitter & { abort(): void } }).zip;
  zip.on('error', (error: Error) => (failure ??= error));
  stream.on('error', (error) => (failure ??= error));

  const { columns } = options;
  // Excel refuses sheet names with these characters or longer than 31 characters.
  const sheetName = options.sheetName.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || 'Sheet1';
  const sheet = workbook.addWorksheet(sheetName, {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = columns.map((column) => ({ width: column.width ?? Math.min(60, Math.max(10, column.header.length + 2)) }));
  const header = sheet.addRow(columns.map((column) => column.header));
  header.font = { bold: true };
  header.commit();
  // One style object per column, shared by all its cells: exceljs caches the style id by object identity,
  // while a fresh object per cell is serialised and compared each time (a third of the export time).
  const styles = columns.map((column): Partial<ExcelJS.Style> => {
    const numFmt = numberFormats[column.type];
    return numFmt ? { numFmt } : {};
  });

  // exceljs's sheet stream accepts every write and never signals backpressure, so rows would pile up in
  // memory ahead of the compressor. Its downstream queue is the one honest measure: wait while it is long.
  const backlog = (): number => {
    const pipes = (sheet as unknown as { stream?: { pipes?: { _writableState?: { length?: number } }[] } }).stream?.pipes;
    return pipes?.[0]?._writableState?.length ?? 0;
  };
  const paceWithZip = async () => {
    do await new Promise<void>((resolve) => setImmediate(resolve));
    while (backlog() > maxBacklogBytes && !failure);
  };

  const ensureOpen = () => {
    if (state !== 'open') throw new Error(`The Excel writer is already ${state}.`);
    if (failure) throw failure;
  };

  const closed = () =>
    new Promise<void>((resolve) => {
      if (stream.closed) resolve();
      else stream.once('close', () => resolve());
    });

  const discard = async () => {
    zip.abort();
    stream.destroy();
    await closed();
    await fs.promises.rm(partialPath, { force: true });
  };

  return {
    writeRow(cells) {
      ensureOpen();
      const row = sheet.addRow(columns.map((column, index) => toCell(cells[index] ?? null, column.type)));
      styles.forEach((style, index) => (row.getCell(index + 1).style = style));
      row.commit();
      rowCount++;
      if (rowCount % 200 === 0) return paceWithZip();
    },
    async close() {
      if (state !== 'open') throw new Error(`The Excel writer is already ${state}.`);
      state = 'closed';
      try {
        if (failure) throw failure;
        if (columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rowCount + 1, column: columns.length } };
        await workbook.commit();
        await closed();
        if (failure) throw failure;
        await fs.promises.rename(partialPath, filePath);
      } catch (error) {
        await discard();
        throw error;
      }
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await discard();
    },
  };
}
