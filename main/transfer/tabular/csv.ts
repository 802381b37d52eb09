import fs from 'node:fs';
import Papa from 'papaparse';

export type CsvDelimiter = ',' | ';' | '\t';
export type CellValue = string | number | null;

/** What every tabular writer offers, so an export does not care whether it produces CSV or XLSX. */
export interface TableWriter {
  /** Resolves only when the writer needs the caller to wait (backpressure); otherwise returns at once. */
  writeRow(cells: CellValue[]): void | Promise<void>;
  /** Finishes the file and moves it into place: until then only `<file>.partial` exists. */
  close(): Promise<void>;
  /** Stops and deletes the partial file; the target path is never touched. */
  abort(): Promise<void>;
}

const candidates: CsvDelimiter[] = [',', ';', '\t'];
const sampleLines = 20;

/** Counts each candidate delimiter on the first logical lines, skipping everything inside quotes. */
function countDelimiters(text: string): number[][] {
  const lines: number[][] = [];
  let counts = [0, 0, 0];
  let hasContent = false;
  let inQuotes = false;
  let previous = '\n';
  for (let i = 0; i < text.length && lines.length < sampleLines; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      }
    } else if (ch === '"' && (previous === '\n' || previous === '\r' || candidates.includes(previous as CsvDelimiter))) {
      // A quote only opens a field at its start: `5" screen` is data, not a quoted section.
      inQuotes = true;
      hasContent = true;
    } else if (ch === '\n' || ch === '\r') {
      if (hasContent) lines.push(counts);
      counts = [0, 0, 0];
      hasContent = false;
    } else {
      const index = candidates.indexOf(ch as CsvDelimiter);
      if (index >= 0) counts[index]!++;
      // A line of bare delimiters (an empty spreadsheet row) still shows the file's structure.
      if (index >= 0 || ch.trim() !== '') hasContent = true;
    }
    previous = ch;
  }
  if (hasContent && lines.length < sampleLines) lines.push(counts);
  return lines;
}

/**
 * The delimiter is the candidate that splits the most lines into the same number of fields. Consistency
 * beats frequency because a Spanish Excel export uses `;` and also decimal commas (`1,5`) that appear on
 * some lines only; a real delimiter appears the same number of times on every line.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const lines = countDelimiters(text);
  let best: { delimiter: CsvDelimiter; share: number; count: number } = { delimiter: ',', share: 0, count: 0 };
  candidates.forEach((delimiter, index) => {
    const frequency = new Map<number, number>();
    for (const line of lines) {
      const count = line[index]!;
      if (count > 0) frequency.set(count, (frequency.get(count) ?? 0) + 1);
    }
    for (const [count, times] of frequency) {
      const share = times / lines.length;
      if (share > best.share || (share === best.share && count > best.count)) best = { delimiter, share, count };
    }
  });
  return best.delimiter;
}

/** What a spreadsheet import reads at most; past it the file is refused, before it is held in memory whole. */
export interface TableLimits {
  /** Rows with data (Excel's own maximum: 1 048 576 rows); blank records may add as many again. */
  maxRecords: number;
  /** Columns with data (an import maps at most 500). */
  maxColumns: number;
  /** Characters in one cell (Excel's own maximum: 32 767). */
  maxCellChars: number;
}

export const tableLimits: TableLimits = { maxRecords: 1_048_576, maxColumns: 500, maxCellChars: 32_767 };

export class TableTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableTooLargeError';
  }
}

/**
 * Throws when a row breaks a limit. `rows` counts the rows with data so far, this one included; `record` is
 * the row's place in the file, blank records included, which may run to twice the row limit (a blank line
 * after every row, a trailing newline) and no further.
 */
export function checkRow(cells: string[], rows: number, record: number, limits: TableLimits): void {
  if (rows > limits.maxRecords) throw new TableTooLargeError(`The file has more than ${limits.maxRecords} rows.`);
  if (record > 2 * limits.maxRecords) throw new TableTooLargeError(`The file has more than ${2 * limits.maxRecords} lines.`);
  let width = cells.length;
  while (width > 0 && cells[width - 1] === '') width--;
  if (width > limits.maxColumns) throw new TableTooLargeError(`Row ${record} has more than ${limits.maxColumns} columns.`);
  for (const cell of cells) if (cell.length > limits.maxCellChars) throw new TableTooLargeError(`Row ${record} has a cell longer than ${limits.maxCellChars} characters.`);
}

