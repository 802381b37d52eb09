import { expect } from 'vitest';
import type { ImportRowCheck, ImportSummary, StagedFile } from '../../contract/transfer';
import type { testRuntime } from './runtime';
import { download, parseCsvText, runTaskOk } from './transfer';

type Rt = Awaited<ReturnType<typeof testRuntime>>;

/** The counts a summary and a preview can both give, for comparing them. */
export type Counts = Pick<ImportSummary, 'rows' | 'created' | 'updated' | 'contacts' | 'skipped' | 'rejected' | 'warned' | 'valueWarnings'>;

const outcomeWords: Record<ImportRowCheck['outcome'], string> = { create: 'Created', update: 'Updated', contact: 'Contact added', skip: 'Skipped', reject: 'Rejected' };
const blocking = (reasons: string[]) => reasons.some((r) => r === 'email' || r === 'name');

/** What a preview says the import will do, counted the way the run counts it. */
export function countPreview(rows: ImportRowCheck[]): Counts {
  const counts: Counts = { rows: rows.length, created: 0, updated: 0, contacts: 0, skipped: 0, rejected: 0, warned: 0, valueWarnings: 0 };
  for (const row of rows) {
    if (row.outcome === 'create') counts.created++;
    else if (row.outcome === 'update') counts.updated++;
    else if (row.outcome === 'contact') counts.contacts++;
    else if (row.outcome === 'skip') counts.skipped++;
    else counts.rejected++;
    const saved = row.outcome === 'create' || row.outcome === 'update';
    if (saved && (row.matches.some((m) => !blocking(m.reasons)) || row.similarLines.length > 0)) counts.warned++;
    if (row.warnings.length) counts.valueWarnings++;
  }
  return counts;
}

const countsOf = (summary: ImportSummary): Counts => ({
  rows: summary.rows, created: summary.created, updated: summary.updated, contacts: summary.contacts, skipped: summary.skipped,
  rejected: summary.rejected, warned: summary.warned, valueWarnings: summary.valueWarnings,
});

async function reportOf(rt: Rt, file: StagedFile | null): Promise<string[][]> {
  if (!file) return [];
  const text = (await download(rt, file.fileId)).toString('utf8');
  // The report keeps a semicolon file's delimiter: the first separator of its header says which.
  return parseCsvText(text, /^[^,;]*;/.test(text.replace(/^\uFEFF/, '')) ? ';' : ',');
}

/**
 * Runs the preview (every row, up to 200), a dry run and the real import of one staged file with the same
 * options, and checks that they agree: the same outcome for every row, the same counts, the same report.
 * Returns what the real run did.
 */
export async function previewDryRunAndRun(rt: Rt, fileId: string, options: Record<string, unknown>) {
  const input = { target: 'clients', ...options, fileId };
  const preview = await rt.call<{ rows: ImportRowCheck[] }>('imports.preview', { ...input, limit: 200 });
  const dry = await runTaskOk(rt, 'imports.start', { ...input, dryRun: true }, 'import');
  const real = await runTaskOk(rt, 'imports.start', input, 'import');
  const dryReport = await reportOf(rt, dry.report);
  const report = await reportOf(rt, real.report);
  expect(countsOf(dry.summary)).toEqual(countsOf(real.summary));
  expect({ empty: dry.summary.empty, reported: dry.summary.reported }).toEqual({ empty: real.summary.empty, reported: real.summary.reported });
  // The preview covers the first 200 rows: all of a small file, the start of a big one.
  const complete = real.summary.rows <= preview.rows.length;
  if (complete) expect(countPreview(preview.rows)).toEqual(countsOf(real.summary));
  // Row by row: the same lines, results and reasons (codes of clients the run created differ: not in either report).
  expect(dryReport).toEqual(report);
  const lastLine = preview.rows.at(-1)?.line ?? 0;
  const previewed = report.slice(1).filter((r) => complete || Number(r[0]) <= lastLine);
  const needsLook = (r: ImportRowCheck) => r.outcome === 'skip' || r.outcome === 'reject' || r.warnings.length > 0 || r.matches.some((m) => !blocking(m.reasons)) || r.similarLines.length > 0;
  expect(previewed.map((r) => [r[0], r[1]])).toEqual(preview.rows.filter(needsLook).map((r) => [String(r.line), outcomeWords[r.outcome]]));
  return { preview: preview.rows, summary: real.summary, report };
}
