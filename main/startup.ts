import path from 'node:path';
import { isChannelName } from '../contract';
import type { StartupProblem } from '../contract/app';
import { migrations } from '../db/migrations';
import { DatabaseRefusedError } from '../db/refuse';
import type { Dispatch } from './dispatch';
import { DataFolderInUseError } from './instanceLock';

export interface StartupRefusal {
  problem: StartupProblem;
  /** For the log and the terminal (English); the window words it from `problem`. */
  detail: string;
}

/** A start-up failure the user can act on (update the app, pick another file, close the other instance), or null. */
export function startupRefusalOf(error: unknown): StartupRefusal | null {
  if (error instanceof DatabaseRefusedError) return { problem: error.reason, detail: error.message };
  if (error instanceof DataFolderInUseError) return { problem: 'already_running', detail: error.message };
  return null;
}

/**
 * What both shells serve when the data could not be opened: `app.info` says why (the window shows it instead
 * of the app), every other channel answers that nothing is open. No handler runs, so nothing can write.
 */
export function refusalDispatcher(refusal: StartupRefusal, info: { databaseFile: string; dataDir: string; shell: 'electron' | 'browser'; appVersion: string }): Dispatch {
  return async (channel) => {
    if (channel === 'app.info') {
      return {
        ok: true,
        data: {
          name: 'Clients',
          version: info.appVersion,
          dataDir: path.resolve(info.dataDir),
          databaseFile: path.resolve(info.databaseFile),
          platform: process.platform,
          shell: info.shell,
          schemaVersion: migrations.length,
          startup: { problem: refusal.problem, detail: refusal.detail },
        },
      };
    }
    if (!isChannelName(channel)) return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown channel: ${channel}` } };
    return { ok: false, error: { code: 'INTERNAL', message: `Clients did not open its data: ${refusal.detail}` } };
  };
}
