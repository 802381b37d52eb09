import type { z } from 'zod';
import type { ClientExportColumn, TaskResult, clientExportInputSchema } from '../../contract/transfer';
import { countClients, listClientsQuery } from '../../db/repositories/clients';
import { exportExtras } from '../../db/repositories/clientExport';
import type { HandlerContext } from '../handlers/context';
import type { TaskControl } from '../tasks/taskRunner';
import { createCsvWriter, type CellValue, type TableWriter } from './tabular/csv';
import { createXlsxWriter, type XlsxColumnType } from './tabular/xlsx';

type ExportInput = z.output<typeof clientExportInputSchema>;
type Row = Awaited<ReturnType<Awaited<ReturnType<typeof listClientsQuery>>['execute']>>[number];
type Extras = Awaited<ReturnType<typeof exportExtras>> extends Map<string, infer E> ? E : never;

/** How each column is typed in Excel, and read from a client row with its extras. */
const columns: Record<ClientExportColumn, { type: XlsxColumnType; width: number; value: (r: Row, x: Extras | undefined, input: ExportInput) => CellValue }> = {
  code: { type: 'text', width: 16, value: (r) => r.code },
  companyName: { type: 'text', width: 36, value: (r) => r.company_name },
  email: { type: 'text', width: 32, value: (r) => r.email },
  area: { type: 'text', width: 18, value: (r, _x, input) => input.labels.areas[r.area_id] ?? r.area_name ?? null },
  status: { type: 'text', width: 12, value: (r, _x, input) => input.labels.statuses[r.status] ?? r.status },
  owner: { type: 'text', width: 22, value: (r) => r.owner_name },
  phone: { type: 'text', width: 20, value: (r) => r.phone },
  website: { type: 'text', width: 30, value: (r) => r.website },
  comments: { type: 'text', width: 40, value: (r) => r.comments },
  primaryContact: { type: 'text', width: 24, value: (_r, x) => x?.primaryName ?? null },
  primaryContactEmail: { type: 'text', width: 30, value: (_r, x) => x?.primaryEmail ?? null },
  primaryContactPhone: { type: 'text', width: 20, value: (_r, x) => x?.primaryPhone ?? null },
  contacts: { type: 'integer', width: 10, value: (_r, x) => x?.contacts ?? 0 },
  openJobs: { type: 'integer', width: 10, value: (r) => Number(r.open_jobs ?? 0) },
  events: { type: 'integer', width: 10, value: (_r, x) => x?.events ?? 0 },
  defaultFeePercent: { type: 'percent', width: 10, value: (r) => r.default_fee_percent },
  defaultGuaranteeDays: { type: 'integer', width: 12, value: (r) => r.default_guarantee_days },
  defaultPaymentTermsDays: { type: 'integer', width: 12, value: (r) => r.default_payment_terms_days },
  createdAt: { type: 'datetime', width: 18, value: (r) => r.created_at },
  updatedAt: { type: 'datetime', width: 18, value: (r) => r.updated_at },
  lastActivityAt: { type: 'datetime', width: 18, value: (r) => r.last_activity_at },
  archivedAt: { type: 'datetime', width: 18, value: (r) => r.archived_at },
};

const pageSize = 1000;

/**
 * Writes the clients of the current filter, in the list's order, with the columns the user picked: pages
 * of the list query by keyset (the same SQL the screen uses, so the file has what the user saw), related
 * data as names, no row cap. Written to `<file>.partial` and renamed at the end: a cancelled or failed
 * export never leaves a half file behind.
 */
export async function exportClients(ctx: HandlerContext, input: ExportInput, control: TaskControl): Promise<TaskResult> {
  const filter = { ...input.filter, search: input.filter.search.trim() };
  const total = await countClients(ctx.db, filter);
  const extension = input.format === 'csv' ? 'csv' : 'xlsx';
  const staged = ctx.staging.create(`${input.baseName}.${extension}`, input.format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const picked = input.columns.map((c) => ({ ...c, ...columns[c.key] }));
  const writer: TableWriter =
    input.format === 'csv'
      ? createCsvWriter(staged.path, { delimiter: input.delimiter })
      : createXlsxWriter(staged.path, { sheetName: 'Clients', columns: picked.map((c) => ({ header: c.header, type: c.type, width: c.width })) });
  const needsExtras = picked.some((c) => ['primaryContact', 'primaryContactEmail', 'primaryContactPhone', 'contacts', 'events'].includes(c.key));

  let written = 0;
  try {
    if (input.format === 'csv') await writer.writeRow(picked.map((c) => c.header));
    control.report(0, total, 'rows');
    let after: { value: string; id: string } | null = null;
    for (;;) {
      const query = await listClientsQuery(ctx.db, { ...filter, sort: input.sort, direction: input.direction, limit: pageSize, after });
      const rows = await query.execute();
      if (!rows.length) break;
      const extras = needsExtras ? await exportExtras(ctx.db, rows.map((r) => r.id)) : new Map<string, Extras>();
      for (const row of rows) {
        const pending = writer.writeRow(picked.map((c) => c.value(row, extras.get(row.id), input)));
        if (pending) await pending;
      }
      written += rows.length;
      control.report(written, Math.max(total, written), 'rows');
      const last = rows.at(-1)!;
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
