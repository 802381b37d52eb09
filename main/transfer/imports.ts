import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../contract';
import { importFields, requiredImportFields, type ImportAliases, type ImportField, type MappableValueField, type ImportSummary, type ParsedImportOptions, type StagedFile, type TaskResult } from '../../contract/transfer';
import type { Kysely } from 'kysely';
import { readSnapshot } from '../../db/open';
import { listAreas } from '../../db/repositories/areas';
import type { DB } from '../../db/schema';
import { withBulkCheckpoints } from '../../db/repositories/bulk';
import { listUsers } from '../../db/repositories/users';
import type { HandlerContext } from '../handlers/context';
import { currentUserId } from '../handlers/currentUser';
import { loadSettings } from '../handlers/settings';
import type { TaskControl } from '../tasks/taskRunner';
import { createClientImporter } from './importClients';
import { createCandidateImporter } from './importCandidates';
import { createContactImporter } from './importContacts';
import { defaultDateOrder, detectDateOrder } from './dates';
import { buildLookups, distinctValues } from './importRows';
import type { BatchOutcome, RowResult, SourceRow } from './importTypes';
import { transactionRows, type ImportWriter } from './importWriter';
import { importWrites, type WritePacing } from './importWrites';
import { guessMapping } from './mapping';
import { describeRow, reportText } from './reportText';
import { createCsvWriter } from './tabular/csv';
import { readTable, UnsupportedFileError, type TableFile } from './tabular/read';

/**
 * Rows per checked batch, adapted to how long a batch takes. While a batch is checked, the main process answers
 * nothing else (the work is synchronous), so a batch should stay around `batchTargetMs`; within that, bigger
 * batches are cheaper per row (the per-batch lookups are shared by more rows). The outcome of every row does
 * not depend on where batches split.
 */
const batchTargetMs = 150;
const firstBatch = 500;
const minBatch = 100;
const maxBatch = 5000;
/**
 * Checked rows of a clients import gathered for its writer thread (see WritePacing): bigger transactions are
 * cheaper per row (the commit rewrites the index pages it touched, wherever in the index its rows landed, and
 * each one adds a search index segment to merge later), up to the writer's own limit (transactionRows).
 */
const writeRows = transactionRows;

/** The next batch's size from the last one's: scaled toward the target, at most halved or doubled at once. */
export function nextBatchSize(rows: number, elapsedMs: number): number {
  const scaled = Math.round((rows * batchTargetMs) / Math.max(elapsedMs, 1));
  return Math.min(maxBatch, Math.max(minBatch, Math.floor(rows / 2), Math.min(scaled, rows * 2)));
}

/**
 * How a run splits the file into batches, and what it tells the caller as each one commits. The app paces
 * by measured time (above); tests and benchmarks pass fixed sizes instead, so where a batch ends never
 * depends on the speed of the machine.
 */
export interface ImportPacing extends WritePacing {
  firstBatch: number;
  nextBatch(rows: number, elapsedMs: number): number;
  /** After each write is committed (or, in a dry run, each batch checked), with the rows counted so far. */
  onBatchDone?(rowsSoFar: number): void;
}

export const adaptivePacing: ImportPacing = { firstBatch, nextBatch: nextBatchSize, writeRows, writeAsChecked: true };

/** Batches of exactly `rows` rows (the last one with what is left). */
export const fixedPacing = (rows: number, onBatchDone?: ImportPacing['onBatchDone']): ImportPacing => ({ firstBatch: rows, nextBatch: () => rows, ...(onBatchDone ? { onBatchDone } : {}) });

// The preview is asked for again on every mapping change; parsing a large file each time would be waste.
const tableCache = new Map<string, Promise<TableFile>>();

export async function loadTable(ctx: HandlerContext, fileId: string): Promise<TableFile> {
  const file = ctx.staging.get(fileId);
  const key = `${fileId}:${file.sizeBytes}`;
  let table = tableCache.get(key);
  if (!table) {
    table = readTable(fs.readFileSync(file.path), file.fileName).catch((error: unknown) => {
      tableCache.delete(key);
      if (error instanceof UnsupportedFileError) throw new AppError('VALIDATION', error.message, { fields: [{ path: 'fileId', message: error.code }] });
      throw error;
    });
    tableCache.set(key, table);
    while (tableCache.size > 2) tableCache.delete(tableCache.keys().next().value!);
  }
  return table;
}

/** A clients import writes through a thread: started as the dialog opens the file, it is up when the run starts. */
function warmWriter(ctx: HandlerContext, target: ParsedImportOptions['target']) {
  if (target === 'clients') ctx.importWriters.warm(ctx.db, ctx.databaseFile);
}

export async function analyzeImport(ctx: HandlerContext, fileId: string, target: ParsedImportOptions['target']) {
  const table = await loadTable(ctx, fileId);
  warmWriter(ctx, target);
  return {
    format: table.format,
    encoding: table.encoding,
    delimiter: table.delimiter,
    headers: table.headers,
    sample: table.rows.slice(0, 5),
    rowCount: table.rows.length,
    emptyRows: table.emptyLines.length,
    emptyLines: table.emptyLines.slice(0, 20),
    mapping: guessMapping(table.headers, target),
  };
}

