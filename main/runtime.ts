import os from 'node:os';
import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import { openDatabase, type OpenDatabase } from '../db/open';
import { ensureReferenceData } from '../db/reference';
import { randomDeviceTag } from '../db/repositories/codes';
import { readSetting, writeSetting } from '../db/repositories/settings';
import { createFileStore } from './files/fileStore';
import { createStaging } from './files/staging';
import { lockDataFolder } from './instanceLock';
import { createTaskRunner } from './tasks/taskRunner';
import type { DesktopAdapter, HandlerContext } from './handlers/context';

export interface RuntimeOptions {
  databaseFile: string;
  dataDir: string;
  shell: HandlerContext['shell'];
  appVersion: string;
  now?: () => Date;
  newId?: () => string;
  desktop?: DesktopAdapter;
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
  try {
    await ensureReferenceData(database.db, { now: now(), newId, firstUserName: firstUserName() });
    let deviceId = await readSetting(database.db, 'deviceId');
    let deviceTag = await readSetting(database.db, 'deviceTag');
    if (typeof deviceId !== 'string' || typeof deviceTag !== 'string') {
      deviceId = newId();
      deviceTag = randomDeviceTag();
      await writeSetting(database.db, 'deviceId', deviceId);
      await writeSetting(database.db, 'deviceTag', deviceTag);
    }
    const ctx: HandlerContext = {
      db: database.db,
      now,
      newId,
      deviceId: deviceId as string,
      deviceTag: deviceTag as string,
      dataDir: options.dataDir,
      databaseFile: path.resolve(options.databaseFile),
      shell: options.shell,
      appVersion: options.appVersion,
      schemaVersion: database.schemaVersion,
      files: createFileStore(path.join(options.dataDir, 'attachments')),
      staging: createStaging(path.join(options.dataDir, 'transfer'), newId),
      tasks: createTaskRunner(newId),
      ...(options.desktop ? { desktop: options.desktop } : {}),
    };
    return {
      ctx,
      database,
      async close() {
        try {
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
