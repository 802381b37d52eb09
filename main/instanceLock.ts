import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** Another Clients (desktop app or browser shell) has this data folder open. */
export class DataFolderInUseError extends Error {
  constructor(
    readonly dataDir: string,
    /** The other process, as it wrote itself down (informative only: the lock is the truth). */
    readonly holder: { pid: number; shell: string; since: string } | null,
  ) {
    super(`Clients is already running with the data folder ${dataDir}${holder ? ` (process ${holder.pid}, ${holder.shell}, since ${holder.since})` : ''}. Use that one, or close it and start again.`);
    this.name = 'DataFolderInUseError';
  }
}

export interface DataFolderLock {
  release(): void;
}

export const lockFileName = 'clients-instance.lock';
const holderFileName = 'clients-instance.json';

/**
 * One running Clients per data folder: a second one would empty the first one's staged files at start,
 * share its attachments half-written, and fight over the database. The lock is an OS file lock, held by
 * SQLite on a small file of its own in exclusive locking mode: `fcntl` locks on Linux and macOS,
 * `LockFileEx` on Windows. The operating system drops it when the process ends, however it ends, so a
 * crash leaves nothing stale behind — unlike a lock file holding a pid, which a reused pid (common on
 * Windows) keeps looking alive. Taken with no wait: a second instance is refused at once.
 */
export function lockDataFolder(dataDir: string, shell: string, now: () => Date = () => new Date()): DataFolderLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, lockFileName);
  const holderFile = path.join(dataDir, holderFileName);
  const lock = new Database(file, { timeout: 0 });
  try {
    // No journal file beside it, and every lock kept until the connection closes.
    lock.pragma('journal_mode = MEMORY');
    lock.pragma('locking_mode = EXCLUSIVE');
    // A write takes the EXCLUSIVE lock; in exclusive locking mode it is not released at commit.
    lock.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (id INTEGER PRIMARY KEY); COMMIT;');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataFolderInUseError(dataDir, readHolder(holderFile));
    throw error;
  }
  try {
    fs.writeFileSync(holderFile, JSON.stringify({ pid: process.pid, shell, since: now().toISOString() }));
  } catch {
    // Only the message of a refused second instance reads it.
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      fs.rmSync(holderFile, { force: true });
      lock.close();
    },
  };
}

function readHolder(file: string): DataFolderInUseError['holder'] {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown; shell?: unknown; since?: unknown };
    return typeof value.pid === 'number' ? { pid: value.pid, shell: String(value.shell ?? ''), since: String(value.since ?? '') } : null;
  } catch {
    return null;
  }
}
