import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import { writeIntent } from '../../db/open';
import type { DB } from '../../db/schema';
import { writeClientBatches, type ClientWritePlan } from './clientWrites';

type Request = { kind: 'write'; plans: ClientWritePlan[] } | { kind: 'close' };
export type WriterRequest = Request & { id: number };
export type WriteRequest = Extract<WriterRequest, { kind: 'write' }>;

/**
 * Most rows the writer thread puts in one transaction (a checked batch bigger than that goes alone). A write of
 * another connection waits for the transaction being written: up to about 2 s at this size while 100 000 rows
 * are imported into a 100 000-client database here, twice that when the thread took whatever had arrived. Bigger
 * transactions are barely cheaper per row (the pages a commit rewrites are mostly the same); smaller ones cost more.
 */
export const transactionRows = 2500;

/** The writes next in line that one transaction of the writer takes, out of `queue`: whole ones, up to `rows` rows (a bigger one alone). */
export function nextTransaction(queue: WriterRequest[], rows = transactionRows): WriteRequest[] {
  const taken: WriteRequest[] = [];
  let total = 0;
  for (let next = queue[0]; next?.kind === 'write'; next = queue[0]) {
    const size = next.plans.reduce((n, plan) => n + plan.creates.length + plan.updates.length, 0);
    if (taken.length && total + size > rows) break;
    taken.push(next);
    total += size;
    queue.shift();
  }
  return taken;
}

/** What the writer thread is started with: the file, and the main connection's writeIntent (whose writes go first). */
export type WriterData = { databaseFile: string; intent: Int32Array };
export type WriterReply = { id: number; ok: true } | { id: number; ok: false; message: string };

/** Writes a clients import's batches, in order, each in its own transaction. */
export interface ImportWriter {
  /**
   * Writes the plans of one or more checked batches, after every batch sent before, in one transaction (the
   * thread may add later ones to it, up to transactionRows rows). Settles when it is committed, or rejects with
   * why it was not (nothing of it is written); after a failed write every later one is refused.
   */
  write(...plans: ClientWritePlan[]): Promise<void>;
  /** Settles once the thread is up (true), or could not start (false: every write is made in place). */
  readonly ready: Promise<boolean>;
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

/** Writes one transaction after another on the main connection. */
function inPlace(db: Kysely<DB>) {
  return (plans: ClientWritePlan[]) => db.transaction().execute((trx) => writeClientBatches(trx, plans));
}

/** Batches written in place, one after the other, on the main connection. */
function inPlaceWriter(db: Kysely<DB>): ImportWriter {
  const write = inPlace(db);
  let last: Promise<void> = Promise.resolve();
  return {
    write(...plans) {
      const done = last.then(() => write(plans));
      last = done.catch(() => {});
      return done;
    },
    ready: Promise.resolve(false),
    close: () => last,
  };
}

/**
 * The writer of a clients import. On a database file it is a worker thread with its own connection, so the
 * main thread checks batch n + 1 while batch n is written (the two take about as long as each other) and
 * stays free to answer the window meanwhile. SQLite in WAL mode lets the main thread read while the worker
 * writes; the importer never relies on reading what the run itself wrote (see createClientImporter).
 *
 * Writes are made in the order they are sent; the thread takes the writes that arrived while it was busy into
 * its next transaction (up to transactionRows rows), so a caller may send each batch as soon as it is checked.
 * Between two of its transactions it lets the main connection's go first (see writeIntent): a save in the window
 * waits for one transaction at most. Until the thread says it is ready (it loads its code and opens the file
 * first) writes are made in place, so the run's first batches never wait for it; where the thread cannot start
 * at all (an in-memory database, which one connection alone can see; or a packaging that keeps the worker from
 * loading) every write is. A thread that stops after it was ready fails the writes it had and every later one:
 * whether the one it was writing was committed is unknown.
 */
export function startImportWriter(db: Kysely<DB>, databaseFile: string, entry = workerEntry()): ImportWriter {
  if (databaseFile === ':memory:') return inPlaceWriter(db);
  const { url, execArgv } = entry;
  const workerData: WriterData = { databaseFile, intent: writeIntent(db) ?? new Int32Array(new SharedArrayBuffer(4)) };
  const worker = new Worker(url, { workerData, execArgv });
  const here = inPlace(db);
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let state: 'starting' | 'ready' | 'unavailable' = 'starting';
  /** Why the thread stopped after it was up, or a write failed: every later write is refused with it. */
  let failure: Error | null = null;
  let started: (up: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => (started = resolve));

  const stopped = (error: Error) => {
    if (state === 'starting') state = 'unavailable';
    else failure ??= error;
    started(false);
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: WriterReply | { ready: true }) => {
    if ('ready' in reply) {
      if (state === 'starting') state = 'ready';
      started(true);
      return;
    }
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) w?.resolve();
    else w?.reject(new Error(reply.message));
  });
  worker.on('error', stopped);
  worker.on('exit', (code) => stopped(new Error(`The import's writer stopped (exit code ${code})`)));
  const post = (request: Request) =>
    new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  /** The last write handed over: on the thread's queue, or committed here. The next one goes after it. */
  let handed: Promise<void> = Promise.resolve();
  return {
    write(...plans) {
      let committed: Promise<void> = Promise.resolve();
      const turn = handed.then(() => {
        // After a failed write nothing more is written, here or by the thread (which refuses them too).
        const attempt = failure ? Promise.reject(failure) : state === 'ready' ? post({ kind: 'write', plans }) : here(plans);
        committed = attempt.catch((error: Error) => {
          failure ??= error;
          throw error;
        });
        // Posted: the thread writes it before anything sent later. Made here: the next one waits for its commit.
        return state === 'ready' ? undefined : committed.then(
          () => {},
          () => {},
        );
      });
      handed = turn;
      return turn.then(() => committed);
    },
    ready,
    async close() {
      await handed;
      // A thread still loading is waited for, never terminated halfway: one stopped while it loads the native
      // SQLite module takes the whole process down. Once up, it answers the close after every write sent before.
      if (await ready) {
        try {
          await post({ kind: 'close' });
        } catch {
          // Already stopped: there is nothing left to close.
        }
      }
      await worker.terminate();
    },
  };
}

