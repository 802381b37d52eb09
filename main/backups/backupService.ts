import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { backupIdPattern, type Backup, type BackupKind, type BackupStatus } from '../../contract/backups';
import { backupDue, copiesToKeep } from './rotation';

export interface BackupScheduler {
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

/** Real timers, not keeping the process alive (a shell that is stopping does not wait for the next check). */
export const intervalScheduler: BackupScheduler = {
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** How a copy is written: a worker thread in the app; tests may write it in place or make it fail. */
export type CopyWriter = (source: string, target: string) => Promise<void>;

export interface BackupServiceOptions {
  /** The live database file (the copy reads it through a connection of its own). */
  databaseFile: string;
  /** Where the copies go: `<data folder>/backups`. */
  folder: string;
  now: () => Date;
  scheduler?: BackupScheduler;
  writeCopy?: CopyWriter;
  log?: (message: string, error?: unknown) => void;
}

export interface BackupService {
  folder: string;
  status(): BackupStatus;
  /** Writes a copy now (then rotates); null when it failed, and status().lastFailure says why. */
  create(kind: BackupKind): Promise<Backup | null>;
  /** A daily copy, if the current day has none yet. */
  runDue(): Promise<Backup | null>;
  /** Takes the day's copy if it is due, then checks every hour while the app runs. */
  start(): void;
  /**
   * Runs `work` with no other copy being written meanwhile (a restore replaces the file copies are read from);
   * `work` may take copies itself through the function it is given.
   */
  withoutCopies<T>(work: (copy: (kind: BackupKind) => Promise<Backup | null>) => Promise<T>): Promise<T>;
  pathOf(id: string): string;
  find(id: string): Backup | null;
  stop(): Promise<void>;
}

const checkEveryMs = 60 * 60 * 1000;

/** The worker's entry: built, a .js file next to the main bundle; from source (shell, tests), the .ts file through tsx. */
function workerEntry(): { url: URL; execArgv: string[] } {
  const built = new URL('./backupWorker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(built))) return { url: built, execArgv: [] };
  return { url: new URL('./backupWorker.ts', import.meta.url), execArgv: ['--import', 'tsx'] };
}

class CopyFailed extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

/** VACUUM INTO on a worker thread; where the thread cannot start, the online backup API in steps on this thread. */
export const workerCopyWriter: CopyWriter = (source, target) => {
  const { url, execArgv } = workerEntry();
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(url, { workerData: { source, target }, execArgv });
    worker.once('message', (reply: { ok: boolean; code: string | null; message: string }) => {
      settled = true;
      if (reply.ok) resolve();
      else reject(new CopyFailed(reply.message, reply.code));
    });
    worker.once('error', () => {
      if (settled) return;
      settled = true;
      // The thread did not run (a packaging problem): the copy is still owed.
      steppedCopy(source, target).then(resolve, reject);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new CopyFailed(`The backup thread stopped (exit code ${code}).`, null));
    });
  });
};

/** SQLite's online backup, 100 pages per step with the event loop free in between (better-sqlite3's db.backup). */
async function steppedCopy(source: string, target: string): Promise<void> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
}

function reasonOf(error: unknown): 'disk_full' | 'no_permission' | 'failed' {
  const code = (error as { code?: string | null }).code ?? '';
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return 'disk_full';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) return 'no_permission';
  return 'failed';
}

const fileNameOf = (at: Date, kind: BackupKind) => `clients-${at.toISOString().replace(/:/g, '-').replace('.', '-')}-${kind}.sqlite`;
const createdAtOf = (id: string) => {
  const [, date, hh, mm, ss, ms] = /^clients-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(id)!;
  return `${date}T${hh}:${mm}:${ss}.${ms}Z`;
};
const kindOf = (id: string) => /-(daily|manual|before_restore)\.sqlite$/.exec(id)![1] as BackupKind;

/**
 * Copies of the database in the data folder's `backups/`, one per day (and on demand), rotated to 7 daily and
 * 4 weekly. A copy is written under a temporary name and renamed when complete, so a crash or a full disk
 * never leaves a file that looks like a copy. A failure is kept for the window to show until a copy succeeds.
 */
export function createBackupService(options: BackupServiceOptions): BackupService {
  const { folder, now } = options;
  const writeCopy = options.writeCopy ?? workerCopyWriter;
  const log = options.log ?? ((message, error) => console.error(`[backups] ${message}`, error ?? ''));
  let lastFailure: BackupStatus['lastFailure'] = null;
  // One thing at a time: copies, rotation and restores queue behind each other.
  let queue: Promise<unknown> = Promise.resolve();
  let running = false;
  let stopTimer: (() => void) | null = null;
  let stopped = false;

  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  function list(): Backup[] {
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch {
      return [];
    }
    const copies: Backup[] = [];
    for (const id of names) {
      if (!backupIdPattern.test(id)) continue;
      try {
        copies.push({ id, createdAt: createdAtOf(id), sizeBytes: fs.statSync(path.join(folder, id)).size, kind: kindOf(id) });
      } catch {
        // Removed meanwhile.
      }
    }
    return copies.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  function rotate() {
    const copies = list();
    const keep = copiesToKeep(copies);
    for (const copy of copies) {
      if (keep.has(copy.id)) continue;
      try {
        fs.rmSync(path.join(folder, copy.id), { force: true });
      } catch (error) {
        log(`Could not remove the old backup ${copy.id}`, error);
      }
    }
  }

  async function copyNow(kind: BackupKind): Promise<Backup | null> {
    const at = now();
    const id = fileNameOf(at, kind);
    const target = path.join(folder, id);
    const partial = `${target}.partial`;
    running = true;
    try {
      fs.mkdirSync(folder, { recursive: true });
      // What a copy cut short left (the app quit or crashed while writing it): copies run one at a time and
      // one app per data folder, so none of these is being written now.
      for (const name of fs.readdirSync(folder)) if (name.endsWith('.sqlite.partial')) fs.rmSync(path.join(folder, name), { force: true });
      await writeCopy(options.databaseFile, partial);
      fs.renameSync(partial, target);
      lastFailure = null;
      rotate();
      return list().find((copy) => copy.id === id) ?? { id, createdAt: createdAtOf(id), sizeBytes: fs.statSync(target).size, kind };
    } catch (error) {
      try {
        fs.rmSync(partial, { force: true });
      } catch {
        // The folder itself may be what failed.
      }
      lastFailure = { at: at.toISOString(), reason: reasonOf(error), detail: (error as Error).message };
      log(`The ${kind} backup failed`, error);
      return null;
    } finally {
      running = false;
    }
  }

  const service: BackupService = {
    folder,
    status: () => ({ backups: list(), folder, lastFailure, running }),
    create: (kind) => serial(() => copyNow(kind)),
    runDue: () => serial(() => (backupDue(list()[0], now()) ? copyNow('daily') : Promise.resolve(null))),
    start() {
      if (stopTimer || stopped) return;
      void service.runDue();
      stopTimer = (options.scheduler ?? intervalScheduler).every(checkEveryMs, () => void service.runDue());
    },
    withoutCopies: (work) => serial(() => work(copyNow)),
    pathOf(id) {
      if (!backupIdPattern.test(id)) throw new Error(`Not a backup: ${id}`);
      return path.join(folder, id);
    },
    find: (id) => list().find((copy) => copy.id === id) ?? null,
    async stop() {
      stopped = true;
      stopTimer?.();
      stopTimer = null;
      await queue;
    },
  };
  return service;
}
