import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../main/dispatch';
import type { DesktopAdapter } from '../../main/handlers/context';
import { startRuntime, type Runtime } from '../../main/runtime';

// The desktop app's file dialogs, through a fake adapter: what main does with the paths the user chose.
let dir: string;
let runtime: Runtime;
let dispatch: ReturnType<typeof createDispatcher>;
const answers: { save: string | null; open: string | null } = { save: null, open: null };
const shown: string[] = [];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-desktop-'));
  const desktop: DesktopAdapter = {
    openPath: async () => undefined,
    showInFolder: (filePath) => void shown.push(filePath),
    chooseSavePath: async () => answers.save,
    chooseOpenPath: async () => answers.open,
  };
  runtime = await startRuntime({ databaseFile: path.join(dir, 'clients.sqlite'), dataDir: path.join(dir, 'data'), shell: 'electron', appVersion: 'test', desktop });
  dispatch = createDispatcher(runtime.ctx, { logError: () => undefined });
  shown.length = 0;
});
afterEach(async () => {
  await runtime.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function call<T>(channel: string, input: unknown): Promise<T> {
  const result = await dispatch(channel, input);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.data as T;
}

describe('desktop file dialogs', () => {
  it('reads a picked file where it is and never deletes it', async () => {
    const picked = path.join(dir, 'Clientes 2026.csv');
    fs.writeFileSync(picked, '\ufeffEmpresa;Correo\r\nAcme S.L.;info@acme.es\r\n');
    answers.open = picked;
    const { file } = await call<{ file: { fileId: string; fileName: string; sizeBytes: number } }>('files.pick', { filter: 'table' });
    expect(file.fileName).toBe('Clientes 2026.csv');
    expect(file.sizeBytes).toBe(fs.statSync(picked).size);
    const analysis = await call<{ headers: string[]; rowCount: number }>('imports.analyze', { fileId: file.fileId, target: 'clients' });
    expect(analysis.headers).toEqual(['Empresa', 'Correo']);
    await call('files.discard', { fileId: file.fileId });
    expect(fs.existsSync(picked)).toBe(true);
  });

  it('answers null when the user cancels a dialog', async () => {
    answers.open = null;
    expect(await call('files.pick', { filter: 'backup' })).toEqual({ file: null });
  });

  it('saves an export where the user chose, replacing a file there whole, and reveals only saved paths', async () => {
    const { taskId } = await call<{ taskId: string }>('exports.clients', { filter: {}, format: 'csv', columns: [{ key: 'code', header: 'Code' }] });
    const task = await runtime.ctx.tasks.settled(taskId);
    if (task.result?.kind !== 'export') throw new Error('no export');
    const target = path.join(dir, 'out', 'clients.csv');
    fs.mkdirSync(path.dirname(target));
    fs.writeFileSync(target, 'old content that must go');
    answers.save = target;
    const { savedPath } = await call<{ savedPath: string }>('files.saveAs', { fileId: task.result.file.fileId });
    expect(savedPath).toBe(target);
    expect(fs.readFileSync(target, 'utf8')).toBe('\ufeffCode\r\n');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['clients.csv']);

    expect(await call('files.showSaved', { savedPath: target })).toEqual({ shown: true });
    expect(await call('files.showSaved', { savedPath: '/etc/passwd' })).toEqual({ shown: false });
    expect(shown).toEqual([target]);
  });

  it('refuses the dialogs in the browser shell with a clear error', async () => {
    const browser = await startRuntime({ databaseFile: path.join(dir, 'b.sqlite'), dataDir: path.join(dir, 'b'), shell: 'browser', appVersion: 'test' });
    try {
      const result = await createDispatcher(browser.ctx)('files.pick', { filter: 'table' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('VALIDATION');
    } finally {
      await browser.close();
    }
  });
});
