import type { Task, TaskResult } from '../../contract/transfer';
import type { testRuntime } from './runtime';

type Rt = Awaited<ReturnType<typeof testRuntime>>;

/** Uploads bytes through files.beginUpload / files.appendUpload, as the browser shell does, in small chunks. */
export async function upload(rt: Rt, fileName: string, content: string | Buffer, chunkBytes = 1024 * 1024): Promise<string> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const { fileId } = await rt.call<{ fileId: string }>('files.beginUpload', { fileName, sizeBytes: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    await rt.call('files.appendUpload', { fileId, offset, chunkBase64: bytes.subarray(offset, offset + chunkBytes).toString('base64') });
  }
  return fileId;
}

/** Reads a staged file through files.read until nextOffset is null. */
export async function download(rt: Rt, fileId: string, length?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const page: { chunkBase64: string; nextOffset: number | null } = await rt.call('files.read', { fileId, offset, ...(length ? { length } : {}) });
    chunks.push(Buffer.from(page.chunkBase64, 'base64'));
    offset = page.nextOffset;
  }
  return Buffer.concat(chunks);
}

/** Starts a background task through its channel and waits for it to end. */
export async function runTask(rt: Rt, channel: string, input: unknown): Promise<Task> {
  const { taskId } = await rt.call<{ taskId: string }>(channel, input);
  return rt.ctx.tasks.settled(taskId);
}

/** Like runTask, but fails the test unless the task is done; returns its result. */
export async function runTaskOk<K extends TaskResult['kind']>(rt: Rt, channel: string, input: unknown, kind: K): Promise<Extract<TaskResult, { kind: K }>> {
  const task = await runTask(rt, channel, input);
  if (task.state !== 'done' || !task.result || task.result.kind !== kind) throw new Error(`${channel} ended ${task.state}: ${JSON.stringify(task.error ?? task.result)}`);
  return task.result as Extract<TaskResult, { kind: K }>;
}

/** A CSV line from cells, quoting what needs it (tests build messy files by hand around this). */
export const csvLine = (cells: (string | number)[], delimiter = ','): string =>
  cells.map((c) => (/[",;\n\r]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(delimiter);

export const csvFile = (rows: (string | number)[][], delimiter = ','): string => rows.map((r) => csvLine(r, delimiter)).join('\r\n') + '\r\n';

/** Parses our own CSV output (BOM, CRLF, quotes) for assertions. */
export function parseCsvText(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      // CRLF ends a record.
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
