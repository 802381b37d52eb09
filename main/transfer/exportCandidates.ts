import type { z } from 'zod';
import { candidateExportColumns, type CandidateExportColumn, type candidateExportInputSchema } from '../../contract/candidates';
import type { TaskResult } from '../../contract/transfer';
import { countCandidates, listCandidatesQuery, type CandidateListRow } from '../../db/repositories/candidates';
import { tagsOf } from '../../db/sync/candidates';
import type { HandlerContext } from '../handlers/context';
import type { TaskControl } from '../tasks/taskRunner';
import { createCsvWriter, type CellValue, type TableWriter } from './tabular/csv';
import { createXlsxWriter, type XlsxColumnType } from './tabular/xlsx';

type ExportInput = z.output<typeof candidateExportInputSchema>;

/** Each column's Excel type, width and value; headers default to English (the renderer sends the user's words). */
const columns: Record<CandidateExportColumn, { header: string; type: XlsxColumnType; width: number; value: (r: CandidateListRow, notes: string | null) => CellValue }> = {
  code: { header: 'Code', type: 'text', width: 16, value: (r) => r.code },
  fullName: { header: 'Name', type: 'text', width: 28, value: (r) => r.full_name },
  email: { header: 'Email', type: 'text', width: 30, value: (r) => r.email },
  phone: { header: 'Phone', type: 'text', width: 20, value: (r) => r.phone },
  location: { header: 'Location', type: 'text', width: 20, value: (r) => r.location },
  currentTitle: { header: 'Current title', type: 'text', width: 26, value: (r) => r.current_title },
  currentCompany: { header: 'Current company', type: 'text', width: 26, value: (r) => r.current_company },
  source: { header: 'Source', type: 'text', width: 16, value: (r) => r.source },
  // Tags joined by "; " (a comma may be part of a tag); an import splits on both.
  tags: { header: 'Tags', type: 'text', width: 30, value: (r) => tagsOf(r.tags).join('; ') || null },
  owner: { header: 'Owner', type: 'text', width: 20, value: (r) => r.owner_name },
  applications: { header: 'Applications', type: 'integer', width: 12, value: (r) => Number(r.applications) },
  notes: { header: 'Notes', type: 'text', width: 40, value: (_r, notes) => notes },
  createdAt: { header: 'Created', type: 'datetime', width: 18, value: (r) => r.created_at },
};

const pageSize = 1000;

/**
 * Writes the candidates of the current filter, in the list's order, through the list query itself (by key, no
 * row cap), as CSV or Excel; to `<file>.partial` and renamed at the end, as the clients export does.
 */
export async function exportCandidates(ctx: HandlerContext, input: ExportInput, control: TaskControl): Promise<TaskResult> {
  const filter = { ...input.filter, search: input.filter.search.trim() };
  const total = await countCandidates(ctx.db, filter);
  const picked = candidateExportColumns.map((key) => ({ key, ...columns[key], header: input.headers[key] ?? columns[key].header }));
  const staged = ctx.staging.create(`${input.baseName}.${input.format}`, input.format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const writer: TableWriter =
    input.format === 'csv'
      ? createCsvWriter(staged.path, { delimiter: input.delimiter })
      : createXlsxWriter(staged.path, { sheetName: 'Candidates', columns: picked.map((c) => ({ header: c.header, type: c.type, width: c.width })) });
  let written = 0;
  try {
    if (input.format === 'csv') await writer.writeRow(picked.map((c) => c.header));
    control.report(0, total, 'rows');
    let after: { value: string; id: string } | null = null;
    for (;;) {
      const rows: CandidateListRow[] = await (await listCandidatesQuery(ctx.db, { ...filter, sort: 'created_at', direction: 'desc', limit: pageSize, after })).execute();
      if (!rows.length) break;
      // Notes are long and not on the list's rows: read for the page only.
      const notes = new Map((await ctx.db.selectFrom('candidates').select(['id', 'notes']).where('id', 'in', rows.map((r) => r.id)).execute()).map((r) => [r.id, r.notes]));
      for (const row of rows) {
        const pending = writer.writeRow(picked.map((c) => c.value(row, notes.get(row.id) ?? null)));
        if (pending) await pending;
      }
      written += rows.length;
      control.report(written, Math.max(total, written), 'rows');
      const last: CandidateListRow = rows.at(-1)!;
      after = { value: String(last.sort_value), id: last.id };
      if (rows.length < pageSize) break;
      await control.yield();
    }
    await writer.close();
  } catch (error) {
    await writer.abort();
    ctx.staging.discard(staged.fileId);
    throw error;
  }
  return { kind: 'export', file: ctx.staging.finish(staged.fileId), rows: written };
}
