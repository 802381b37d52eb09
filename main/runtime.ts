import os from 'node:os';
import path from 'node:path';
import { openDatabase, type OpenDatabase } from '../db/open';
import { ensureReferenceData } from '../db/reference';
import { ensureDeviceIdentity } from '../db/device';
import { createBackupService, type BackupScheduler, type CopyWriter } from './backups/backupService';
import { restoreBackup } from './backups/restore';
import { markRestored } from '../db/sync/outbox';
import { createFileStore } from './files/fileStore';
import { createGate } from './gate';
import { newId as newUuid } from './ids';
import { createStaging } from './files/staging';
import { lockDataFolder } from './instanceLock';
import { createTaskRunner } from './tasks/taskRunner';
import { createWriterStandby } from './transfer/importWriter';
import type { DesktopAdapter, HandlerContext } from './handlers/context';
import { plainSecrets, type SecretBox } from './sync/config';
import { SyncJob, type SyncJobOptions } from './sync/job';

export interface RuntimeOptions {
  databaseFile: string;
  dataDir: string;
  shell: HandlerContext['shell'];
  appVersion: string;
  now?: () => Date;
  newId?: () => string;
  desktop?: DesktopAdapter;
  /** Take the day's copy of the database now and then once a day (the shells); off unless asked for. */
  automaticBackups?: boolean;
  /** Tests: how copies are timed and written. */
  backupScheduler?: BackupScheduler;
  writeBackup?: CopyWriter;
  /** Where the sync token is kept: the system keychain on the desktop; the database file otherwise. */
  secrets?: SecretBox;
  /** Timings and transport of the sync job (tests shorten them and put a proxy in between). */
  sync?: Partial<Pick<SyncJobOptions, 'debounceMs' | 'intervalMs' | 'maxBackoffMs' | 'pageSize' | 'random' | 'connect' | 'documentsPerSync'>>;
}

export interface Runtime {
  ctx: HandlerContext;
  /** The open database; a restore replaces it. */
  readonly database: OpenDatabase;
  close(): Promise<void>;
}

function firstUserName(): string {
  try {
    const name = os.userInfo().username;
    return name ? name.charAt(0).toUpperCase() + name.slice(1) : 'Me';
  } catch {
    return 'Me';
  }
}

/** Opens the database, migrates it, seeds reference data and the device identity, and builds the handler context. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? newUuid;
  // First of all: a second instance on this folder is refused before it opens the database or empties the
  // staging folder the first one is using.
  const lock = lockDataFolder(options.dataDir, options.shell, now);
  let database: OpenDatabase;
  try {
    database = await openDatabase(options.databaseFile, { now });
  } catch (error) {
    lock.release();
    throw error;
  }
  const prepare = async (opened: OpenDatabase) => {
    const identity = await ensureDeviceIdentity(opened.db, newId);
    await ensureReferenceData(opened.db, { actor: { deviceId: identity.deviceId, userId: null, at: now().toISOString(), newId }, firstUserName: firstUserName() });
    return identity;
  };
  try {
    const { deviceId } = await prepare(database);
    const databaseFile = path.resolve(options.databaseFile);
    const backups = createBackupService({
      databaseFile,
      folder: path.join(options.dataDir, 'backups'),
      now,
      ...(options.backupScheduler ? { scheduler: options.backupScheduler } : {}),
      ...(options.writeBackup ? { writeCopy: options.writeBackup } : {}),
    });
    const tasks = createTaskRunner(newId);
    const files = createFileStore(path.join(options.dataDir, 'attachments'));
    const secrets = options.secrets ?? plainSecrets;
    const syncJob = (db: OpenDatabase['db'], id: string) =>
      new SyncJob({ db, deviceId: id, files, secrets, now, newId, log: (message, error) => console.error(message, error ?? ''), ...options.sync });
    // A restore closes the database, replaces the file and opens it again: handlers read ctx.db on each call.
    const swap = {
      file: databaseFile,
      async close() {
        await ctx.sync.stop();
        await ctx.importWriters.close();
        await database.close();
      },
      async open() {
        const reopened = await openDatabase(databaseFile, { now });
        try {
          const identity = await prepare(reopened);
          // An earlier copy of this laptop's data: what it wrote since reached the server and must come back,
          // and its sequence numbers must not be given out twice (db/sync/outbox.ts resumeAfterRestore).
          await markRestored(reopened.db);
          Object.assign(ctx, { deviceId: identity.deviceId, db: reopened.db, schemaVersion: reopened.schemaVersion, sync: syncJob(reopened.db, identity.deviceId) });
        } catch (error) {
          await reopened.close();
          throw error;
        }
        database = reopened;
        await ctx.sync.start();
      },
    };
    const ctx: HandlerContext = {
      db: database.db,
      now,
      newId,
      deviceId,
      dataDir: options.dataDir,
      databaseFile,
      shell: options.shell,
      appVersion: options.appVersion,
      schemaVersion: database.schemaVersion,
      files,
      secrets,
      sync: syncJob(database.db, deviceId),
      staging: createStaging(path.join(options.dataDir, 'transfer'), newId, now),
      tasks,
      importWriters: createWriterStandby(),
      ...(options.desktop ? { desktop: options.desktop } : {}),
      backups,
      restoreBackup: (id) => restoreBackup(id, backups, tasks, swap),
      gate: createGate(),
    };
    if (options.automaticBackups) backups.start();
    await ctx.sync.start();
    return {
      ctx,
      get database() {
        return database;
      },
      async close() {
        try {
          // A copy being written finishes first; no new one starts.
          await backups.stop();
          await ctx.sync.stop();
          await ctx.importWriters.close();
          await database.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    await database.close();
    lock.release();
    throw error;
  }
}