/**
 * A clients import's writer thread started ahead of the run: when the import dialog reads the file, so that the
 * thread has loaded its code and opened the database while the user maps the columns, and the run's first
 * batches are written by it at once. The next run on the same database takes it; one not taken within `idleMs`
 * (the dialog was left) is closed, as it is before the database is closed or replaced (a restore).
 */
export interface WriterStandby {
  /** Starts a writer for this database, unless one is waiting already (then it waits `idleMs` more). */
  warm(db: Kysely<DB>, databaseFile: string): void;
  /** The waiting writer of this database, or a new one: the caller closes it. */
  take(db: Kysely<DB>, databaseFile: string): ImportWriter;
  /** Settles once the waiting writer is up (true), or at once with false when none is waiting. */
  ready(): Promise<boolean>;
  /** Closes the waiting writer, if any. */
  close(): Promise<void>;
}

export function createWriterStandby(idleMs = 120_000, start: (db: Kysely<DB>, databaseFile: string) => ImportWriter = startImportWriter): WriterStandby {
  let waiting: { db: Kysely<DB>; writer: ImportWriter; timer: NodeJS.Timeout } | null = null;
  const release = () => {
    const held = waiting;
    waiting = null;
    if (!held) return Promise.resolve();
    clearTimeout(held.timer);
    return held.writer.close();
  };
  // Closing a writer that never wrote has nothing to report (close waits for writes, which settle on their own).
  const idle = () =>
    setTimeout(() => {
      release().catch(() => {});
    }, idleMs).unref();
  return {
    warm(db, databaseFile) {
      if (databaseFile === ':memory:') return;
      if (waiting?.db === db) {
        clearTimeout(waiting.timer);
        waiting.timer = idle();
        return;
      }
      release().catch(() => {});
      waiting = { db, writer: start(db, databaseFile), timer: idle() };
    },
    take(db, databaseFile) {
      if (waiting?.db !== db) return start(db, databaseFile);
      const { writer, timer } = waiting;
      clearTimeout(timer);
      waiting = null;
      return writer;
    },
    ready: () => waiting?.writer.ready ?? Promise.resolve(false),
    close: release,
  };
}