/**
 * Parses CSV text into rows of strings; rows that are empty or only whitespace are dropped. `lines[i]` is
 * the 1-based row number of `rows[i]` as a spreadsheet shows the file (blank records counted, a quoted
 * newline staying inside its cell), so an import report points at the row the user sees in Excel. Rows are
 * taken one at a time and checked against `limits`: a file of a million empty records or one endless cell
 * stops at the limit instead of growing the parsed table without end.
 */
export function parseCsv(text: string, delimiter?: CsvDelimiter, limits: TableLimits = tableLimits): { rows: string[][]; delimiter: CsvDelimiter; lines: number[] } {
  // Papa guesses one newline style for the whole file, so a file mixing CRLF and LF (concatenated
  // exports, hand edits) would come back with unsplit lines; one style is imposed first.
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const chosen = delimiter ?? detectDelimiter(normalised);
  const rows: string[][] = [];
  const lines: number[] = [];
  let line = 1;
  let failure: Error | null = null;
  // Blank rows are kept by Papa (skipEmptyLines off) and dropped here, so row numbers can be counted.
  Papa.parse<string[]>(normalised, {
    delimiter: chosen,
    newline: '\n',
    skipEmptyLines: false,
    step: (result, parser) => {
      const row = result.data;
      const filled = row.some((cell) => cell.trim() !== '');
      try {
        checkRow(row, rows.length + (filled ? 1 : 0), line, limits);
      } catch (error) {
        failure = error as Error;
        parser.abort();
        return;
      }
      if (filled) {
        rows.push(row);
        lines.push(line);
      }
      line += 1;
    },
  });
  if (failure) throw failure;
  return { rows, delimiter: chosen, lines };
}

// Any candidate delimiter is quoted, not only the one in use, so a re-import detects the delimiter cleanly.
const needsQuotes = /[",;\t\r\n]|^\s|\s$/;
// Spreadsheets run a cell starting with these as a formula (CSV injection); an apostrophe makes it text.
const formulaStart = /^[=+\-@\t\r]/;

function formatCell(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} to a CSV file.`);
    return String(value);
  }
  const text = formulaStart.test(value) ? `'${value}` : value;
  return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const chunkSize = 64 * 1024;

/** Streams rows to `<filePath>.partial` and renames it on close, so a failed export never looks complete. */
export function createCsvWriter(filePath: string, options: { delimiter?: CsvDelimiter } = {}): TableWriter {
  const delimiter = options.delimiter ?? ',';
  const partialPath = `${filePath}.partial`;
  const stream = fs.createWriteStream(partialPath);
  let failure: Error | null = null;
  let state: 'open' | 'closed' | 'aborted' = 'open';
  // Excel reads BOM-less CSV files as the machine's ANSI code page and mangles every accent.
  let buffer = '\uFEFF';

  stream.on('error', (error) => {
    failure ??= error;
  });

  const ensureOpen = () => {
    if (state !== 'open') throw new Error(`The CSV writer is already ${state}.`);
    if (failure) throw failure;
  };

  const flush = (): void | Promise<void> => {
    const chunk = buffer;
    buffer = '';
    if (stream.write(chunk)) return;
    // 'close' also ends the wait: after an abort no 'drain' ever comes, and the caller's loop must go on
    // to its next writeRow, which then reports the abort.
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        stream.off('drain', settle).off('close', settle).off('error', settle);
        if (error) reject(error);
        else resolve();
      };
      stream.on('drain', settle).on('close', settle).on('error', settle);
    });
  };

  const finish = () =>
    new Promise<void>((resolve, reject) => {
      if (stream.closed) return failure ? reject(failure) : resolve();
      stream.once('close', () => (failure ? reject(failure) : resolve()));
    });

  const discard = async () => {
    stream.destroy();
    await finish().catch(() => undefined);
    await fs.promises.rm(partialPath, { force: true });
  };

  return {
    writeRow(cells) {
      ensureOpen();
      buffer += cells.map(formatCell).join(delimiter) + '\r\n';
      if (buffer.length >= chunkSize) return flush();
    },
    async close() {
      if (state !== 'open') throw new Error(`The CSV writer is already ${state}.`);
      state = 'closed';
      try {
        if (failure) throw failure;
        stream.end(buffer);
        buffer = '';
        // 'close' rather than 'finish': Windows refuses to rename a file whose handle is still open.
        await finish();
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
