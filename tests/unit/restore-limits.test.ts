import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../contract/transfer';
import { restoreDossier } from '../../main/transfer/dossier';
import { dossierLimits, type DossierLimits } from '../../main/transfer/dossierReader';
import { testRuntime } from '../support/runtime';
import { noiseBytes, noisy, patchDeclaredSize, patchEntryCount, repeated, writeZip, type CraftedEntry } from '../support/zipBombs';

// Crafted zips against the restore: each is refused with a VALIDATION answer naming the problem, holds no
// more memory than the limits allow, and leaves the database and the document store as they were.

type Rt = Awaited<ReturnType<typeof testRuntime>>;
let rt: Rt;
beforeEach(async () => {
  rt = await testRuntime();
});
afterEach(() => rt.dispose());

const MiB = 1024 * 1024;
const manifest = Buffer.from(JSON.stringify({ format: 'clients-dossier', version: 1, exportedAt: '2026-01-01T00:00:00.000Z', appVersion: '0.1.0', clients: 1, areas: [], users: [] }));
const someClient = { client: { id: 'c1', code: 'CL-X-0001', company_name: 'Acme', email: 'a@acme.com', area_id: 'nowhere', owner_id: null }, contacts: [], events: [], jobs: [], history: [] };

async function craft(name: string, entries: CraftedEntry[]): Promise<string> {
  const file = path.join(rt.dir, name);
  await writeZip(file, entries);
  return file;
}

/** What a refused restore must leave as it found it: every table a restore writes, the document store, the staging folder. */
async function state() {
  const counts: Record<string, number> = {};
  for (const table of ['clients', 'client_contacts', 'events', 'jobs', 'attachments', 'change_log', 'areas', 'users'] as const) {
    counts[table] = Number((await rt.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  }
  const files = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort() : []);
  return { counts, documents: files(rt.ctx.files.root), staging: files(rt.ctx.staging.root) };
}

/** Runs the restore through the task runner (as imports.restore does) and measures the process's peak memory while it runs. */
async function restore(file: string, limits: DossierLimits = dossierLimits): Promise<{ task: Task; peakGrowthMb: number }> {
  const staged = rt.ctx.staging.adopt(file);
  const before = await state();
  let peak = process.memoryUsage().rss;
  const start = peak;
  const maxRssBefore = process.resourceUsage().maxRSS;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 1);
  const started = rt.ctx.tasks.start('restore', (control) => restoreDossier(rt.ctx, staged.fileId, control, limits));
  const task = await rt.ctx.tasks.settled(started.id);
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  // The kernel's own peak (in KiB) catches what sampling may miss; it only grows if this restore set a new peak.
  const kernelGrowth = ((process.resourceUsage().maxRSS - maxRssBefore) * 1024) / MiB;
  expect(await state()).toEqual(before);
  return { task, peakGrowthMb: Math.max((peak - start) / MiB, kernelGrowth) };
}

const refusedWith = (task: Task, code: string) => {
  expect(task.state).toBe('failed');
  expect(task.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'fileId', message: code }] });
  expect(task.error!.message).toMatch(/Nothing was changed\.$/);
};

// A generous ceiling: the point is the gigabyte the old restore took, not a few MB of noise.
const memoryBoundMb = 200;

