import fs from 'node:fs';
import Database from 'better-sqlite3';
import { AppError, type FieldErrorCode } from '../../contract';
import type { Backup } from '../../contract/backups';
import { migrations } from '../../db/migrations';
import { DatabaseRefusedError, refuseUnknownDatabase } from '../../db/refuse';
import type { TaskRunner } from '../tasks/taskRunner';
import type { BackupService } from './backupService';

/** How the runtime lets go of its database and opens it again (the file in between is replaced). */
export interface DatabaseSwap {
  file: string;
  close(): Promise<void>;
  open(): Promise<void>;
}

const refuse = (message: string, code: FieldErrorCode) => new AppError('VALIDATION', message, { fields: [{ path: 'id', message: code }] });

/** A copy that this version can open and that SQLite finds sound; anything else is refused before a byte moves. */
function checkUsable(file: string) {
  try {
    refuseUnknownDatabase(file, migrations.map((m) => m.name));
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const answer = db.pragma('quick_check', { simple: true });
      if (answer !== 'ok') throw new Error(String(answer));
    } finally {
      db.close();
    }
  } catch (error) {
    const reason = error instanceof DatabaseRefusedError ? error.message : `the file is damaged (${(error as Error).message})`;
    throw refuse(`This backup cannot be restored: ${reason}`, 'backup_not_usable');
  }
}

function replaceFile(file: string, from: string) {
  // A WAL or shared-memory file of the old database must never be read against the new one. The runtime
  // has closed its connection (which checkpointed the WAL), and the safety copy holds anything it had.
  for (const sidecar of ['-wal', '-shm', '-journal']) fs.rmSync(`${file}${sidecar}`, { force: true });
  fs.renameSync(from, file);
}

/**
 * Puts a copy in place of the database: the copy is staged next to the database first (rotation may remove
 * the original once the safety copy is taken), the current data is copied (kind before_restore), the
 * runtime closes its connection, the staged file replaces the database and is opened again — migrated if it
 * is older. If it cannot be opened, the safety copy goes back in its place. The caller runs this alone
 * (the dispatcher's exclusive gate): no request is in flight meanwhile.
 */
export async function restoreBackup(id: string, backups: BackupService, tasks: TaskRunner, swap: DatabaseSwap): Promise<{ restored: Backup; safetyCopy: Backup }> {
  const chosen = backups.find(id);
  if (!chosen) throw new AppError('NOT_FOUND', 'This backup is not there any more.');
  const busy = tasks.running();
  if (busy.length) throw new AppError('CONFLICT', `Wait for the ${busy[0]} to finish, then restore.`, { fields: [{ path: 'id', message: 'task_running' }] });
  checkUsable(backups.pathOf(id));

  return backups.withoutCopies(async (copy) => {
    const staged = `${swap.file}.restoring`;
    fs.copyFileSync(backups.pathOf(id), staged);
    let safetyCopy: Backup | null;
    try {
      safetyCopy = await copy('before_restore');
    } catch (error) {
      fs.rmSync(staged, { force: true });
      throw error;
    }
    if (!safetyCopy) {
      fs.rmSync(staged, { force: true });
      throw new AppError('INTERNAL', 'The current data could not be copied first, so nothing was restored.', { fields: [{ path: 'id', message: 'safety_copy_failed' }] });
    }
    await swap.close();
    try {
      replaceFile(swap.file, staged);
      await swap.open();
    } catch (error) {
      // The data as it was goes back, from the safety copy just taken.
      fs.rmSync(staged, { force: true });
      fs.copyFileSync(backups.pathOf(safetyCopy.id), staged);
      replaceFile(swap.file, staged);
      await swap.open();
      throw new AppError('INTERNAL', `The backup could not be opened (${(error as Error).message}); the data as it was is back in place.`, { fields: [{ path: 'id', message: 'restore_failed' }] });
    }
    return { restored: chosen, safetyCopy };
  });
}