export async function columnValues(ctx: HandlerContext, input: { fileId: string; column: number; field: MappableValueField; aliases: ImportAliases }) {
  const table = await loadTable(ctx, input.fileId);
  const [areas, users] = await Promise.all([listAreas(ctx.db), listUsers(ctx.db, true)]);
  return distinctValues(table.rows, input.column, input.field, buildLookups(areas, users, input.aliases));
}

/** Required fields no column is mapped to (the area may instead come from the run's default). */
export function missingRequired(options: ParsedImportOptions): ImportField[] {
  const mapped = new Set(options.mapping.filter(Boolean));
  const missing = requiredImportFields[options.target].filter((f) => !mapped.has(f));
  if (options.target === 'clients' && !mapped.has('area') && !options.defaults.areaId) missing.push('area');
  return missing;
}

/**
 * Refuses options no run could use: a column mapped to a field of the other target, or a required field
 * mapped to no column. `imports.start` calls it before starting the task, so the user gets a VALIDATION
 * answer at once instead of a task that fails.
 */
export function checkImportOptions(options: ParsedImportOptions) {
  checkMapping(options);
  const missing = missingRequired(options);
  if (missing.length) throw new AppError('VALIDATION', `Map a column to: ${missing.join(', ')}.`, { reason: 'import_mapping_incomplete', fields: missing.map((f) => ({ path: `mapping.${f}`, message: 'required' })) });
}

function checkMapping(options: ParsedImportOptions) {
  const allowed = new Set<ImportField>(importFields[options.target]);
  const wrong = options.mapping.findIndex((f) => f !== null && !allowed.has(f));
  if (wrong >= 0) throw new AppError('VALIDATION', 'A column is mapped to a field of the other kind of import.', { reason: 'import_mapping_mixed', fields: [{ path: `mapping.${wrong}`, message: 'invalid' }] });
}

async function createImporter(ctx: HandlerContext, options: ParsedImportOptions, dryRun: boolean, fileName: string, table: TableFile) {
  const [settings, areas, users, userId] = await Promise.all([loadSettings(ctx), listAreas(ctx.db), listUsers(ctx.db, true), currentUserId(ctx)]);
  const at = ctx.now().toISOString();
  // How "3/4/20" reads is decided once from the whole column, so the preview, every batch and the dry run agree.
  const dateColumn = options.mapping.indexOf('clientSince');
  const dateOrder = detectDateOrder(dateColumn < 0 ? [] : table.rows.map((row) => row[dateColumn] ?? ''), defaultDateOrder(settings.defaultCountry));
  const session = {
    ctx, options, defaultCountry: settings.defaultCountry, userId, at, dryRun, fileName,
    headers: table.headers,
    readContext: { dateOrder, today: at.slice(0, 10), defaultCountry: settings.defaultCountry },
    text: reportText(options.reportText),
  };
  if (options.target === 'candidates') return createCandidateImporter({ ...session, users });
  return options.target === 'clients' ? createClientImporter({ ...session, lookups: buildLookups(areas, users, options.aliases, options.valueMap) }) : createContactImporter(session);
}

const sourceRows = (table: TableFile, from: number, to: number): SourceRow[] =>
  table.rows.slice(from, to).map((cells, i) => ({ line: table.lines[from + i] ?? from + i + 2, cells, merged: table.merged[from + i] ?? [] }));

/** Rows the report lists: every row not saved, and every saved row that needs a look (values not imported as written, possible duplicates). */
const reported = (r: RowResult) => r.outcome === 'skip' || r.outcome === 'reject' || r.warnings.length > 0 || r.warned;

/**
 * Where a batch is checked. A clients batch only reads (its writer writes the plan it returns): it reads a
 * snapshot of the database without the write lock, so the writer thread commits the batch before it meanwhile.
 * Contacts and candidates batches write as they are checked, in one transaction.
 */
function checkBatch<T>(ctx: HandlerContext, target: ParsedImportOptions['target'], work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return target === 'clients' ? readSnapshot(ctx.db, work) : ctx.db.transaction().execute(work);
}

/** The first rows checked exactly as the import would, in a transaction that is rolled back: nothing is written. */
export async function previewImport(ctx: HandlerContext, options: ParsedImportOptions, limit: number) {
  checkMapping(options);
  const table = await loadTable(ctx, options.fileId);
  warmWriter(ctx, options.target);
  const importBatch = await createImporter(ctx, options, true, ctx.staging.get(options.fileId).fileName, table);
  const { results } = await checkBatch(ctx, options.target, (trx) => importBatch(trx, sourceRows(table, 0, limit)));
  return { rows: results.map(({ warned: _warned, ...row }) => row), missingRequired: missingRequired(options) };
}

/**
 * The whole file in batches (see batchTargetMs and ImportPacing), each written in its own transaction with its change-log rows:
 * a failure or a cancel keeps every batch before it and nothing of the batch it hit. A clients file is written
 * by a writer thread while the next batch is checked here (see startImportWriter, createWriterStandby). A dry run runs the same
 * checks and writes nothing. Rejected and skipped rows go to a report the user can fix and import again.
 */
