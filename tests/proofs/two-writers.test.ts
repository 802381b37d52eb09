import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/open';
import { checkAcknowledged, startWriter } from '../support/proofProcess';
import { printFigures, proofSettings } from '../support/proofSettings';

// Proof (c) of the reliability issue: two Clients processes writing to one database file at once, one of them
// with an import running beside its window saves (the import's writer thread is a connection of its own).
// Every write succeeds or answers a typed error — none INTERNAL — and none acknowledged is lost. Nothing here
// waits on time: each process makes its seeded writes and ends.

const { long, seed } = proofSettings();
const writes = long ? 1000 : 60;
const importRows = long ? 20_000 : 300;
const batchRows = long ? 500 : 30;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-writers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('two writers on one database', () => {
  it('two processes (one importing beside its saves): every write ok or a typed error, none INTERNAL, none lost', async () => {
    const databaseFile = path.join(dir, 'clients.sqlite');
    // The file exists, migrated, before both start (two first starts migrating one new file is another story).
    await (await openDatabase(databaseFile)).close();
    // One data folder each: a data folder belongs to one running Clients (its instance lock).
    const a = startWriter({ dataDir: path.join(dir, 'a'), databaseFile, tag: 'A', seed, writes, importRows, batchRows });
    const b = startWriter({ dataDir: path.join(dir, 'b'), databaseFile, tag: 'B', seed: seed + 1, writes, importRows: 0, batchRows });
    const [exitA, exitB] = await Promise.all([a.exited, b.exited]);
    expect(exitA.code).toBe(0);
    expect(exitB.code).toBe(0);

    const outcomes: Record<string, number> = {};
    for (const message of [...a.messages, ...b.messages]) {
      if (message.kind === 'ack') outcomes.ok = (outcomes.ok ?? 0) + 1;
      if (message.kind === 'refused') outcomes[message.code] = (outcomes[message.code] ?? 0) + 1;
    }
    const done = a.messages.find((m) => m.kind === 'done');
    const imported = done?.kind === 'done' ? done.imported : null;

    const opened = await openDatabase(databaseFile);
    try {
      expect(opened.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const lost = await checkAcknowledged(opened.db, [...a.acks(), ...b.acks()]);
      const importedFound = (await opened.db.selectFrom('clients').select('id').where('email', 'like', 'info@i%-a.com').execute()).length;
      printFigures('two-writers', { seed, writes: writes * 2, ...outcomes, importRows, imported: imported ?? 'failed', importedFound, lost: lost.length });
      expect(lost).toEqual([]);
      expect(outcomes.INTERNAL ?? 0).toBe(0);
      // Every write answered: acknowledged, or refused with its code.
      expect(Object.values(outcomes).reduce((n, v) => n + v, 0)).toBe(writes * 2);
      // The import ran to its end beside the saves, and every row it created is there.
      expect(imported).toBe(importRows);
      expect(importedFound).toBe(importRows);
    } finally {
      await opened.close();
    }
  }, 1_800_000);
});
