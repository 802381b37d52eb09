import os from 'node:os';
import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import { openDatabase, type OpenDatabase } from '../db/open';
import { ensureReferenceData } from '../db/reference';
import { ensureDeviceIdentity } from '../db/device';
import { createFileStore } from './files/fileStore';
import { createStaging } from './files/staging';
import { createTaskRunner } from './tasks/taskRunner';
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
  /** Where the sync token is kept: the system keychain on the desktop; the database file otherwise. */
  secrets?: SecretBox;
  /** Timings and transport of the sync job (tests shorten them and put a proxy in between). */
  sync?: Partial<Pick<SyncJobOptions, 'debounceMs' | 'intervalMs' | 'maxBackoffMs' | 'pageSize' | 'random' | 'connect' | 'documentsPerSync'>>;
}

export interface Runtime {
  ctx: HandlerContext;
  database: OpenDatabase;
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
  const newId = options.newId ?? (() => uuidv7());
  const database = await openDatabase(options.databaseFile, { now });
  try {
    const { deviceId, deviceTag } = await ensureDeviceIdentity(database.db, newId);
    await ensureReferenceData(database.db, { actor: { deviceId, userId: null, at: now().toISOString(), newId }, firstUserName: firstUserName() });
    const files = createFileStore(path.join(options.dataDir, 'attachments'));
    const secrets = options.secrets ?? plainSecrets;
    const sync = new SyncJob({ db: database.db, deviceId, files, secrets, now, newId, log: (message, error) => console.error(message, error ?? ''), ...options.sync });
    const ctx: HandlerContext = {
      db: database.db,
      now,
      newId,
      deviceId,
      deviceTag,
      dataDir: options.dataDir,
      databaseFile: path.resolve(options.databaseFile),
      shell: options.shell,
      appVersion: options.appVersion,
      schemaVersion: database.schemaVersion,
      files,
      secrets,
      sync,
      staging: createStaging(path.join(options.dataDir, 'transfer'), newId),
      tasks: createTaskRunner(newId),
      ...(options.desktop ? { desktop: options.desktop } : {}),
    };
    await sync.start();
    return {
      ctx,
      database,
      async close() {
        await sync.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
