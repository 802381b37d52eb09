import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFolderInUseError, lockDataFolder } from '../../main/instanceLock';
import { startRuntime } from '../../main/runtime';
import { startWebShell, type WebShell } from '../../main/web/server';

// One Clients per data folder: a second start is refused before it touches anything of the first, and the
// lock dies with its process, however that ends.

let dir: string;
let staticDir: string;
const shells: WebShell[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-lock-'));
  staticDir = path.join(dir, 'static');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Clients</title>');
});
afterEach(async () => {
  while (shells.length) await shells.pop()!.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function shell(databaseFile = path.join(dir, 'data', 'clients.sqlite')) {
  fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
  const started = await startWebShell({ databaseFile, port: 0, staticDir });
  shells.push(started);
  return started;
}

async function call(on: WebShell, channel: string, input: unknown = {}) {
  const response = await fetch(`http://127.0.0.1:${on.port}/api/${channel}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${on.token}` }, body: JSON.stringify(input) });
  return (await response.json()) as { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string } };
}

const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('a second browser shell on the same data folder', () => {
  it('is refused, says why, and leaves the first one its staged files and its database', async () => {
    const first = await shell();
    expect(first.refusal).toBeNull();
    const upload = await call(first, 'files.beginUpload', { fileName: 'clients.csv', sizeBytes: 4 });
    await call(first, 'files.appendUpload', { fileId: upload.data!.fileId, offset: 0, chunkBase64: Buffer.from('a,b\n').toString('base64') });
    const staged = fs.readdirSync(path.join(dir, 'data', 'transfer'));
    expect(staged).toHaveLength(1);

    const second = await shell();
    expect(second.refusal).toMatchObject({ problem: 'already_running' });
    expect(second.refusal!.detail).toContain(`process ${process.pid}`);
    // The page learns why from app.info; nothing else answers.
    expect(await call(second, 'app.info')).toMatchObject({ ok: true, data: { startup: { problem: 'already_running' }, shell: 'browser' } });
    expect(await call(second, 'clients.list')).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });

    // The first one's upload is still there and still readable.
    expect(fs.readdirSync(path.join(dir, 'data', 'transfer'))).toEqual(staged);
    expect(await call(first, 'files.read', { fileId: upload.data!.fileId, offset: 0 })).toMatchObject({ ok: true, data: { chunkBase64: Buffer.from('a,b\n').toString('base64') } });
    expect(await call(first, 'clients.list')).toMatchObject({ ok: true });
  });

  it('is refused for another database file in the same folder too (staged files and documents are per folder)', async () => {
    await shell(path.join(dir, 'data', 'clients.sqlite'));
    const other = await shell(path.join(dir, 'data', 'other.sqlite'));
    expect(other.refusal?.problem).toBe('already_running');
    expect(fs.existsSync(path.join(dir, 'data', 'other.sqlite'))).toBe(false);
  });

  it('starts once the first one has closed', async () => {
    const first = await shell();
    await first.close();
    const again = await shell();
    expect(again.refusal).toBeNull();
    expect(await call(again, 'clients.list')).toMatchObject({ ok: true });
  });

  it('is refused while another process holds the folder, and starts once that process has crashed', async () => {
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('tests/support/holdDataFolder.ts'), data], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += String(chunk);
          if (out.includes('held')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the holder exited (${code}) before taking the lock`)));
      });
      const refused = await shell();
      expect(refused.refusal?.problem).toBe('already_running');
      expect(refused.refusal!.detail).toContain(`process ${child.pid}`);
      await refused.close();
      shells.pop();
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    // No clean-up ran in the killed process: the operating system let go of its lock.
    const after = await shell();
    expect(after.refusal).toBeNull();
  });
});

describe('the data-folder lock', () => {
  it('is taken once, refused with the holder named, and free again after release', () => {
    const lock = lockDataFolder(dir, 'electron');
    expect(() => lockDataFolder(dir, 'browser')).toThrow(DataFolderInUseError);
    try {
      lockDataFolder(dir, 'browser');
    } catch (error) {
      expect((error as DataFolderInUseError).holder).toMatchObject({ pid: process.pid, shell: 'electron' });
    }
    lock.release();
    lockDataFolder(dir, 'browser').release();
  });

  it('is released when the runtime fails to open its database', async () => {
    const file = path.join(dir, 'clients.sqlite');
    fs.writeFileSync(file, 'not a database');
    await expect(startRuntime({ databaseFile: file, dataDir: dir, shell: 'browser', appVersion: 'test' })).rejects.toMatchObject({ reason: 'foreign_database' });
    lockDataFolder(dir, 'browser').release();
  });
});

describe('a database the browser shell must not open', () => {
  it('shows why (newer version, foreign file) and leaves the file byte for byte as it was', async () => {
    const newer = path.join(dir, 'newer', 'clients.sqlite');
    fs.mkdirSync(path.dirname(newer));
    const db = new Database(newer);
    db.exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES ('0001-initial', 'x'), ('0999-future', 'y')`);
    db.close();
    const foreign = path.join(dir, 'foreign', 'clients.sqlite');
    fs.mkdirSync(path.dirname(foreign));
    const other = new Database(foreign);
    other.exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices (total) VALUES (10.5)`);
    other.close();

    for (const [file, problem] of [[newer, 'newer_database'], [foreign, 'foreign_database']] as const) {
      const before = hash(file);
      const listing = fs.readdirSync(path.dirname(file));
      const refused = await shell(file);
      expect(refused.refusal?.problem).toBe(problem);
      expect(await call(refused, 'app.info')).toMatchObject({ ok: true, data: { startup: { problem }, databaseFile: file } });
      expect(hash(file)).toBe(before);
      // Only the instance lock is added beside it: no -wal, -shm, backup or transfer folder.
      expect(fs.readdirSync(path.dirname(file)).filter((f) => !f.startsWith('clients-instance.'))).toEqual(listing);
    }
  });
});