export async function runImport(ctx: HandlerContext, options: ParsedImportOptions & { dryRun: boolean }, control: TaskControl, pacing: ImportPacing = adaptivePacing): Promise<TaskResult> {
  checkImportOptions(options);
  const source = ctx.staging.get(options.fileId);
  // The writer thread started when the dialog read the file, or now: then it loads while the file is read and the
  // first batches are checked (they are written in place until it is up).
  const writer = options.dryRun || options.target !== 'clients' ? null : ctx.importWriters.take(ctx.db, ctx.databaseFile);
  try {
    return await importFile(ctx, options, control, pacing, source.fileName, writer);
  } finally {
    // A failed run still waits for the batch in flight, so nothing is written after the task has ended.
    await writer?.close();
  }
}

async function importFile(ctx: HandlerContext, options: ParsedImportOptions & { dryRun: boolean }, control: TaskControl, pacing: ImportPacing, fileName: string, writer: ImportWriter | null): Promise<TaskResult> {
  const table = await loadTable(ctx, options.fileId);
  const importBatch = await createImporter(ctx, options, options.dryRun, fileName, table);
  const started = performance.now();
  const summary: ImportSummary = {
    dryRun: options.dryRun, rows: 0, created: 0, updated: 0, contacts: 0, skipped: 0, rejected: 0, warned: 0, valueWarnings: 0, empty: table.emptyLines.length, reported: 0, rowsPerSecond: 0,
  };
  const report: RowResult[] = [];
  const duplicates = new Set<string>();
  control.report(0, table.rows.length, 'rows');

  const count = (results: RowResult[]) => {
    for (const r of results) {
      summary.rows++;
      if (r.outcome === 'create') summary.created++;
      else if (r.outcome === 'update') summary.updated++;
      else if (r.outcome === 'contact') summary.contacts++;
      else if (r.outcome === 'skip') summary.skipped++;
      else summary.rejected++;
      if (r.warned) summary.warned++;
      if (r.warned && !options.dryRun && (r.outcome === 'create' || r.outcome === 'update')) for (const m of r.matches) if (duplicates.size < 1000) duplicates.add(m.id);
      if (r.warnings.length) summary.valueWarnings++;
      if (reported(r)) {
        report.push(r);
        summary.reported++;
      }
    }
    control.report(summary.rows, table.rows.length, 'rows');
    pacing.onBatchDone?.(summary.rows);
  };
  const stopped = (line: number | undefined) =>
    new AppError('INTERNAL', `The import stopped at line ${line ?? '?'}: the ${summary.created + summary.updated} rows before it were saved, nothing after it was.`, {
      reason: 'import_stopped',
      params: { line: line ?? '?', saved: summary.created + summary.updated },
    });

  const writes = importWrites(writer, pacing, count, stopped);
  const runBatches = async () => {
    let size = pacing.firstBatch;
    for (let from = 0; from < table.rows.length; ) {
      if (control.signal.aborted) break;
      const rows = sourceRows(table, from, from + size);
      from += rows.length;
      let outcome: BatchOutcome;
      try {
        const batchStarted = performance.now();
        outcome = await checkBatch(ctx, options.target, (trx) => importBatch(trx, rows));
        size = pacing.nextBatch(rows.length, performance.now() - batchStarted);
      } catch (error) {
        // What was checked before this batch is written first: "the rows before it were saved" holds.
        await writes.finish();
        if (error instanceof AppError) throw error;
        throw stopped(rows[0]?.line);
      }
      await writes.add(outcome, rows[0]?.line);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await writes.finish();
  };
  await (options.dryRun ? runBatches() : withBulkCheckpoints(ctx.db, runBatches));
  summary.rowsPerSecond = Math.round(summary.rows / Math.max((performance.now() - started) / 1000, 1e-6));
  const reportFile = report.length ? await writeReport(ctx, options, table, fileName, report) : null;
  return { kind: 'import', summary, report: reportFile, duplicateClientIds: [...duplicates] };
}

/**
 * The rows to look at as they were in the file, each with its line, result and reason: the rejected and
 * skipped ones, ready to fix and import again, and the saved ones with warnings, each value not imported
 * named with its original text (import the fixed report in update mode to complete those clients).
 */
async function writeReport(ctx: HandlerContext, options: ParsedImportOptions, table: TableFile, sourceName: string, rows: RowResult[]): Promise<StagedFile> {
  const text = reportText(options.reportText);
  const base = path.parse(sourceName).name;
  const staged = ctx.staging.create(`${base}-${text('report.fileSuffix')}.csv`, 'text/csv');
  const writer = createCsvWriter(staged.path, { delimiter: table.delimiter === ';' ? ';' : ',' });
  try {
    await writer.writeRow([text('header.line'), text('header.result'), text('header.reason'), ...table.headers]);
    for (const row of rows) await writer.writeRow([row.line, text(`outcome.${row.outcome}`), describeRow(text, row), ...row.cells]);
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return ctx.staging.finish(staged.fileId);
}
