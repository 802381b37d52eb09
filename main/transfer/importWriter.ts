import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { writeClientBatches, type ClientWritePlan } from './clientWrites';

type Request = { kind: 'write'; plans: ClientWritePlan[] } | { kind: 'close' };
export type WriterRequest = Request & { id: number };
export type WriterReply = { id: number; ok: true } | { id: number; ok: false; message: string };

/** Writes a clients import's batches, in order, each in its own transaction. */
export interface ImportWriter {
  /**
   * Writes the plans of one or more checked batches, in order, in one transaction. Settles when it is committed,
   * or rejects with why it was not (nothing of it is written).
   */
  write(...plans: ClientWritePlan[]): Promise<void>;
  /** Waits for the batches sent so far, then lets go of the connection. */
  close(): Promise<void>;
}

/**
 * The worker's entry: built, a .js file next to the main bundle (electron-vite builds it as its own input);
 * from source (the browser shell, tests, benchmarks run TypeScript through tsx), the .ts file through tsx.
 */
function workerEntry(): { url: URL; execArgv: string[] } {
  const built = new URL('./importWriterWorker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(built))) return { url: built, execArgv: [] };
  return { url: new URL('./importWriterWorker.ts', import.meta.url), execArgv: ['--import', 'tsx'] };
}

/** Batches written in place, one after the other, on the main connection. */
function inPlaceWriter(db: Kysely<DB>): ImportWriter {
  let last: Promise<void> = Promise.resolve();
  return {
    write(...plans) {
      const done = last.then(() => db.transaction().execute((trx) => writeClientBatches(trx, plans)));
      last = done.catch(() => {});
      return done;
    },
    close: () => last,
  };
}

/**
 * The writer of a clients import. On a database file it is a worker thread with its own connection, so the
 * main thread checks batch n + 1 while batch n is written (the two take about as long as each other) and
 * stays free to answer the window meanwhile. SQLite in WAL mode lets the main thread read while the worker
 * writes; the importer never relies on reading what the run itself wrote (see createClientImporter).
 *
 * Where the thread cannot start (an in-memory database, which one connection alone can see; or a packaging
 * that keeps the worker from loading) the batches are written in place instead, slower but the same: the
 * thread writes nothing before it says it is ready, so whatever was sent to it can still be written here.
 * A thread that stops after that fails the batches it had: whether the last one was committed is unknown.
 */
export function startImportWriter(db: Kysely<DB>, databaseFile: string, entry = workerEntry()): ImportWriter {
  if (databaseFile === ':memory:') return inPlaceWriter(db);
  const { url, execArgv } = entry;
  const worker = new Worker(url, { workerData: { databaseFile }, execArgv });
  const waiting = new Map<number, { request: Request; resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let ready = false;
  let fallback: ImportWriter | null = null;
  let failure: Error | null = null;

  const stopped = (error: Error) => {
    if (!ready && !fallback) {
      // Nothing was written by the thread: what it was sent is written here, in the order it was sent.
      fallback = inPlaceWriter(db);
      for (const w of [...waiting.values()]) {
        if (w.request.kind === 'write') fallback.write(...w.request.plans).then(w.resolve, w.reject);
        else w.resolve();
      }
    } else {
      failure ??= error;
      for (const w of waiting.values()) w.reject(error);
    }
    waiting.clear();
  };
  worker.on('message', (reply: WriterReply | { ready: true }) => {
    if ('ready' in reply) {
      ready = true;
      return;
    }
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) w?.resolve();
    else w?.reject(new Error(reply.message));
  });
  worker.on('error', stopped);
  worker.on('exit', (code) => stopped(new Error(`The import's writer stopped (exit code ${code})`)));
  const send = (request: Request) =>
    new Promise<void>((resolve, reject) => {
      if (fallback) return request.kind === 'write' ? fallback.write(...request.plans).then(resolve, reject) : resolve();
      if (failure) return reject(failure);
      const id = nextId++;
      waiting.set(id, { request, resolve, reject });
      worker.postMessage({ ...request, id });
    });
  return {
    write: (...plans) => send({ kind: 'write', plans }),
    async close() {
      try {
        await send({ kind: 'close' });
      } catch {
        // Already stopped: there is nothing left to close.
      }
      await fallback?.close();
      await worker.terminate();
    },
  };
}
