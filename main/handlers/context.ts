import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { FileStore } from '../files/fileStore';

/** Everything a handler may touch. Plain Node: no Electron here, so handlers run in tests and the browser shell. */
export interface HandlerContext {
  db: Kysely<DB>;
  now(): Date;
  newId(): string;
  /** Stable id of this installation, written to every change-log row. */
  deviceId: string;
  /** Short tag in human-readable codes, unique per device (CL-<tag>-0001). */
  deviceTag: string;
  dataDir: string;
  databaseFile: string;
  shell: 'electron' | 'browser';
  appVersion: string;
  schemaVersion: number;
  /** Attached documents, content-addressed under the data folder. */
  files: FileStore;
  /** Desktop integration (open with the default app, show in folder); absent in the browser shell. */
  desktop?: DesktopAdapter;
}

export interface DesktopAdapter {
  openPath(filePath: string): Promise<void>;
  showInFolder(filePath: string): void;
}