describe('restoring a hostile zip', () => {
  it('refuses 700 MB of one line in a 0.7 MB zip (ratio ~1 000) from its directory alone', async () => {
    const file = await craft('bomb.zip', [
      { name: 'manifest.json', data: manifest },
      { name: 'clients.jsonl', data: repeated(Buffer.from('a'), 700 * MiB) },
    ]);
    expect(fs.statSync(file).size).toBeLessThan(MiB);
    const { task, peakGrowthMb } = await restore(file);
    refusedWith(task, 'backup_suspicious');
    expect(peakGrowthMb).toBeLessThan(memoryBoundMb);
  });

  it('refuses a document that inflates a thousand times its size', async () => {
    const file = await craft('document-bomb.zip', [
      { name: 'manifest.json', data: manifest },
      { name: 'clients.jsonl', data: Buffer.from(`${JSON.stringify(someClient)}\n`) },
      { name: `documents/${'0'.repeat(64)}`, data: repeated(Buffer.from([0]), 100 * MiB) },
    ]);
    const { task, peakGrowthMb } = await restore(file);
    refusedWith(task, 'backup_suspicious');
    expect(peakGrowthMb).toBeLessThan(memoryBoundMb);
  });

  it('stops an entry that declares less than it holds at its declared size', async () => {
    // 300 MB of zeros that the directory says are 0.5 MB: below the size where the ratio is judged.
    const file = await craft('liar.zip', [
      { name: 'manifest.json', data: manifest },
      { name: 'clients.jsonl', data: repeated(Buffer.from('\n'), 300 * MiB) },
    ]);
    patchDeclaredSize(file, 'clients.jsonl', 512 * 1024);
    const { task, peakGrowthMb } = await restore(file);
    refusedWith(task, 'backup_damaged');
    expect(peakGrowthMb).toBeLessThan(memoryBoundMb);
  });

  it('refuses a huge declared size before inflating anything', async () => {
    const file = await craft('declared.zip', [
      { name: 'manifest.json', data: manifest },
      { name: 'clients.jsonl', data: Buffer.from(`${JSON.stringify(someClient)}\n`) },
    ]);
    patchDeclaredSize(file, 'manifest.json', 3_000_000_000);
    refusedWith((await restore(file)).task, 'backup_too_large');
  });

  it('refuses a single line longer than the limit, holding no more than the limit', async () => {
    // Letters that deflate about 1.6 times: no ratio check catches it, only the line limit does.
    const file = await craft('long-line.zip', [
      { name: 'manifest.json', data: manifest },
      { name: 'clients.jsonl', data: noisy(dossierLimits.maxLineBytes + 4 * MiB) },
    ]);
    const { task, peakGrowthMb } = await restore(file);
    refusedWith(task, 'backup_record_too_large');
    expect(peakGrowthMb).toBeLessThan(memoryBoundMb);
  });

  it('refuses more entries than the limit, as claimed by the zip and as found in it', async () => {
    const limits = { ...dossierLimits, maxEntries: 50 };
    const entries: CraftedEntry[] = [{ name: 'manifest.json', data: manifest }, { name: 'clients.jsonl', data: Buffer.from('') }];
    for (let i = 0; i < 60; i++) {
      const bytes = Buffer.from(`document ${i}`);
      entries.push({ name: `documents/${crypto.createHash('sha256').update(bytes).digest('hex')}`, data: bytes });
    }
    const many = await craft('many.zip', entries);
    refusedWith((await restore(many, limits)).task, 'backup_too_many_files');
    // A zip whose end record claims far more entries than it has is refused before its directory is read.
    const claims = await craft('claims.zip', entries.slice(0, 3));
    patchEntryCount(claims, 60_000);
    refusedWith((await restore(claims, limits)).task, 'backup_too_many_files');
  });

  it('refuses a backup whose entries together inflate past the total limit', async () => {
    const limits = { ...dossierLimits, maxTotalBytes: 4 * MiB };
    const entries: CraftedEntry[] = [{ name: 'manifest.json', data: manifest }, { name: 'clients.jsonl', data: Buffer.from('') }];
    for (const seed of [1, 2, 3]) {
      const bytes = noiseBytes(2 * MiB, seed);
      entries.push({ name: `documents/${crypto.createHash('sha256').update(bytes).digest('hex')}`, data: bytes });
    }
    refusedWith((await restore(await craft('total.zip', entries), limits)).task, 'backup_too_large');
  });

  it('refuses a manifest larger than its limit, and a damaged entry, and writes nothing either time', async () => {
    const big = await craft('big-manifest.zip', [
      { name: 'manifest.json', data: noisy(dossierLimits.maxManifestBytes + 1) },
      { name: 'clients.jsonl', data: Buffer.from('') },
    ]);
    refusedWith((await restore(big)).task, 'backup_too_large');

    // Deflate data cut short in the middle: the directory is fine, the entry is not.
    const good = await craft('damaged.zip', [
      { name: 'manifest.json', data: manifest },
      { name: 'clients.jsonl', data: noisy(256 * 1024) },
    ]);
    const bytes = fs.readFileSync(good);
    const dataStart = bytes.indexOf(Buffer.from('clients.jsonl')) + 'clients.jsonl'.length;
    bytes.fill(0xff, dataStart + 1000, dataStart + 3000);
    fs.writeFileSync(good, bytes);
    refusedWith((await restore(good)).task, 'backup_damaged');
  });

  it('still restores a sound backup under the same limits', async () => {
    const area = (await rt.db.selectFrom('areas').select('id').executeTakeFirstOrThrow()).id;
    const line = { ...someClient, client: { ...someClient.client, area_id: area, name_key: 'acme', email_key: 'a@acme.com', status: 'active', search_text: 'acme', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', version: 1 } };
    const file = await craft('sound.zip', [
      { name: 'manifest.json', data: manifest },
      { name: 'clients.jsonl', data: Buffer.from(`${JSON.stringify(line)}\r\n\r\n`) },
    ]);
    const staged = rt.ctx.staging.adopt(file);
    const task = await rt.ctx.tasks.settled(rt.ctx.tasks.start('restore', (control) => restoreDossier(rt.ctx, staged.fileId, control)).id);
    expect(task.state).toBe('done');
    expect(task.result).toMatchObject({ kind: 'restore', summary: { clients: 1 } });
  });
});
