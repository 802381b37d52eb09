import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDispatcher } from '../../main/dispatch';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../main/runtime';

/** A real runtime on a temporary SQLite file with the real migrations, plus its dispatcher. */
export async function testRuntime(options: { file?: string; now?: () => Date } & Pick<RuntimeOptions, 'automaticBackups' | 'backupScheduler' | 'writeBackup' | 'sync'> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-test-'));
  const { file, ...rest } = options;
  const databaseFile = file ?? path.join(dir, 'clients.sqlite');
  const runtime: Runtime = await startRuntime({ databaseFile, dataDir: dir, shell: 'browser', appVersion: 'test', ...rest });
  const errors: unknown[] = [];
  const dispatch = createDispatcher(runtime.ctx, { logError: (_channel, error) => errors.push(error) });
  return {
    ctx: runtime.ctx,
    close: () => runtime.close(),
    /** The open database (a restore replaces it). */
    get database() {
      return runtime.database;
    },
    get db() {
      return runtime.ctx.db;
    },
    dir,
    dispatch,
    errors,
    /** Calls a channel and returns its data, failing the test on an error answer. */
    async call<T = unknown>(channel: string, input: unknown = {}): Promise<T> {
      const result = await dispatch(channel, input);
      if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
      return result.data as T;
    },
    async dispose() {
      await runtime.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
