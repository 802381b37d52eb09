// The thread that writes a copy of the database: its own read-only connection, one `VACUUM INTO`. The copy
// is one consistent snapshot (a single read transaction; in WAL mode writers go on meanwhile), and the work
// stays off the main thread, which keeps answering the window.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { source, target } = workerData as { source: string; target: string };
try {
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
  parentPort!.postMessage({ ok: true });
} catch (error) {
  parentPort!.postMessage({ ok: false, code: (error as { code?: string }).code ?? null, message: (error as Error).message });
}
