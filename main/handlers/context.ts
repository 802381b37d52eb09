import type { Kysely } from 'kysely';
import type { Backup } from '../../contract/backups';
import type { DB } from '../../db/schema';
import type { BackupService } from '../backups/backupService';
import type { FileStore } from '../files/fileStore';
import type { Staging } from '../files/staging';
import type { SecretBox } from '../sync/config';
import type { SyncJob } from '../sync/job';
import type { Gate } from '../gate';
import type { TaskRunner } from '../tasks/taskRunner';
import type { WriterStandby } from '../transfer/importWriter';

/** Everything a handler may touch. Plain Node: no Electron here, so handlers run in tests and the browser shell. */
export interface HandlerContext {
  db: Kysely<DB>;
  now(): Date;
  newId(): string;
  /** Stable id of this installation, written to every change-log row. */
  deviceId: string;
  dataDir: string;
  databaseFile: string;
  shell: 'electron' | 'browser';
  appVersion: string;
  schemaVersion: number;
  /** Attached documents, content-addressed under the data folder. */
  files: FileStore;
  /** Files on their way in or out (uploads, picked files, export outputs), known to the renderer by id only. */
  staging: Staging;
  /** Team sync: pushes this laptop's changes, pulls its colleagues' (main/sync/job.ts). */
  sync: SyncJob;
  /** Seals the sync token (the system keychain on the desktop). */
  secrets: SecretBox;
  /** Long work (exports, imports, restores) running in the background with progress and cancel. */
  tasks: TaskRunner;
  /** The writer thread of the next clients import, started while its dialog is open (main/transfer/importWriter.ts). */
  importWriters: WriterStandby;
  /** Desktop integration (open with the default app, show in folder); absent in the browser shell. */
  desktop?: DesktopAdapter;
  /** Daily copies of the database in the data folder. */
  backups: BackupService;
  /** Puts a copy in place of the database (the runtime reopens it; `db` above changes). */
  restoreBackup(id: string): Promise<{ restored: Backup; safetyCopy: Backup }>;
  /** Requests run side by side, a restore alone (see createDispatcher). */
  gate?: Gate;
}

export interface FileDialogFilter {
  name: string;
  extensions: string[];
}

export interface DesktopAdapter {
  openPath(filePath: string): Promise<void>;
  showInFolder(filePath: string): void;
  /** The system's save dialog; null when the user cancels. */
  chooseSavePath(options: { defaultName: string; filters: FileDialogFilter[] }): Promise<string | null>;
  /** The system's open dialog for one file; null when the user cancels. */
  chooseOpenPath(options: { filters: FileDialogFilter[] }): Promise<string | null>;
}
